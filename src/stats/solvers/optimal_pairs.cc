#include "stats/solvers/optimal_pairs.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <optional>

namespace autoscale {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

double Area(const HwGear& g) { return static_cast<double>(g.first) * static_cast<double>(g.second); }

// Counts are whole numbers carried in doubles; the slack absorbs rounding.
bool Reaches(double held, double need) { return held >= need - 1e-6 * std::max(1.0, need); }

// The distinct heights and widths of `cells`, and each cell's index in them.
struct CellIndex {
  std::vector<int64_t> hs, ws;
  std::vector<int32_t> ci, cj;
  std::vector<double> cn;

  explicit CellIndex(const std::vector<PairCell>& cells) {
    for (const auto& c : cells) {
      hs.push_back(c.h);
      ws.push_back(c.w);
    }
    for (auto* v : {&hs, &ws}) {
      std::sort(v->begin(), v->end());
      v->erase(std::unique(v->begin(), v->end()), v->end());
    }
    for (const auto& c : cells) {
      ci.push_back(static_cast<int32_t>(std::lower_bound(hs.begin(), hs.end(), c.h) - hs.begin()));
      cj.push_back(static_cast<int32_t>(std::lower_bound(ws.begin(), ws.end(), c.w) - ws.begin()));
      cn.push_back(c.count);
    }
  }
  size_t size() const { return cn.size(); }
  int32_t a() const { return static_cast<int32_t>(hs.size()); }
  int32_t b() const { return static_cast<int32_t>(ws.size()); }
  double AreaAt(int32_t i, int32_t j) const {
    return static_cast<double>(hs[i]) * static_cast<double>(ws[j]);
  }
};

// Saturating sum of C(n, k) for k = 1..max_k, capped just above `cap`.
int64_t SubsetsUpTo(int64_t n, int64_t max_k, int64_t cap) {
  int64_t total = 0, c = 1;
  for (int64_t k = 1; k <= max_k && k <= n; ++k) {
    c = c * (n - k + 1) / k;
    if (c > cap) return cap + 1;
    total += c;
    if (total > cap) return cap + 1;
  }
  return total;
}

// Weighs every subset of the useful pairs (each the bounding box of some
// cells: its h is some cell's h whose w fits, and likewise its w) with the
// exact objective, coverage target included. The smallest allowed gear and
// the two just above it are candidates too: a gear that serves nothing it
// holds (the shrunk samples' largest gear, or a second gear) is cheapest
// there.
class Exhaustive {
 public:
  Exhaustive(const PairProblem& p, const CellIndex& idx) : p_(p), idx_(idx) {
    const int32_t a = idx.a(), b = idx.b();
    std::vector<int32_t> min_j_at(a, b), min_i_at(b, a);
    for (size_t s = 0; s < idx.size(); ++s) {
      min_j_at[idx.ci[s]] = std::min(min_j_at[idx.ci[s]], idx.cj[s]);
      min_i_at[idx.cj[s]] = std::min(min_i_at[idx.cj[s]], idx.ci[s]);
    }
    for (int32_t i = 0; i < a; ++i)
      for (int32_t j = 0; j < b; ++j)
        if (min_j_at[i] <= j && min_i_at[j] <= i) pos_.push_back({idx.hs[i], idx.ws[j]});
    for (const HwGear& g : {HwGear{p.lo_h, p.lo_w}, HwGear{p.lo_h, p.lo_w + p.interval},
                            HwGear{p.lo_h + p.interval, p.lo_w}}) {
      if (g.first <= p.hi_h && g.second <= p.hi_w &&
          std::find(pos_.begin(), pos_.end(), g) == pos_.end())
        pos_.push_back(g);
    }
    total_ = std::accumulate(idx.cn.begin(), idx.cn.end(), 0.0);
  }

  int64_t Subsets(int64_t cap) const {
    return SubsetsUpTo(static_cast<int64_t>(pos_.size()), p_.max_gears, cap);
  }

  // The best subset, and the best of at least two pairs (empty if none).
  std::pair<std::vector<HwGear>, std::vector<HwGear>> Solve() {
    std::vector<std::vector<double>> best(
        static_cast<size_t>(std::min<int64_t>(p_.max_gears, static_cast<int64_t>(pos_.size()))) + 1,
        std::vector<double>(idx_.size(), kInf));
    std::vector<size_t> path;
    Dfs(0, 0.0, &best, &path);
    return {Gears(best_[0].path), Gears(best_[1].path)};
  }

