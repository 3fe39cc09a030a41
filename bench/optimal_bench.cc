// Times the `optimal` strategy on synthetic profiles at the sizes it must
// handle, and prints beside each the routed cost, coverage and padding of
// its gears and of the range strategies' gears on the same profile at the
// same budget:
//  - one dynamic dim, 8192 candidate widths (interval 1, widths 1..8192),
//    100 gears: exact dynamic programme;
//  - H and W dynamic, 10,000 distinct sizes, 100 pairs (interval 32, and 8
//    for a finer grid of positions): free pairs;
//  - batch gears, every integer 1..2048 a candidate.
//
//   optimal_bench [--seed N]
//
// CPU time is printed beside wall time: the machine may be shared.
#include <ctime>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <random>
#include <string>

#include "stats/evaluation/evaluation.h"
#include "stats/strategies/strategy.h"

using namespace autoscale;

namespace {

struct Timed {
  GearSet gears;
  double wall = 0;
  double cpu = 0;
};

Timed Time(const std::function<GearSet()>& fn) {
  const auto start = std::chrono::steady_clock::now();
  const std::clock_t cpu_start = std::clock();
  Timed t;
  t.gears = fn();
  t.cpu = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  t.wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return t;
}

GearSet Gears(const Profile& p, const InputShape& shape, const ScalingConfig& config,
              const std::string& strategy) {
  auto g = ComputeGears(p, shape, config, strategy);
  if (!g.ok()) {
    std::fprintf(stderr, "%s: %s\n", strategy.c_str(), g.message().c_str());
    std::exit(1);
  }
  return *g;
}

// Routed cost, padding and coverage of `gears` as the evaluation measures
// them.
void PrintCost(const char* name, const Profile& p, const GearSet& gears, const InputShape& shape,
               const ScalingConfig& config) {
  const Evaluation e = Evaluate(p, gears, shape, config);
  std::printf(
      "  %-10s batch gears %3zu  gears %3zu  cost %.4g %s  coverage %6.2f%%  padding "
      "%7.2f%%\n",
      name, gears.batch.size(), gears.hw.size(), e.cost.total, e.cost.unit.c_str(),
      100 * e.cost.coverage, 100 * e.cost.padding);
}

void Compare(const char* title, const Profile& p, const InputShape& shape,
             const ScalingConfig& config) {
  std::printf("%s\n", title);
  const Timed optimal = Time([&] { return Gears(p, shape, config, "optimal"); });
  std::printf("  optimal    %.3f s wall, %.3f s CPU\n", optimal.wall, optimal.cpu);
  PrintCost("optimal", p, optimal.gears, shape, config);
  for (const char* other : {"max_min", "mean_std"})
    PrintCost(other, p, Gears(p, shape, config, other), shape, config);
}

Profile NewProfile(const InputShape& shape) {
  Profile p;
  p.input_shape = shape;
  p.limit_side_len = 1280;
  return p;
}

// Text line widths: many short words, a long tail of lines, every width
// 1..8192 present so that each is a candidate.
Profile WidthProfile(std::mt19937* rng) {
  Profile p = NewProfile(*ParseInputShape("1,3,48,-1"));
  std::lognormal_distribution<double> width(std::log(200.0), 0.9);
  for (int64_t w = 1; w <= 8192; ++w) p.AddSample({0, 48, w});
  for (int i = 0; i < 200000; ++i) {
    const auto w = static_cast<int64_t>(std::ceil(width(*rng)));
    p.AddSample({0, 48, std::clamp<int64_t>(w, 1, 8192)});
  }
  return p;
}

// Photos, scans and screenshots: aspect ratios spread around 1, sizes up to
// the limit, scaled so the long side is at most 1280; 10,000 distinct sizes.
Profile PairProfile(std::mt19937* rng) {
  Profile p = NewProfile(*ParseInputShape("1,3,-1,-1"));
  std::lognormal_distribution<double> aspect(0.0, 0.5);
  std::uniform_real_distribution<double> size(200, 1600);
  std::uniform_int_distribution<uint64_t> copies(1, 5);
  while (p.samples().size() < 10000) {
    const double a = aspect(*rng), s = size(*rng);
    double h = s / std::sqrt(a), w = s * std::sqrt(a);
    const double scale = std::min(1.0, 1280 / std::max(h, w));
    // Clamped: rounding must not push the long side past the limit.
    const int64_t mh = std::clamp<int64_t>(static_cast<int64_t>(std::ceil(h * scale)), 1, 1280);
    const int64_t mw = std::clamp<int64_t>(static_cast<int64_t>(std::ceil(w * scale)), 1, 1280);
    p.AddSample({0, mh, mw}, copies(*rng));
  }
  return p;
}

// Box counts of annotated images: mostly a few boxes, some hundreds.
Profile BatchProfile(std::mt19937* rng) {
  Profile p = NewProfile(*ParseInputShape("-1,3,48,320"));
  std::lognormal_distribution<double> boxes(std::log(12.0), 1.0);
  for (int i = 0; i < 50000; ++i) {
    const auto k = std::clamp<int64_t>(static_cast<int64_t>(std::ceil(boxes(*rng))), 1, 3000);
    p.AddBoxCount(k);
    p.AddSample({k, 48, 320}, static_cast<uint64_t>(k));
  }
  return p;
}

}  // namespace

int main(int argc, char** argv) {
  unsigned seed = 1;
  for (int i = 1; i + 1 < argc; ++i)
    if (std::strcmp(argv[i], "--seed") == 0) seed = static_cast<unsigned>(std::atoi(argv[i + 1]));
  std::mt19937 rng(seed);

  ScalingConfig config;
  config.max_scaling_num = 100;
  config.interval = 1;
  Compare("one dim: 8192 candidate widths (interval 1), 100 gears", WidthProfile(&rng),
          *ParseInputShape("1,3,48,-1"), config);

  const Profile pairs = PairProfile(&rng);
  for (int64_t interval : {32, 8}) {
    config.interval = interval;
    const std::string title = "pairs: 10,000 distinct sizes, interval " + std::to_string(interval) +
                              ", 100 pairs";
    Compare(title.c_str(), pairs, *ParseInputShape("1,3,-1,-1"), config);
  }

  config.optimal_batch_candidates = "any";
  config.optimal_max_batch_num = 8;
  config.optimal_coverage = 0.999;
  Compare("batch: box counts 1..3000, any of 1..2048, 8 gears, coverage 0.999",
          BatchProfile(&rng), *ParseInputShape("-1,3,48,320"), config);
  return 0;
}
