#include "stats/strategies/optimal_joint.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <random>

#include "stats/solvers/optimal_1d.h"

using namespace autoscale;
using runtime::Item;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

std::vector<int64_t> Multiples(int64_t step, int count) {
  std::vector<int64_t> out;
  for (int i = 1; i <= count; ++i) out.push_back(step * i);
  return out;
}

// Images of 1..max_boxes text lines of height 48 and widths up to max_w.
JointProblem RandomLines(std::mt19937* rng, int images, int max_boxes, int64_t max_w) {
  JointProblem p;
  std::uniform_int_distribution<int> boxes(1, max_boxes);
  std::uniform_int_distribution<int64_t> width(1, max_w);
  for (int i = 0; i < images; ++i) {
    JointUnit u;
    const int k = boxes(*rng);
    for (int b = 0; b < k; ++b) u.items.push_back({48, width(*rng)});
    u.weight = static_cast<double>(1 + (*rng)() % 3);
    p.units.push_back(std::move(u));
  }
  p.h_values = {48};
  p.w_values = Multiples(32, static_cast<int>((max_w + 31) / 32));
  return p;
}

// Every non-empty subset of `values` of at most `most` elements.
std::vector<std::vector<int64_t>> Subsets(const std::vector<int64_t>& values, int64_t most) {
  std::vector<std::vector<int64_t>> out;
  for (uint32_t mask = 1; mask < (1u << values.size()); ++mask) {
    if (__builtin_popcount(mask) > most) continue;
    std::vector<int64_t> s;
    for (size_t i = 0; i < values.size(); ++i)
      if (mask & (1u << i)) s.push_back(values[i]);
    out.push_back(s);
  }
  return out;
}

// The least JointCost over every allowed batch set and every (h, w) gear
// subset of each batch model (one dim varies: the other has one value).
double BruteForce(const JointProblem& p, std::string* how = nullptr) {
  double best = kInf;
  std::vector<std::vector<HwGear>> hw_sets;
  const bool by_w = p.h_values.size() == 1;
  for (const auto& s : Subsets(by_w ? p.w_values : p.h_values, p.max_hw_gears)) {
    std::vector<HwGear> gears;
    for (int64_t v : s) gears.emplace_back(by_w ? p.h_values[0] : v, by_w ? v : p.w_values[0]);
    hw_sets.push_back(gears);
  }
  for (const auto& batch : Subsets(p.batch_candidates, p.max_batch_gears)) {
    if (static_cast<int64_t>(batch.size()) < p.min_batch_gears) continue;
    if (batch.back() < p.min_top_batch && batch.back() != p.batch_candidates.back()) continue;
    // Every assignment of a gear subset to each model.
    std::vector<size_t> pick(batch.size(), 0);
    while (true) {
      std::map<int64_t, std::vector<HwGear>> hw;
      for (size_t m = 0; m < batch.size(); ++m) hw[batch[m]] = hw_sets[pick[m]];
      const double c = JointCost(p, batch, hw);
      if (c < best && how) {
        *how = "";
        for (const auto& [b, g] : hw) {
          *how += " b" + std::to_string(b) + ":";
          for (const auto& x : g) *how += " " + std::to_string(x.second);
        }
      }
      best = std::min(best, c);
      size_t m = 0;
      while (m < pick.size() && ++pick[m] == hw_sets.size()) pick[m++] = 0;
      if (m == pick.size()) break;
    }
  }
  return best;
}

