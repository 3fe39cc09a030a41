// How long the evaluation of one gear set takes on a large profile (it runs
// once per strategy in a comparison), in thread CPU time, against the plain search that tries
// every gear for every sample, in the same run. Also times the range
// strategies on the same profile.
//
//   evaluation_bench [distinct_pairs=10000] [gears=100] [repeats=20]
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <random>

#include "stats/evaluation/evaluation.h"
#include "stats/strategies/range_strategies.h"

using namespace autoscale;

namespace {

// CPU time of this thread: the machine may be shared, and wall time would
// measure the neighbours.
double CpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

template <typename Fn>
double MedianSeconds(int repeats, Fn fn) {
  std::vector<double> t;
  for (int i = 0; i < repeats; ++i) {
    const double start = CpuSeconds();
    fn();
    t.push_back(CpuSeconds() - start);
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

// The baseline: every gear tried for every sample, for the same three
// views Evaluate computes ((h, w), heights alone, widths alone).
double PlainOverhead(const Profile& p, const std::vector<HwGear>& gears) {
  double hw_overhead = 0;
  for (int view = 0; view < 3; ++view) {
    auto project = [view](int64_t h, int64_t w) {
      return std::make_pair(view == 2 ? 1 : h, view == 1 ? 1 : w);
    };
    int64_t largest = 0;
    for (const auto& [gh, gw] : gears) {
      const auto [h, w] = project(gh, gw);
      largest = std::max(largest, h * w);
    }
    long double served = 0, needed = 0;
    for (const auto& [k, n] : p.samples()) {
      const auto [sh, sw] = project(k.h, k.w);
      int64_t best = 0;
      for (const auto& [gh, gw] : gears) {
        const auto [h, w] = project(gh, gw);
        if (h >= sh && w >= sw && (best == 0 || h * w < best)) best = h * w;
      }
      served += static_cast<long double>(best > 0 ? best : largest) * n;
      needed += static_cast<long double>(sh) * sw * n;
    }
    if (view == 0) hw_overhead = static_cast<double>(served / needed - 1);
  }
  return hw_overhead;
}

}  // namespace

int main(int argc, char** argv) {
  const int64_t pairs = argc > 1 ? std::atoll(argv[1]) : 10000;
  const int64_t gear_count = argc > 2 ? std::atoll(argv[2]) : 100;
  const int repeats = argc > 3 ? std::atoi(argv[3]) : 20;

  const InputShape shape = *ParseInputShape("1,3,-1,-1");
  Profile p;
  p.input_shape = shape;
  p.limit_side_len = 1280;
  std::mt19937_64 rng(1);
  std::uniform_int_distribution<int64_t> side(16, 1280), count(1, 50);
  while (static_cast<int64_t>(p.samples().size()) < pairs)
    p.AddSample({0, side(rng), side(rng)}, static_cast<uint64_t>(count(rng)));

  // A 10 x 10 grid over the sample range.
  GearSet g;
  const int64_t per_dim = std::max<int64_t>(1, static_cast<int64_t>(std::sqrt(gear_count)));
  for (int64_t i = 1; i <= per_dim; ++i)
    for (int64_t j = 1; j <= per_dim; ++j) g.hw.push_back({i * 1280 / per_dim, j * 1280 / per_dim});
  Normalize(&g, shape);
  ScalingConfig config;

  double overhead = 0, plain = 0;
  const double fast_s = MedianSeconds(repeats, [&] {
    overhead = Evaluate(p, g, shape, config).hw->overhead;
  });
  const double plain_s = MedianSeconds(repeats, [&] { plain = PlainOverhead(p, g.hw); });
  std::printf("profile: %zu distinct samples, %zu (h, w) gears\n", p.samples().size(), g.hw.size());
  std::printf("Evaluate (hw, height, width):   %8.3f ms   overhead %.6f\n", fast_s * 1e3, overhead);
  std::printf("baseline, every gear per sample:  %8.3f ms   overhead %.6f\n",
              plain_s * 1e3, plain);
  for (RangeKind kind : {RangeKind::kMeanStd, RangeKind::kMaxMin}) {
    const double s = MedianSeconds(repeats, [&] { (void)RangeGears(kind, p, shape, config); });
    std::printf("%s gears:                 %8.3f ms\n",
                kind == RangeKind::kMeanStd ? "mean_std" : "max_min ", s * 1e3);
  }
  return 0;
}