 private:
  void Dfs(size_t from, double max_area, std::vector<std::vector<double>>* best,
           std::vector<size_t>* path) {
    const size_t depth = path->size();
    if (depth + 1 >= best->size()) return;
    const std::vector<double>& prev = (*best)[depth];
    std::vector<double>& cur = (*best)[depth + 1];
    for (size_t k = from; k < pos_.size(); ++k) {
      const auto [gh, gw] = pos_[k];
      const double area = Area(pos_[k]);
      double held = 0, served = 0;
      for (size_t s = 0; s < idx_.size(); ++s) {
        cur[s] = prev[s];
        if (gh >= idx_.hs[idx_.ci[s]] && gw >= idx_.ws[idx_.cj[s]]) cur[s] = std::min(cur[s], area);
        if (cur[s] < kInf) {
          held += idx_.cn[s];
          served += idx_.cn[s] * cur[s];
        }
      }
      const double top = std::max(max_area, area);
      path->push_back(k);
      if (Reaches(held, p_.min_held)) {
        const double cost = served + (total_ - held + p_.overflow) * top;
        for (Best* b : {&best_[0], path->size() >= 2 ? &best_[1] : nullptr}) {
          if (b && cost < b->cost) {
            b->cost = cost;
            b->path = *path;
          }
        }
      }
      Dfs(k + 1, top, best, path);
      path->pop_back();
    }
  }

  std::vector<HwGear> Gears(const std::vector<size_t>& path) const {
    std::vector<HwGear> out;
    for (size_t k : path) out.push_back(pos_[k]);
    return out;
  }

  struct Best {
    double cost = kInf;
    std::vector<size_t> path;
  };
  const PairProblem& p_;
  const CellIndex& idx_;
  std::vector<HwGear> pos_;
  double total_ = 0;
  Best best_[2];  // any size; at least two pairs
};

// Local search over pairs on cells that must all be held (see the header).
// Positions are (i, j) indices into the distinct heights and widths.
class LocalSearch {
 public:
  LocalSearch(const CellIndex& idx, int64_t max_gears)
      : idx_(idx), a_(idx.a()), b_(idx.b()), k_(static_cast<size_t>(max_gears)) {
    area_.resize(static_cast<size_t>(a_) * b_);
    for (int32_t i = 0; i < a_; ++i)
      for (int32_t j = 0; j < b_; ++j) area_[Pos(i, j)] = idx.AreaAt(i, j);
    gain_.assign(area_.size(), 0);
    delta_.assign(area_.size(), 0);
  }

  // `seed` must hold every cell; values must be among the cells' values.
  std::vector<HwGear> Improve(const std::vector<HwGear>& seed) {
    gears_.clear();
    for (const auto& [h, w] : seed) {
      auto i = std::lower_bound(idx_.hs.begin(), idx_.hs.end(), h) - idx_.hs.begin();
      auto j = std::lower_bound(idx_.ws.begin(), idx_.ws.end(), w) - idx_.ws.begin();
      gears_.push_back(Pos(static_cast<int32_t>(i), static_cast<int32_t>(j)));
    }
    Recompute();
    // Every accepted move lowers the cost, so this ends; the cap is a guard.
    for (int step = 0; step < 100000; ++step) {
      Shrink();
      Fill();
      if (!BestSwap()) break;
    }
    std::vector<HwGear> out;
    for (int32_t p : gears_) out.push_back({idx_.hs[p / b_], idx_.ws[p % b_]});
    return out;
  }

 private:
  size_t Pos(int32_t i, int32_t j) const { return static_cast<size_t>(i) * b_ + j; }

