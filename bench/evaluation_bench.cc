// How long the evaluation of one gear set takes on a large profile (it runs
// once per strategy in a comparison: every sample routed, then the per-dim
// coverage), in thread CPU time. Also times the range strategies on the
// same profile.
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

  Evaluation e;
  const double fast_s = MedianSeconds(repeats, [&] { e = Evaluate(p, g, shape, config); });
  std::printf("profile: %zu distinct samples, %zu (h, w) gears\n", p.samples().size(), g.hw.size());
  std::printf("Evaluate (routing, hw, height, width): %8.3f ms   padding %.6f  coverage %.6f\n",
              fast_s * 1e3, e.cost.padding, e.hw->coverage);
  for (RangeKind kind : {RangeKind::kMeanStd, RangeKind::kMaxMin}) {
    const double s = MedianSeconds(repeats, [&] { (void)RangeGears(kind, p, shape, config); });
    std::printf("%s gears:                 %8.3f ms\n",
                kind == RangeKind::kMeanStd ? "mean_std" : "max_min ", s * 1e3);
  }
  return 0;
}
