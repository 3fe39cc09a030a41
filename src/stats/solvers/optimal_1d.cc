#include "stats/solvers/optimal_1d.h"

#include <algorithm>
#include <limits>

namespace autoscale {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// The cost of one unit of weight at each value: unit_costs, or the values.
std::vector<double> UnitCosts(const OneDimProblem& p) {
  if (!p.unit_costs.empty()) return p.unit_costs;
  return std::vector<double>(p.values.begin(), p.values.end());
}

// One layer of the dynamic programme: best[j] is the cheapest way to serve
// values 0..j with `k` gears, the top one at values[j]; prev is layer k-1.
// The best previous cut for j is monotone in j (quadrangle inequality:
// (P[i']-P[i]) * (c[j]-c[j']) <= 0 for i < i', j < j', c the unit costs,
// which do not decrease), so divide and conquer
// evaluates O(n log n) cuts instead of O(n^2).
class Layer {
 public:
  Layer(const std::vector<double>& prefix, const std::vector<double>& values,
        const std::vector<double>& prev, std::vector<double>* best, std::vector<int32_t>* cut)
      : prefix_(prefix), values_(values), prev_(prev), best_(best), cut_(cut) {}

  void Solve(int64_t k) {
    const int64_t n = static_cast<int64_t>(values_.size());
    std::fill(best_->begin(), best_->end(), kInf);
    // With k gears the top can be no lower than values[k-1].
    if (k - 1 < n) Range(k - 1, n - 1, k - 2, n - 2);
  }

 private:
  void Range(int64_t lo, int64_t hi, int64_t opt_lo, int64_t opt_hi) {
    while (lo <= hi) {
      const int64_t mid = lo + (hi - lo) / 2;
      double best = kInf;
      int64_t best_i = opt_lo;
      const double top = values_[mid];
      const int64_t last = std::min(mid - 1, opt_hi);
      for (int64_t i = opt_lo; i <= last; ++i) {
        const double c = prev_[i] + (prefix_[mid + 1] - prefix_[i + 1]) * top;
        if (c < best) {
          best = c;
          best_i = i;
        }
      }
      (*best_)[mid] = best;
      (*cut_)[mid] = static_cast<int32_t>(best_i);
      // Recurse into the smaller half, loop over the larger: bounded depth.
      if (mid - lo < hi - mid) {
        Range(lo, mid - 1, opt_lo, best_i);
        lo = mid + 1;
        opt_lo = best_i;
      } else {
        Range(mid + 1, hi, best_i, opt_hi);
        hi = mid - 1;
        opt_hi = best_i;
      }
    }
  }

  const std::vector<double>& prefix_;
  const std::vector<double>& values_;  // the unit cost of each value
  const std::vector<double>& prev_;
  std::vector<double>* best_;
  std::vector<int32_t>* cut_;
};

}  // namespace

OneDimSolution SolveOneDim(const OneDimProblem& p) {
  OneDimSolution out;
  const int64_t n = static_cast<int64_t>(p.values.size());
  if (n == 0 || p.max_gears < 1) return out;
  const std::vector<double>& counts = p.counts.empty() ? p.weights : p.counts;
  const std::vector<double> unit = UnitCosts(p);
  std::vector<double> prefix(n + 1, 0), held(n + 1, 0);
  for (int64_t i = 0; i < n; ++i) {
    prefix[i + 1] = prefix[i] + p.weights[i];
    held[i + 1] = held[i] + counts[i];
  }
  const int64_t layers = std::min<int64_t>(p.max_gears, n);
  const int64_t first_top = p.min_top_index < 0 ? n - 1 : std::min(p.min_top_index, n - 1);
  // Counts are whole numbers carried in doubles; the slack absorbs rounding.
  const double need = p.min_held - 1e-6 * std::max(1.0, p.min_held);

  std::vector<std::vector<int32_t>> cuts(layers, std::vector<int32_t>(n, -1));
  std::vector<double> prev(n), cur(n);
  for (int64_t j = 0; j < n; ++j) cur[j] = prefix[j + 1] * unit[j];

  double best_total = kInf;
  int64_t best_top = -1, best_layers = 0;
  // Cost with the top at t: layer min(layers, t+1) is the cheapest for that
  // top (more gears never cost more), plus what the top gear serves above t.
  auto consider = [&](int64_t k, int64_t t) {
    if (t < first_top || held[t + 1] < need || !(cur[t] < kInf)) return;
    const double above = prefix[n] - prefix[t + 1] + p.overflow_weight;
    const double total = cur[t] + above * unit[t];
    if (total < best_total) {
      best_total = total;
      best_top = t;
      best_layers = k;
    }
  };
  for (int64_t k = 1; k <= layers; ++k) {
    if (k > 1) {
      prev.swap(cur);
      Layer(prefix, unit, prev, &cur, &cuts[k - 1]).Solve(k);
    }
    if (k < layers) {
      consider(k, k - 1);
    } else {
      for (int64_t t = k - 1; t < n; ++t) consider(k, t);
    }
  }
  if (best_top < 0) return out;
  out.feasible = true;
  out.cost = best_total;
  for (int64_t k = best_layers, j = best_top; k >= 1; --k) {
    out.gears.push_back(p.values[j]);
    j = cuts[k - 1][j];
  }
  std::reverse(out.gears.begin(), out.gears.end());
  return out;
}

double OneDimCost(const OneDimProblem& p, const std::vector<int64_t>& gears) {
  if (gears.empty()) return kInf;
  const std::vector<double> unit = UnitCosts(p);
  // The unit cost of gear value g (a gear is one of the values).
  auto unit_of = [&](int64_t g) {
    auto at = std::lower_bound(p.values.begin(), p.values.end(), g);
    if (at != p.values.end() && *at == g) return unit[at - p.values.begin()];
    return static_cast<double>(g);
  };
  double cost = p.overflow_weight * unit_of(gears.back());
  for (size_t i = 0; i < p.values.size(); ++i) {
    auto it = std::lower_bound(gears.begin(), gears.end(), p.values[i]);
    const int64_t g = it == gears.end() ? gears.back() : *it;
    cost += p.weights[i] * unit_of(g);
  }
  return cost;
}

}  // namespace autoscale