  // Each cell's cheapest and second cheapest holding gear.
  void Recompute() {
    std::sort(gears_.begin(), gears_.end());
    gears_.erase(std::unique(gears_.begin(), gears_.end()), gears_.end());
    const size_t m = idx_.size();
    best1_.assign(m, kInf);
    best2_.assign(m, kInf);
    arg1_.assign(m, -1);
    cost_ = 0;
    for (size_t s = 0; s < m; ++s) {
      for (size_t q = 0; q < gears_.size(); ++q) {
        const int32_t p = gears_[q];
        if (p / b_ < idx_.ci[s] || p % b_ < idx_.cj[s]) continue;
        const double a = area_[p];
        if (a < best1_[s]) {
          best2_[s] = best1_[s];
          best1_[s] = a;
          arg1_[s] = static_cast<int32_t>(q);
        } else if (a < best2_[s]) {
          best2_[s] = a;
        }
      }
      cost_ += idx_.cn[s] * best1_[s];
    }
  }

  // gain_[p]: what adding a gear at p saves. A cell contributes only to the
  // positions that hold it and cost less than its gear now.
  void ComputeGain() {
    std::fill(gain_.begin(), gain_.end(), 0.0);
    for (size_t s = 0; s < idx_.size(); ++s) {
      const double cur = best1_[s], n = idx_.cn[s];
      const int32_t j0 = idx_.cj[s];
      for (int32_t i = idx_.ci[s]; i < a_ && area_[Pos(i, j0)] < cur; ++i) {
        const size_t row = Pos(i, 0);
        for (int32_t j = j0; j < b_; ++j) {
          const double a = area_[row + j];
          if (a >= cur) break;
          gain_[row + j] += n * (cur - a);
        }
      }
    }
  }

  // Gears shrink to the bounding box of the cells they serve; gears that
  // serve nothing go (Fill may use their slot better).
  void Shrink() {
    std::vector<int32_t> top_i(gears_.size(), -1), top_j(gears_.size(), -1);
    for (size_t s = 0; s < idx_.size(); ++s) {
      const int32_t q = arg1_[s];
      if (q < 0) continue;  // not held: only a seed that misses cells
      top_i[q] = std::max(top_i[q], idx_.ci[s]);
      top_j[q] = std::max(top_j[q], idx_.cj[s]);
    }
    std::vector<int32_t> next;
    for (size_t q = 0; q < gears_.size(); ++q)
      if (top_i[q] >= 0) next.push_back(static_cast<int32_t>(Pos(top_i[q], top_j[q])));
    if (next != gears_) {
      gears_ = std::move(next);
      Recompute();
    }
  }

  // Adds the most saving gear while the budget allows and one saves.
  void Fill() {
    while (gears_.size() < k_) {
      ComputeGain();
      const size_t p = static_cast<size_t>(std::max_element(gain_.begin(), gain_.end()) - gain_.begin());
      if (!(gain_[p] > Tolerance())) return;
      gears_.push_back(static_cast<int32_t>(p));
      Recompute();
    }
  }

  double Tolerance() const { return 1e-12 * std::max(1.0, cost_); }

  // The best single swap: drop gear x, add position c, over every pair
  // (x, c); taken when it lowers the cost. False at a local optimum.
  //
  // With gain_ computed for the current gears, dropping x changes only the
  // cells x serves: they fall back to their second gear (or, held by
  // nothing else, must be held by c). Their correction to gain_ covers
  // their improving regions, so one pass over the positions per x prices
  // every c.
  bool BestSwap() {
    ComputeGain();
    const std::vector<std::vector<size_t>> served = ServedCells();
    // Which positions can be the best c for x: the drop only raises what a
    // position saves (delta >= 0) except over orphans' regions, and those
    // positions are all `touched`. So without orphans the untouched best is
    // the overall most saving position; with orphans c must hold them all
    // (a quadrant), where an untouched position that saves nothing is never
    // better than the quadrant's corner, the cheapest one.
    std::vector<std::vector<int32_t>> saving_in_row(a_);
    size_t most_saving = 0;
    for (size_t c = 0; c < gain_.size(); ++c) {
      if (!(gain_[c] > 0)) continue;
      saving_in_row[c / b_].push_back(static_cast<int32_t>(c % b_));
      if (gain_[c] > gain_[most_saving]) most_saving = c;
    }
    std::fill(delta_.begin(), delta_.end(), 0.0);
    std::vector<char> marked(area_.size(), 0);
    std::vector<size_t> touched;
    double best_cost = cost_ - Tolerance();
    size_t best_x = 0;
    int64_t best_c = -1;
    for (size_t x = 0; x < gears_.size(); ++x) {
      const Drop drop = PriceDrop(served[x], &marked, &touched);
      auto consider = [&](size_t c) {
        if (drop.orphans > 0 && (static_cast<int32_t>(c / b_) < drop.need_i ||
                                 static_cast<int32_t>(c % b_) < drop.need_j))
          return;
        const double cost = drop.cost_without - gain_[c] - delta_[c] + drop.orphans * area_[c];
        if (cost < best_cost) {
          best_cost = cost;
          best_x = x;
          best_c = static_cast<int64_t>(c);
        }
      };
      for (size_t c : touched) consider(c);
      if (drop.orphans > 0) {
        consider(Pos(drop.need_i, drop.need_j));
        for (int32_t i = drop.need_i; i < a_; ++i) {
          const auto& row = saving_in_row[i];
          for (auto j = std::lower_bound(row.begin(), row.end(), drop.need_j); j != row.end(); ++j)
            consider(Pos(i, *j));
        }
      } else {
        consider(most_saving);
      }
      for (size_t c : touched) {
        delta_[c] = 0.0;
        marked[c] = 0;
      }
      touched.clear();
    }
    if (best_c < 0) return false;
    gears_[best_x] = static_cast<int32_t>(best_c);
    Recompute();
    return true;
  }