void CheckValid(const JointProblem& p, const JointSolution& s) {
  REQUIRE(s.feasible);
  CHECK(static_cast<int64_t>(s.batch.size()) >= p.min_batch_gears);
  CHECK(static_cast<int64_t>(s.batch.size()) <= p.max_batch_gears);
  CHECK(std::is_sorted(s.batch.begin(), s.batch.end()));
  CHECK(s.batch.back() >= std::min(p.min_top_batch, p.batch_candidates.back()));
  for (int64_t b : s.batch) {
    CHECK(std::binary_search(p.batch_candidates.begin(), p.batch_candidates.end(), b));
    REQUIRE(s.hw.count(b) == 1);
    const auto& gears = s.hw.at(b);
    CHECK(static_cast<int64_t>(gears.size()) <= p.max_hw_gears);
    CHECK(static_cast<int64_t>(gears.size()) >= std::min<int64_t>(p.min_hw_gears, 1));
    for (const HwGear& g : gears) {
      CHECK(std::binary_search(p.h_values.begin(), p.h_values.end(), g.first));
      CHECK(std::binary_search(p.w_values.begin(), p.w_values.end(), g.second));
    }
  }
  CHECK(JointCost(p, s.batch, s.hw) == Approx(s.cost));
}

}  // namespace

TEST_CASE("joint gears with a batch of 1 are the exact one-dim optimum", "[joint]") {
  std::mt19937 rng(3);
  for (int round = 0; round < 40; ++round) {
    JointProblem p = RandomLines(&rng, 1 + round % 25, 5, 500);
    p.batch_candidates = {1};
    p.max_hw_gears = 1 + round % 5;
    p.cost = runtime::CostModel::Pixels(round % 2 ? 0 : 5000);
    // The same samples as the one-dim solver sees them: rounded widths.
    std::map<int64_t, double> per_value;
    for (const JointUnit& u : p.units)
      for (const Item& it : u.items) per_value[(it.w + 31) / 32 * 32] += u.weight;
    OneDimProblem one;
    double calls = 0;
    for (const auto& [v, n] : per_value) {
      one.values.push_back(v);
      one.weights.push_back(n);
      calls += n;
    }
    one.min_held = calls;
    one.max_gears = p.max_hw_gears;
    const OneDimSolution want = SolveOneDim(one);
    const JointSolution got = SolveJoint(p);
    INFO("round " << round);
    CheckValid(p, got);
    CHECK(got.cost == Approx(want.cost * 48 + calls * p.cost.call_overhead()));
    std::vector<int64_t> widths;
    for (const HwGear& g : got.hw.at(1)) widths.push_back(g.second);
    CHECK(widths == want.gears);
  }
}

TEST_CASE("joint gears with a batch of 1 and two dims are the pair solver's", "[joint]") {
  std::mt19937 rng(4);
  for (int round = 0; round < 20; ++round) {
    JointProblem p;
    std::uniform_int_distribution<int64_t> side(1, 300);
    for (int i = 0; i < 1 + round % 15; ++i) {
      JointUnit u;
      for (int b = 0; b < 1 + round % 4; ++b) u.items.push_back({side(rng), side(rng)});
      p.units.push_back(u);
    }
    p.h_values = p.w_values = Multiples(32, 10);
    p.batch_candidates = {1};
    p.max_hw_gears = 2 + round % 4;
    p.cost = runtime::CostModel::Pixels(0);  // the pair solver prices pixels alone
    // The same cells the pair solver sees.
    std::map<HwGear, double> cells;
    for (const JointUnit& u : p.units)
      for (const Item& it : u.items) cells[{(it.h + 31) / 32 * 32, (it.w + 31) / 32 * 32}] += 1;
    PairProblem pp;
    for (const auto& [hw, n] : cells) pp.cells.push_back({hw.first, hw.second, n});
    for (const auto& c : pp.cells) pp.min_held += c.count;
    pp.max_gears = p.max_hw_gears;
    pp.interval = 32;
    pp.lo_h = pp.lo_w = 32;
    pp.hi_h = pp.hi_w = 320;
    const PairSolution want = SolvePairs(pp);
    const JointSolution got = SolveJoint(p);
    INFO("round " << round);
    CheckValid(p, got);
    CHECK(got.cost == Approx(want.cost));
  }
}

