// Small random pair problems and plain brute-force answers to check the
// grid and pair solvers against (for tests only).
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <random>
#include <vector>

#include "stats/solvers/optimal_pairs.h"

namespace autoscale {
namespace pair_test {

constexpr double kInf = std::numeric_limits<double>::infinity();

// The evaluation's rule written out plainly: the least h*w gear that holds
// a sample serves it, the greatest h*w gear serves what nothing holds.
inline double Cost(const PairProblem& p, const std::vector<HwGear>& gears, double* held) {
  double largest = 0;
  for (const auto& [h, w] : gears) largest = std::max(largest, static_cast<double>(h * w));
  double cost = p.overflow * largest;
  *held = 0;
  for (const auto& c : p.cells) {
    double best = kInf;
    for (const auto& [h, w] : gears)
      if (h >= c.h && w >= c.w) best = std::min(best, static_cast<double>(h * w));
    if (best < kInf) *held += c.count;
    cost += c.count * (best < kInf ? best : largest);
  }
  return cost;
}

inline std::vector<int64_t> Multiples(int64_t lo, int64_t hi) {
  std::vector<int64_t> v;
  for (int64_t x = lo; x <= hi; x += 32) v.push_back(x);
  return v;
}

// The best grid by trying every pair of height and width subsets.
inline double BruteForceGrid(const PairProblem& p, int64_t side) {
  const std::vector<int64_t> values = Multiples(32, side);
  const size_t n = values.size();
  double best = kInf;
  for (uint32_t hm = 1; hm < (1u << n); ++hm)
    for (uint32_t wm = 1; wm < (1u << n); ++wm) {
      if (__builtin_popcount(hm) * __builtin_popcount(wm) > p.max_gears) continue;
      std::vector<HwGear> grid;
      for (size_t i = 0; i < n; ++i)
        for (size_t j = 0; j < n; ++j)
          if ((hm >> i & 1) && (wm >> j & 1)) grid.push_back({values[i], values[j]});
      double held = 0;
      const double c = Cost(p, grid, &held);
      if (held >= p.min_held) best = std::min(best, c);
    }
  return best;
}

inline PairProblem RandomProblem(std::mt19937* rng, int64_t side, int max_cells) {
  PairProblem p;
  std::uniform_int_distribution<int64_t> v(1, side / 32);
  std::map<HwGear, double> cells;
  const int n = 1 + static_cast<int>((*rng)() % max_cells);
  for (int i = 0; i < n; ++i) cells[{32 * v(*rng), 32 * v(*rng)}] += 1 + (*rng)() % 5;
  for (const auto& [hw, c] : cells) p.cells.push_back({hw.first, hw.second, c});
  for (const auto& c : p.cells) p.min_held += c.count;
  p.interval = 32;
  p.lo_h = p.lo_w = 32;
  p.hi_h = p.hi_w = side;
  return p;
}

}  // namespace pair_test
}  // namespace autoscale