  // The cells each gear serves (is the cheapest holder of).
  std::vector<std::vector<size_t>> ServedCells() const {
    std::vector<std::vector<size_t>> served(gears_.size());
    for (size_t s = 0; s < idx_.size(); ++s)
      if (arg1_[s] >= 0) served[static_cast<size_t>(arg1_[s])].push_back(s);
    return served;
  }

  // What dropping one gear does: the cost without it, the samples of the
  // cells nothing else holds (orphans), and the corner a replacement must
  // reach to hold them all.
  struct Drop {
    double cost_without = 0;
    double orphans = 0;
    int32_t need_i = 0, need_j = 0;
  };

  // Prices dropping the gear that serves `cells`, and adds to delta_ the
  // correction to gain_ at every position that changes (each listed once in
  // `touched`, flagged in `marked`).
  Drop PriceDrop(const std::vector<size_t>& cells, std::vector<char>* marked,
                 std::vector<size_t>* touched) {
    Drop drop;
    drop.cost_without = cost_;
    for (size_t s : cells) {
      const double n = idx_.cn[s], first = best1_[s], second = best2_[s];
      const int32_t i0 = idx_.ci[s], j0 = idx_.cj[s];
      drop.cost_without -= n * first;
      if (second < kInf) {
        drop.cost_without += n * second;
      } else {
        drop.orphans += n;
        drop.need_i = std::max(drop.need_i, i0);
        drop.need_j = std::max(drop.need_j, j0);
      }
      // delta = what c saves this cell without x, minus what gain_ says.
      const double bound = second < kInf ? second : first;
      for (int32_t i = i0; i < a_ && area_[Pos(i, j0)] < bound; ++i) {
        const size_t row = Pos(i, 0);
        for (int32_t j = j0; j < b_; ++j) {
          const double a = area_[row + j];
          if (a >= bound) break;
          const double now = a < first ? first - a : 0.0;
          const double without = second < kInf ? second - a : 0.0;
          if (!(*marked)[row + j]) {
            (*marked)[row + j] = 1;
            touched->push_back(row + j);
          }
          delta_[row + j] += n * (without - now);
        }
      }
    }
    return drop;
  }