TEST_CASE("joint gears match brute force on small problems", "[joint]") {
  // The search is exact for fixed runs and for fixed gears, not jointly, so
  // it may stop in a local optimum: over these seeds it must find the
  // brute-force optimum on at least 3 in 4 and stay within 10% on every one
  // (its misses are one gear of one model a step off, or a neighbouring
  // batch set, worth a few % on problems this small; the worst seed here,
  // with a measured table, is 7%).
  std::mt19937 rng(17);
  int exact = 0, rounds = 0;
  double worst = 0;
  for (int round = 0; round < 60; ++round) {
    JointProblem p = RandomLines(&rng, 2 + round % 10, 6, 160);
    p.batch_candidates = round % 2 ? std::vector<int64_t>{1, 2, 4} : std::vector<int64_t>{1, 3, 6};
    p.max_batch_gears = 1 + round % 2;
    p.max_hw_gears = 1 + (round / 2) % 2;
    if (round % 3 == 0) p.cost = runtime::CostModel::Pixels(2000);
    if (round % 3 == 1) {
      // A measured table: calls of larger batches cost less per slot.
      p.cost = *runtime::CostModel::Table(
          {{1, 48, 32, 1.0}, {1, 48, 160, 2.0}, {2, 48, 64, 2.2}, {4, 48, 96, 3.0},
           {3, 48, 128, 3.5}, {6, 48, 160, 6.0}},
          "test");
    }
    std::string how;
    const double want = BruteForce(p, &how);
    const JointSolution got = SolveJoint(p);
    std::string mine;
    for (const auto& [b, g] : got.hw) {
      mine += " b" + std::to_string(b) + ":";
      for (const auto& x : g) mine += " " + std::to_string(x.second);
    }
    INFO("round " << round << " brute" << how << " found" << mine);
    CheckValid(p, got);
    REQUIRE(std::isfinite(want));
    CHECK(got.cost >= want * (1 - 1e-9));
    CHECK(got.cost <= want * 1.10);
    worst = std::max(worst, got.cost / want - 1);
    exact += got.cost <= want * (1 + 1e-9) ? 1 : 0;
    ++rounds;
  }
  INFO("exact " << exact << " of " << rounds << ", worst +" << worst * 100 << "%");
  CHECK(exact >= rounds * 3 / 4);
}

TEST_CASE("joint alternation never raises the cost", "[joint]") {
  std::mt19937 rng(5);
  int several = 0;
  for (int round = 0; round < 30; ++round) {
    JointProblem p = RandomLines(&rng, 50, 12, 800);
    p.batch_candidates = {1, 4, 8};
    p.max_batch_gears = 3;
    p.max_hw_gears = 3;
    p.cost = runtime::CostModel::Pixels(round % 2 ? 0 : 20000);
    const JointSolution s = SolveJointHw(p, {1, 4, 8});
    INFO("round " << round);
    CheckValid(p, s);
    REQUIRE(!s.rounds.empty());
    for (size_t i = 1; i < s.rounds.size(); ++i) CHECK(s.rounds[i] < s.rounds[i - 1]);
    CHECK(s.rounds.back() == Approx(s.cost));
    several += s.rounds.size() > 1 ? 1 : 0;
    const JointSolution full = SolveJoint(p);
    for (size_t i = 1; i < full.rounds.size(); ++i) CHECK(full.rounds[i] < full.rounds[i - 1]);
  }
  // The alternation does improve on the gears best alone.
  CHECK(several > 0);
}

TEST_CASE("joint gears honour the budgets and allowed values", "[joint]") {
  std::mt19937 rng(9);
  for (int round = 0; round < 20; ++round) {
    JointProblem p = RandomLines(&rng, 40, 20, 900);
    // Allowed widths: a range that starts above some boxes and stops below
    // others (those are clamped to the largest).
    p.w_values = Multiples(32, 20);
    p.w_values.erase(p.w_values.begin(), p.w_values.begin() + 2);
    p.batch_candidates = {1, 2, 4, 8, 16, 32};
    p.min_batch_gears = round % 3 == 0 ? 2 : 1;
    p.max_batch_gears = std::max<int64_t>(p.min_batch_gears, 1 + round % 4);
    p.min_top_batch = round % 2 ? 20 : 0;
    p.max_hw_gears = 2 + round % 3;
    p.min_hw_gears = 2;
    p.cost = runtime::CostModel::Pixels(10000);
    const JointSolution s = SolveJoint(p);
    INFO("round " << round);
    CheckValid(p, s);
    if (round % 2) CHECK(s.batch.back() == 32);
    for (const auto& [b, gears] : s.hw) CHECK(gears.size() >= 2);
  }
}

