#include "stats/solvers/optimal_grid.h"

#include <catch2/catch.hpp>
#include <random>

#include "stats/solvers/pair_test_problems.h"

using namespace autoscale;
using namespace autoscale::pair_test;

TEST_CASE("best grid is exact against brute force on small profiles", "[optimal]") {
  std::mt19937 rng(13);
  for (int round = 0; round < 100; ++round) {
    PairProblem p = RandomProblem(&rng, 160, 8);
    p.max_gears = 1 + round % 5;
    GridSolution g = BestGrid(p.cells, p.max_gears);
    INFO("round " << round);
    CHECK(g.exact);
    CHECK(g.heights.size() * g.widths.size() <= static_cast<size_t>(p.max_gears));
    CHECK(g.cost == Approx(BruteForceGrid(p, 160)));
    CHECK(GridCost(p.cells, g.heights, g.widths) == Approx(g.cost));
    // The alternating search (used when exhaustive is too big) is never
    // better than exact and holds every cell.
    GridOptions alternate;
    alternate.exhaustive_limit = 0;
    GridSolution a = BestGrid(p.cells, p.max_gears, alternate);
    CHECK_FALSE(a.exact);
    CHECK(a.cost >= g.cost * (1 - 1e-12));
    CHECK(a.heights.size() * a.widths.size() <= static_cast<size_t>(p.max_gears));
  }
}
