// Times the joint search of batch and width gears (SolveJoint) on a
// synthetic text-line dataset: 1 million images of 1..64 lines (few lines
// are common, many are rare), each line 48 px high with a width drawn from
// a skewed (log-normal) distribution, about 10 million boxes in all.
// Usage: joint_bench [images] [max_hw_gears] [max_batch_gears] [any]
// (any = 1: batch gears from 1..2048 rather than 1, 4, 8, 16, 32, 64).
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <random>

#include "stats/solvers/optimal_batch.h"
#include "stats/strategies/optimal_joint.h"

using namespace autoscale;

namespace {

double Seconds(std::chrono::steady_clock::time_point from) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - from).count();
}

}  // namespace

int main(int argc, char** argv) {
  const int images = argc > 1 ? std::atoi(argv[1]) : 1000000;
  const int64_t hw_gears = argc > 2 ? std::atoll(argv[2]) : 100;
  const int64_t batch_gears = argc > 3 ? std::atoll(argv[3]) : 6;
  const bool any = argc > 4 && std::atoi(argv[4]) == 1;
  std::mt19937 rng(1);
  // Lines per image: 1..64, geometric-like with a mean near 10.
  std::geometric_distribution<int> extra(0.1);
  std::lognormal_distribution<double> width(std::log(200.0), 0.7);
  auto start = std::chrono::steady_clock::now();
  JointProblem p;
  p.units.reserve(static_cast<size_t>(images));
  int64_t boxes = 0;
  std::map<int64_t, uint64_t> box_counts;
  for (int i = 0; i < images; ++i) {
    JointUnit u;
    const int k = 1 + std::min(63, extra(rng));
    for (int b = 0; b < k; ++b) {
      const double w = std::min(2048.0, std::max(8.0, width(rng)));
      u.items.push_back({48, static_cast<int64_t>(std::ceil(w))});
    }
    boxes += k;
    ++box_counts[k];
    p.units.push_back(std::move(u));
  }
  p.batch_candidates = {1, 4, 8, 16, 32, 64};
  if (any) {
    p.batch_candidates.clear();
    for (int64_t b = 1; b <= 2048; ++b) p.batch_candidates.push_back(b);
  }
  p.max_batch_gears = batch_gears;
  p.min_top_batch = 64;
  p.max_hw_gears = hw_gears;
  p.min_hw_gears = 2;
  p.h_values = {48};
  for (int64_t w = 32; w <= 2048; w += 32) p.w_values.push_back(w);
  p.cost = runtime::CostModel::Pixels(20000);
  // The seed the optimal strategy gives: the box-count optimum.
  BatchProblem seed;
  seed.box_counts = box_counts;
  seed.candidates = p.batch_candidates;
  seed.max_gears = p.max_batch_gears;
  seed.min_single_run = static_cast<double>(images);
  p.batch_seeds = {SolveBatch(seed).gears};
  std::printf("problem: %d images, %lld boxes, built in %.2f s\n", images,
              static_cast<long long>(boxes), Seconds(start));

  start = std::chrono::steady_clock::now();
  const JointSolution s = SolveJoint(p);
  const double solve = Seconds(start);
  std::printf("SolveJoint: %.2f s, %lld batch sets weighed, %zu final rounds\n", solve,
              static_cast<long long>(s.evaluations), s.rounds.size());
  std::printf("cost %.6g px (first final round %.6g)\n", s.cost,
              s.rounds.empty() ? 0.0 : s.rounds.front());
  std::printf("batch gears:");
  for (int64_t b : s.batch) std::printf(" %lld (%zu widths)", static_cast<long long>(b),
                                        s.hw.at(b).size());
  std::printf("\n");
  // The baseline: every batch model on the widths best for single lines.
  start = std::chrono::steady_clock::now();
  JointProblem alone = p;
  alone.batch_candidates = {1};
  alone.max_batch_gears = 1;
  alone.min_top_batch = 0;
  const JointSolution one = SolveJoint(alone);
  std::printf("batch 1 only: cost %.6g px, %.2f s\n", one.cost, Seconds(start));
  return 0;
}
