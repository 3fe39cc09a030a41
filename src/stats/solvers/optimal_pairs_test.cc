#include "stats/solvers/optimal_pairs.h"

#include <catch2/catch.hpp>
#include <limits>
#include <map>
#include <random>

#include "stats/solvers/optimal_grid.h"
#include "stats/solvers/pair_test_problems.h"

using namespace autoscale;
using namespace autoscale::pair_test;

namespace {

// The best subset of every allowed pair, of 2..max_gears pairs (a dynamic
// model needs two).
double BruteForcePairs(const PairProblem& p, int64_t side, std::vector<HwGear>* best_set = nullptr) {
  std::vector<HwGear> all;
  for (int64_t h : Multiples(32, side))
    for (int64_t w : Multiples(32, side)) all.push_back({h, w});
  double best = kInf;
  std::vector<HwGear> chosen;
  std::function<void(size_t)> rec = [&](size_t from) {
    if (chosen.size() >= 2) {
      double held = 0;
      const double c = Cost(p, chosen, &held);
      if (held >= p.min_held && c < best) {
        best = c;
        if (best_set) *best_set = chosen;
      }
    }
    if (static_cast<int64_t>(chosen.size()) == p.max_gears) return;
    for (size_t i = from; i < all.size(); ++i) {
      chosen.push_back(all[i]);
      rec(i + 1);
      chosen.pop_back();
    }
  };
  rec(0);
  return best;
}

std::string Describe(const PairProblem& p, const std::vector<HwGear>& gears) {
  std::string out = "cells";
  for (const auto& c : p.cells)
    out += " " + std::to_string(c.h) + "x" + std::to_string(c.w) + "*" + std::to_string(c.count);
  out += " overflow " + std::to_string(p.overflow) + " min_held " + std::to_string(p.min_held) +
         " K " + std::to_string(p.max_gears) + "; gears";
  for (const auto& [h, w] : gears) out += " " + std::to_string(h) + "x" + std::to_string(w);
  return out;
}

// Every sample held, interval 32, gears 32..1280.
PairProblem FullCoverage(std::vector<PairCell> cells, int64_t max_gears) {
  PairProblem p;
  p.cells = std::move(cells);
  for (const auto& c : p.cells) p.min_held += c.count;
  p.max_gears = max_gears;
  p.interval = 32;
  p.lo_h = p.lo_w = 32;
  p.hi_h = p.hi_w = 1280;
  return p;
}

}  // namespace

TEST_CASE("pairs are exact against brute force on small profiles", "[optimal]") {
  std::mt19937 rng(5);
  int exact = 0;
  for (int round = 0; round < 150; ++round) {
    PairProblem p = RandomProblem(&rng, 128, 6);
    p.max_gears = 2 + round % 2;
    if (round % 3 == 2) {
      // Coverage below 1, and samples no allowed gear holds.
      p.min_held = std::floor(p.min_held * 0.7);
      p.overflow = static_cast<double>(rng() % 3);
    }
    const double want = BruteForcePairs(p, 128);
    PairSolution got = SolvePairs(p);
    INFO("round " << round << ": " << Describe(p, got.gears));
    exact += got.exact;
    double held = 0;
    const double cost = Cost(p, got.gears, &held);
    CHECK(cost == Approx(got.cost));
    CHECK(held >= p.min_held);
    CHECK(got.cost == Approx(want));
    CHECK(got.gears.size() >= 2);
    CHECK(static_cast<int64_t>(got.gears.size()) <= p.max_gears);
  }
  CHECK(exact == 150);
}

TEST_CASE("pairs local search is never worse than any grid of the same budget", "[optimal]") {
  std::mt19937 rng(9);
  PairOptions options;
  options.exact_subset_limit = 0;  // the local search alone
  int optimal = 0;
  const int rounds = 120;
  for (int round = 0; round < rounds; ++round) {
    PairProblem p = RandomProblem(&rng, 160, 9);
    p.max_gears = 2 + round % 3;
    const double grid = BruteForceGrid(p, 160);
    std::vector<HwGear> best_set;
    const double best = BruteForcePairs(p, 160, &best_set);
    PairSolution got = SolvePairs(p, options);
    INFO("round " << round << ": " << Describe(p, got.gears) << " / best: " << Describe(p, best_set) << " grid " << got.grid_cost);
    CHECK_FALSE(got.exact);
    CHECK(got.cost <= grid * (1 + 1e-12));
    CHECK(got.cost <= got.grid_cost * (1 + 1e-12));
    CHECK(got.cost <= best * 1.10);
    optimal += got.cost <= best * (1 + 1e-12);
  }
  // Not a guarantee, but a search this weak would be a regression.
  CHECK(optimal >= rounds * 9 / 10);
}

TEST_CASE("free pairs serve portrait and landscape sizes better than a grid", "[optimal]") {
  // Two sizes, transposed: two pairs serve them exactly; a grid of two
  // gears must share one side and pads one of them to a square.
  PairProblem p = FullCoverage({{320, 1280, 10}, {1280, 320, 10}}, 2);
  PairSolution s = SolvePairs(p);
  CHECK(s.gears == std::vector<HwGear>{{320, 1280}, {1280, 320}});
  CHECK(s.cost == 20.0 * 320 * 1280);
  GridSolution g = BestGrid(p.cells, 2);
  CHECK(g.cost == 10.0 * 320 * 1280 + 10.0 * 1280 * 1280);
}

TEST_CASE("pairs add a second gear inside the only one needed", "[optimal]") {
  PairProblem p = FullCoverage({{64, 96, 5}}, 10);
  PairSolution s = SolvePairs(p);
  CHECK(s.gears.size() == 2);
  CHECK(s.gears.back() == HwGear{64, 96});
  CHECK(s.cost == 5.0 * 64 * 96);
  // The same from the local search.
  PairOptions search_only;
  search_only.exact_subset_limit = 0;
  s = SolvePairs(p, search_only);
  CHECK(s.gears == std::vector<HwGear>{{64, 64}, {64, 96}});
  CHECK(s.cost == 5.0 * 64 * 96);
  // Nothing holdable: the smallest allowed gears, everything shrunk.
  p.cells.clear();
  p.overflow = 3;
  p.min_held = 0;
  s = SolvePairs(p);
  CHECK(s.gears == std::vector<HwGear>{{32, 32}, {32, 64}});
}
