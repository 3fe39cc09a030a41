// The best h x w grid of gears for (h, w) samples: every height gear paired
// with every width gear, as MindOCR builds them. A grid's cost separates
// (a sample costs gear_h(h) * gear_w(w)), so with one side fixed the other is
// an exact one-dim problem. The free-pairs search starts from this grid and
// is measured against it.
#pragma once

#include <cstdint>
#include <vector>

namespace autoscale {

// Samples of one (h, w) size, already rounded to the gear that holds them.
struct PairCell {
  int64_t h = 0;
  int64_t w = 0;
  double count = 0;
};

struct GridSolution {
  std::vector<int64_t> heights;  // ascending
  std::vector<int64_t> widths;   // ascending
  double cost = 0;
  // True when every grid of the budget was weighed (not just alternated to
  // a local optimum).
  bool exact = false;
};

struct GridOptions {
  // Search exhaustively when the height (or width) subsets to try are at
  // most this many; otherwise alternate exact one-dim solves from several
  // starts. Default 4096.
  int64_t exhaustive_limit = 4096;
};

// The cheapest grid of at most `max_gears` (h, w) gears that holds every
// cell (cells distinct, counts positive, not empty).
GridSolution BestGrid(const std::vector<PairCell>& cells, int64_t max_gears,
                      const GridOptions& options = {});

// Sum of count * gear_h * gear_w; gears ascending and holding every cell.
double GridCost(const std::vector<PairCell>& cells, const std::vector<int64_t>& heights,
                const std::vector<int64_t>& widths);

}  // namespace autoscale