TEST_CASE("joint gears are deterministic and ignore the units' order", "[joint]") {
  std::mt19937 rng(12);
  JointProblem p = RandomLines(&rng, 300, 30, 1200);
  p.batch_candidates = {1, 2, 4, 8, 16, 32, 64};
  p.max_batch_gears = 3;
  p.max_hw_gears = 4;
  p.cost = runtime::CostModel::Pixels(30000);
  const JointSolution a = SolveJoint(p);
  JointProblem q = p;
  std::reverse(q.units.begin(), q.units.end());
  for (JointUnit& u : q.units) std::reverse(u.items.begin(), u.items.end());
  const JointSolution b = SolveJoint(q);
  CHECK(a.batch == b.batch);
  CHECK(a.hw == b.hw);
  CHECK(a.cost == b.cost);
  // Identical images are one unit of summed weight.
  JointProblem twice = p;
  for (JointUnit& u : twice.units) u.weight *= 2;
  JointProblem doubled = p;
  doubled.units.insert(doubled.units.end(), p.units.begin(), p.units.end());
  const JointSolution c = SolveJoint(twice), d = SolveJoint(doubled);
  CHECK(c.batch == d.batch);
  CHECK(c.hw == d.hw);
  CHECK(c.cost == Approx(2 * a.cost));
}

TEST_CASE("joint search on a sample prices the result on every unit", "[joint]") {
  std::mt19937 rng(21);
  JointProblem p = RandomLines(&rng, 2000, 40, 1500);
  p.batch_candidates = {1, 2, 4, 8, 16, 32, 64};
  p.max_batch_gears = 3;
  p.max_hw_gears = 5;
  p.cost = runtime::CostModel::Pixels(30000);
  JointOptions sampled;
  sampled.max_search_units = 200;
  const JointSolution full = SolveJoint(p), part = SolveJoint(p, sampled);
  CheckValid(p, part);
  CHECK(part.cost == Approx(JointCost(p, part.batch, part.hw)));
  // The sample's choice is close to the full search's.
  CHECK(part.cost <= full.cost * 1.05);
}

TEST_CASE("joint cost curve falls with more gears", "[joint]") {
  std::mt19937 rng(30);
  JointProblem p = RandomLines(&rng, 200, 16, 1000);
  p.batch_candidates = {1, 4, 16};
  p.max_batch_gears = 2;
  p.max_hw_gears = 6;
  p.cost = runtime::CostModel::Pixels(5000);
  const auto curve = JointCostCurve(p);
  REQUIRE(curve.size() == 6);
  for (size_t i = 0; i < curve.size(); ++i) CHECK(curve[i].first == static_cast<int64_t>(i + 1));
  for (size_t i = 1; i < curve.size(); ++i) CHECK(curve[i].second <= curve[i - 1].second);
  CHECK(curve.back().second < curve.front().second);
  CHECK(curve.back().second == Approx(SolveJoint(p).cost).epsilon(0.02));
}

TEST_CASE("joint gears for an empty problem are infeasible", "[joint]") {
  JointProblem p;
  p.batch_candidates = {1};
  p.h_values = {48};
  p.w_values = {32};
  CHECK_FALSE(SolveJoint(p).feasible);
  p.units.push_back({{{48, 10}}, 1});
  p.w_values.clear();
  CHECK_FALSE(SolveJoint(p).feasible);
}