  const CellIndex& idx_;
  int32_t a_, b_;
  size_t k_;
  std::vector<double> area_, gain_, delta_;
  std::vector<int32_t> gears_;
  std::vector<double> best1_, best2_;
  std::vector<int32_t> arg1_;
  double cost_ = 0;
};

// A seed from the cells in order of aspect (w/h, then size): cut into at
// most `max_gears` runs, each served by its bounding box, by dynamic
// programming over the cuts. Images of a similar shape share a gear, which
// is what free pairs are for; the grid and the greedy seeds miss this when
// the best gears form a staircase (one tall, one wide). The cells are first
// merged into at most kBlocks consecutive blocks to bound the O(k n^2) cost.
std::vector<HwGear> AspectSeed(const std::vector<PairCell>& cells, int64_t max_gears) {
  constexpr size_t kBlocks = 400;
  std::vector<PairCell> sorted = cells;
  std::sort(sorted.begin(), sorted.end(), [](const PairCell& x, const PairCell& y) {
    // x.w/x.h < y.w/y.h without division; then smaller first.
    const double lhs = static_cast<double>(x.w) * y.h, rhs = static_cast<double>(y.w) * x.h;
    if (lhs != rhs) return lhs < rhs;
    return static_cast<double>(x.h) * x.w < static_cast<double>(y.h) * y.w;
  });
  struct Block {
    int64_t h = 0, w = 0;
    double count = 0;
  };
  std::vector<Block> blocks;
  const size_t per_block = (sorted.size() + kBlocks - 1) / kBlocks;
  for (size_t s = 0; s < sorted.size(); ++s) {
    if (s % per_block == 0) blocks.push_back({});
    Block& b = blocks.back();
    b.h = std::max(b.h, sorted[s].h);
    b.w = std::max(b.w, sorted[s].w);
    b.count += sorted[s].count;
  }
  const size_t n = blocks.size();
  const size_t layers = static_cast<size_t>(std::min<int64_t>(max_gears, static_cast<int64_t>(n)));
  std::vector<double> prefix(n + 1, 0);
  for (size_t i = 0; i < n; ++i) prefix[i + 1] = prefix[i] + blocks[i].count;
  // f[j]: cheapest cut of blocks 0..j-1 into the current number of runs.
  std::vector<double> prev(n + 1, kInf), cur(n + 1, kInf);
  std::vector<std::vector<uint32_t>> cut(layers + 1, std::vector<uint32_t>(n + 1, 0));
  prev[0] = 0;
  double best = kInf;
  size_t best_layers = 0;
  for (size_t k = 1; k <= layers; ++k) {
    std::fill(cur.begin(), cur.end(), kInf);
    for (size_t j = k; j <= n; ++j) {
      int64_t mh = 0, mw = 0;
      for (size_t i = j; i-- > k - 1;) {  // the run is blocks i..j-1
        mh = std::max(mh, blocks[i].h);
        mw = std::max(mw, blocks[i].w);
        const double c = prev[i] + (prefix[j] - prefix[i]) * static_cast<double>(mh) * mw;
        if (c < cur[j]) {
          cur[j] = c;
          cut[k][j] = static_cast<uint32_t>(i);
        }
      }
    }
    if (cur[n] < best) {
      best = cur[n];
      best_layers = k;
    }
    prev.swap(cur);
  }
  std::vector<HwGear> gears;
  for (size_t k = best_layers, j = n; k >= 1; --k) {
    const size_t i = cut[k][j];
    int64_t mh = 0, mw = 0;
    for (size_t q = i; q < j; ++q) {
      mh = std::max(mh, blocks[q].h);
      mw = std::max(mw, blocks[q].w);
    }
    gears.push_back({mh, mw});
    j = i;
  }
  return gears;
}

// The cells the local search must hold: all but the largest by h*w, as many
// as the coverage target lets go (whole cells only).
std::vector<PairCell> KeptCells(const PairProblem& p) {
  std::vector<PairCell> cells = p.cells;
  double holdable = 0;
  for (const auto& c : cells) holdable += c.count;
  double spare = holdable - p.min_held;
  std::sort(cells.begin(), cells.end(), [](const PairCell& x, const PairCell& y) {
    const double ax = static_cast<double>(x.h) * x.w, ay = static_cast<double>(y.h) * y.w;
    return ax != ay ? ax > ay : std::make_pair(x.h, x.w) > std::make_pair(y.h, y.w);
  });
  size_t first = 0;
  while (first + 1 < cells.size() && Reaches(spare, cells[first].count)) spare -= cells[first++].count;
  return {cells.begin() + static_cast<std::ptrdiff_t>(first), cells.end()};
}

// Above this many positions (distinct heights x widths) the search runs on
// a coarser interval first: a start near the optimum needs far fewer swaps.
constexpr size_t kMaxDirectPositions = 2500;
// Above this many, a swap's price (the improving regions grow with the
// positions per cell) outweighs what the finer interval still gains (a few
// tenths of a percent a level, measured on uniform sizes at interval 1), and
// the dense per-position arrays would grow with it: the coarser answer is
// only shrunk onto the finer values.
constexpr size_t kMaxSwapPositions = 40000;

// Each gear moved down to the largest value of `idx` at most its own: the
// cells it held it still holds.
std::vector<HwGear> MapDown(const std::vector<HwGear>& gears, const CellIndex& idx) {
  std::vector<HwGear> out;
  for (const auto& [h, w] : gears) {
    auto hi = std::upper_bound(idx.hs.begin(), idx.hs.end(), h);
    auto wi = std::upper_bound(idx.ws.begin(), idx.ws.end(), w);
    if (hi != idx.hs.begin() && wi != idx.ws.begin()) out.push_back({*(hi - 1), *(wi - 1)});
  }
  return out;
}

// Gears that hold every cell, each shrunk to the bounding box of the cells
// it serves until none moves (gears serving nothing go). Never raises the
// cost; needs no per-position arrays.
std::vector<HwGear> ShrinkOnto(const std::vector<PairCell>& cells, std::vector<HwGear> gears) {
  for (int round = 0; round < 100; ++round) {
    std::vector<HwGear> box(gears.size(), {0, 0});
    for (const auto& c : cells) {
      size_t best = gears.size();
      for (size_t g = 0; g < gears.size(); ++g)
        if (gears[g].first >= c.h && gears[g].second >= c.w &&
            (best == gears.size() || Area(gears[g]) < Area(gears[best])))
          best = g;
      if (best == gears.size()) continue;  // a seed that misses it: left as is
      box[best] = {std::max(box[best].first, c.h), std::max(box[best].second, c.w)};
    }
    std::vector<HwGear> next;
    for (const auto& b : box)
      if (b.first > 0) next.push_back(b);
    std::sort(next.begin(), next.end());
    next.erase(std::unique(next.begin(), next.end()), next.end());
    std::sort(gears.begin(), gears.end());
    if (next == gears) break;
    gears = std::move(next);
  }
  return gears;
}

// The local search on `kept` (all to be held), from the best grid, the
// aspect seed and the greedy build; on a large grid of positions, from the
// answer for the same cells on twice the interval (recursively), which maps
// to a start a few swaps from the optimum. `grid`, when given, receives the
// best grid, which the answer is never above (the levels in between skip
// it: on many distinct values it costs more than the search).
std::vector<HwGear> SearchPairs(const std::vector<PairCell>& kept, int64_t max_gears,
                                int64_t interval, const GridOptions& grid_options,
                                std::vector<HwGear>* grid) {
  const CellIndex idx(kept);
  const size_t positions = idx.hs.size() * idx.ws.size();
  const bool direct = positions <= kMaxDirectPositions || interval <= 0;
  std::vector<HwGear> grid_gears;
  if (grid || direct) {
    const GridSolution best_grid = BestGrid(kept, max_gears, grid_options);
    for (int64_t h : best_grid.heights)
      for (int64_t w : best_grid.widths) grid_gears.push_back({h, w});
    if (grid) *grid = grid_gears;
  }
  const PairProblem on_kept{kept, 0, 0, max_gears, interval};
  std::vector<HwGear> best = grid_gears;
  double best_cost = best.empty() ? kInf : PairCost(on_kept, best);
  auto consider = [&](std::vector<HwGear> found) {
    const double cost = PairCost(on_kept, found);
    if (cost < best_cost) {
      best_cost = cost;
      best = std::move(found);
    }
  };
  if (direct) {
    LocalSearch search(idx, max_gears);
    for (const auto& seed : {grid_gears, AspectSeed(kept, max_gears),
                             std::vector<HwGear>{{idx.hs.back(), idx.ws.back()}}})
      consider(search.Improve(seed));
    return best;
  }
  const int64_t coarse = interval * 2;
  std::map<HwGear, double> merged;
  for (const auto& c : kept)
    merged[{(c.h + coarse - 1) / coarse * coarse, (c.w + coarse - 1) / coarse * coarse}] += c.count;
  std::vector<PairCell> coarse_cells;
  for (const auto& [hw, n] : merged) coarse_cells.push_back({hw.first, hw.second, n});
  const std::vector<HwGear> seed =
      MapDown(SearchPairs(coarse_cells, max_gears, coarse, grid_options, nullptr), idx);
  if (positions <= kMaxSwapPositions) {
    consider(LocalSearch(idx, max_gears).Improve(seed));
  } else {
    consider(ShrinkOnto(kept, seed));
  }
  return best;
}

// A second gear when one is optimal. One of no greater h*w costs nothing
// (it can only serve some samples more cheaply, and the largest gear stays
// the same), so one just inside is the optimum still. When the gear is the
// smallest allowed, the second becomes the largest: the cheaper of the next
// ones above it.
std::vector<HwGear> WithSecondGear(const PairProblem& p, std::vector<HwGear> gears) {
  if (gears.size() != 1) return gears;
  const auto [h, w] = gears.front();
  const int64_t step = p.interval;
  auto allowed = [&](const HwGear& g) {
    return g.first >= p.lo_h && g.first <= p.hi_h && g.second >= p.lo_w && g.second <= p.hi_w;
  };
  for (const HwGear& inside : {HwGear{h, w - step}, HwGear{h - step, w}})
    if (allowed(inside)) return {gears.front(), inside};
  std::vector<HwGear> best = gears;
  double best_cost = kInf;
  for (const HwGear& above : {HwGear{h, w + step}, HwGear{h + step, w}}) {
    if (!allowed(above)) continue;
    const std::vector<HwGear> two = {gears.front(), above};
    const double cost = PairCost(p, two);
    if (cost < best_cost) {
      best_cost = cost;
      best = two;
    }
  }
  return best;
}

}  // namespace

