#include "stats/solvers/optimal_batch.h"

#include <algorithm>

#include "stats/solvers/optimal_1d.h"

namespace autoscale {

namespace {

// The best set whose largest gear is candidates[top]: full runs are fixed by
// M alone, and the remainders are a one-dim problem over the candidates
// below M with M itself as the forced top.
BatchSolution BestWithTop(const BatchProblem& p, size_t top) {
  BatchSolution out;
  const int64_t m = p.candidates[top];
  const auto below_end = p.candidates.begin() + static_cast<std::ptrdiff_t>(top);
  double full_slots = 0;
  std::map<int64_t, double> served;  // smallest candidate holding a remainder -> runs
  for (const auto& [k, images] : p.box_counts) {
    if (k <= 0) continue;
    const double n = static_cast<double>(images);
    int64_t rest = k;
    if (k > m) {
      full_slots += static_cast<double>(k / m) * static_cast<double>(m) * n;
      rest = k % m;
      if (rest == 0) continue;
    }
    auto it = std::lower_bound(p.candidates.begin(), below_end, rest);
    served[it == below_end ? m : *it] += n;
  }
  OneDimProblem dim;
  for (const auto& [v, n] : served) {
    if (v == m) continue;
    dim.values.push_back(v);
    dim.weights.push_back(n);
  }
  dim.values.push_back(m);
  dim.weights.push_back(served.count(m) ? served[m] : 0.0);
  dim.max_gears = p.max_gears;
  dim.min_top_index = -1;
  OneDimSolution s = SolveOneDim(dim);
  if (!s.feasible) return out;
  // A gear below M never costs anything (a remainder it holds would
  // otherwise use a larger gear), so the minimum is met for free when the
  // programme used fewer.
  for (auto it = below_end; static_cast<int64_t>(s.gears.size()) < p.min_gears;) {
    if (it == p.candidates.begin()) return out;
    --it;
    if (!std::binary_search(s.gears.begin(), s.gears.end(), *it))
      s.gears.insert(std::lower_bound(s.gears.begin(), s.gears.end(), *it), *it);
  }
  out.feasible = true;
  out.gears = std::move(s.gears);
  out.slots = full_slots + s.cost;
  return out;
}

}  // namespace

BatchSolution SolveBatch(const BatchProblem& p) {
  BatchSolution best;
  if (p.candidates.empty() || p.max_gears < std::max<int64_t>(1, p.min_gears)) return best;
  int64_t max_count = 0;
  for (const auto& [k, n] : p.box_counts)
    if (n > 0) max_count = std::max(max_count, k);
  // A largest gear above every box count only pads, so past the first
  // candidate that holds them all only one more (for a two-gear minimum
  // when nothing fits below) is worth trying.
  size_t past_all = 0;
  auto next_count = p.box_counts.begin();
  double single_run = 0;  // images with 0 < k <= candidates[top]
  const double need = p.min_single_run - 1e-6 * std::max(1.0, p.min_single_run);
  for (size_t top = 0; top < p.candidates.size(); ++top) {
    if (past_all == 2) break;
    if (p.candidates[top] >= max_count) ++past_all;
    for (; next_count != p.box_counts.end() && next_count->first <= p.candidates[top]; ++next_count)
      if (next_count->first > 0) single_run += static_cast<double>(next_count->second);
    if (single_run < need) continue;
    BatchSolution s = BestWithTop(p, top);
    if (s.feasible && (!best.feasible || s.slots < best.slots)) best = std::move(s);
  }
  return best;
}

double BatchSlots(const std::map<int64_t, uint64_t>& box_counts, const std::vector<int64_t>& gears) {
  const int64_t m = gears.back();
  double slots = 0;
  for (const auto& [k, images] : box_counts) {
    if (k <= 0) continue;
    const int64_t rest = k > m ? k % m : k;
    double per_image = static_cast<double>(k > m ? k / m * m : 0);
    if (rest > 0) per_image += static_cast<double>(*std::lower_bound(gears.begin(), gears.end(), rest));
    slots += per_image * static_cast<double>(images);
  }
  return slots;
}

}  // namespace autoscale
