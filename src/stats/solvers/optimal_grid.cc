#include "stats/solvers/optimal_grid.h"

#include <algorithm>
#include <limits>
#include <map>

#include "stats/solvers/optimal_1d.h"

namespace autoscale {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

std::vector<int64_t> Distinct(const std::vector<PairCell>& cells, bool height) {
  std::vector<int64_t> v;
  for (const auto& c : cells) v.push_back(height ? c.h : c.w);
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

int64_t SmallestHolding(const std::vector<int64_t>& gears, int64_t v) {
  return *std::lower_bound(gears.begin(), gears.end(), v);
}

// The exact best gears of one side given the other side's gears (empty:
// weigh each sample by its count alone, the side's own marginal).
std::vector<int64_t> SolveSide(const std::vector<PairCell>& cells, bool height,
                               const std::vector<int64_t>& other, int64_t budget) {
  std::map<int64_t, double> weight;
  for (const auto& c : cells) {
    const double factor =
        other.empty() ? 1.0 : static_cast<double>(SmallestHolding(other, height ? c.w : c.h));
    weight[height ? c.h : c.w] += c.count * factor;
  }
  OneDimProblem p;
  for (const auto& [v, w] : weight) {
    p.values.push_back(v);
    p.weights.push_back(w);
  }
  p.max_gears = budget;
  p.min_top_index = -1;  // every cell must be held
  return SolveOneDim(p).gears;
}

// Saturating binomial sum: how many subsets of `pool` values (plus the
// forced largest) of size 1..max_size there are, capped above `cap`.
int64_t SubsetCount(int64_t pool, int64_t max_size, int64_t cap) {
  int64_t total = 0, c = 1;  // c = C(pool, s)
  for (int64_t s = 0; s < max_size && s <= pool; ++s) {
    total += c;
    if (total > cap) return cap + 1;
    c = c * (pool - s) / (s + 1);
    if (c > cap) c = cap + 1;
  }
  return total;
}

class GridSearch {
 public:
  GridSearch(const std::vector<PairCell>& cells, int64_t max_gears)
      : cells_(cells), max_gears_(max_gears) {}

  void Consider(std::vector<int64_t> heights, std::vector<int64_t> widths) {
    if (heights.empty() || widths.empty()) return;
    const double cost = GridCost(cells_, heights, widths);
    if (cost < best_.cost) best_ = {std::move(heights), std::move(widths), cost, false};
  }

  // Every subset of `side`'s values that keeps its largest, each with the
  // exact best other side for the budget it leaves.
  void Exhaustive(bool height, const std::vector<int64_t>& values) {
    std::vector<int64_t> chosen;
    Enumerate(height, values, 0, &chosen);
    best_.exact = true;
  }

  // Alternates exact one-dim solves of each side until neither improves,
  // for every split of the budget into heights x widths.
  void Alternate(size_t num_heights, size_t num_widths) {
    const int64_t top_h = std::min<int64_t>(static_cast<int64_t>(num_heights), max_gears_);
    for (int64_t nh = 1; nh <= top_h; ++nh) {
      const int64_t nw = std::min<int64_t>(static_cast<int64_t>(num_widths), max_gears_ / nh);
      const int64_t next_nw =
          std::min<int64_t>(static_cast<int64_t>(num_widths), max_gears_ / (nh + 1));
      if (nh < top_h && next_nw == nw) continue;  // more heights for the same widths
      for (bool heights_first : {false, true}) {
        std::vector<int64_t> hs, ws;
        if (heights_first) {
          hs = SolveSide(cells_, true, {}, nh);
        } else {
          ws = SolveSide(cells_, false, {}, nw);
          hs = SolveSide(cells_, true, ws, nh);
        }
        double cost = kInf;
        for (int round = 0; round < 100; ++round) {
          ws = SolveSide(cells_, false, hs, nw);
          auto next_hs = SolveSide(cells_, true, ws, nh);
          const double next = GridCost(cells_, next_hs, ws);
          hs = std::move(next_hs);
          if (!(next < cost)) break;
          cost = next;
        }
        Consider(hs, ws);
      }
    }
  }

  GridSolution Take() { return std::move(best_); }

 private:
  void Enumerate(bool height, const std::vector<int64_t>& values, size_t from,
                 std::vector<int64_t>* chosen) {
    // chosen (ascending, all below the largest) + the largest.
    std::vector<int64_t> side = *chosen;
    side.push_back(values.back());
    const int64_t other_budget = max_gears_ / static_cast<int64_t>(side.size());
    std::vector<int64_t> other = SolveSide(cells_, !height, side, other_budget);
    if (height) {
      Consider(side, other);
    } else {
      Consider(other, side);
    }
    if (static_cast<int64_t>(side.size()) >= max_gears_) return;
    for (size_t i = from; i + 1 < values.size(); ++i) {
      chosen->push_back(values[i]);
      Enumerate(height, values, i + 1, chosen);
      chosen->pop_back();
    }
  }

  const std::vector<PairCell>& cells_;
  int64_t max_gears_;
  GridSolution best_{{}, {}, kInf, false};
};

}  // namespace

double GridCost(const std::vector<PairCell>& cells, const std::vector<int64_t>& heights,
                const std::vector<int64_t>& widths) {
  double cost = 0;
  for (const auto& c : cells)
    cost += c.count * static_cast<double>(SmallestHolding(heights, c.h)) *
            static_cast<double>(SmallestHolding(widths, c.w));
  return cost;
}

GridSolution BestGrid(const std::vector<PairCell>& cells, int64_t max_gears,
                      const GridOptions& options) {
  if (cells.empty() || max_gears < 1) return {};
  const std::vector<int64_t> hs = Distinct(cells, true), ws = Distinct(cells, false);
  // Enumerate the side with fewer values; the other is solved exactly.
  const bool by_height = hs.size() <= ws.size();
  const std::vector<int64_t>& side = by_height ? hs : ws;
  GridSearch search(cells, max_gears);
  if (SubsetCount(static_cast<int64_t>(side.size()) - 1, max_gears, options.exhaustive_limit) <=
      options.exhaustive_limit) {
    search.Exhaustive(by_height, side);
  } else {
    search.Alternate(hs.size(), ws.size());
  }
  return search.Take();
}

}  // namespace autoscale