double PairCost(const PairProblem& p, const std::vector<HwGear>& gears) {
  if (gears.empty()) return kInf;
  double largest = 0;
  for (const auto& g : gears) largest = std::max(largest, Area(g));
  double cost = p.overflow * largest;
  for (const auto& c : p.cells) {
    double best = kInf;
    for (const auto& g : gears)
      if (g.first >= c.h && g.second >= c.w) best = std::min(best, Area(g));
    cost += c.count * (best < kInf ? best : largest);
  }
  return cost;
}

double PairHeld(const PairProblem& p, const std::vector<HwGear>& gears) {
  double held = 0;
  for (const auto& c : p.cells)
    for (const auto& g : gears)
      if (g.first >= c.h && g.second >= c.w) {
        held += c.count;
        break;
      }
  return held;
}

PairSolution SolvePairs(const PairProblem& p, const PairOptions& options) {
  PairSolution out;
  if (p.max_gears < 1) return out;
  if (p.cells.empty()) {
    // Nothing fits any allowed gear: the smallest allowed gears are cheapest.
    out.gears = WithSecondGear(p, {{p.lo_h, p.lo_w}});
  } else {
    const CellIndex all(p.cells);
    // Each cell's own size is a useful pair, so more cells than the subset
    // limit can never be weighed exhaustively; the check also bounds the
    // positions the exhaustive search lists.
    const bool small = static_cast<int64_t>(all.size()) <= options.exact_subset_limit &&
                       all.hs.size() * all.ws.size() <= kMaxSwapPositions;
    std::optional<Exhaustive> exhaustive;
    if (small) exhaustive.emplace(p, all);
    if (exhaustive && exhaustive->Subsets(options.exact_subset_limit) <= options.exact_subset_limit) {
      auto [any, two] = exhaustive->Solve();
      // The best of two or more is exact (a harmless second gear is among
      // the candidates unless the one gear is the smallest allowed).
      out.gears = two.empty() ? any : two;
      out.exact = true;
    } else {
      std::vector<HwGear> grid;
      std::vector<HwGear> found =
          SearchPairs(KeptCells(p), p.max_gears, p.interval, options.grid, &grid);
      // The grid stays a candidate: with samples left out, a search that
      // only weighs the kept ones could in principle end above it.
      out.grid_cost = PairCost(p, grid);
      out.gears = PairCost(p, found) < out.grid_cost ? found : grid;
    }
  }
  out.gears = WithSecondGear(p, std::move(out.gears));
  std::sort(out.gears.begin(), out.gears.end());
  out.cost = PairCost(p, out.gears);
  return out;
}

}  // namespace autoscale
