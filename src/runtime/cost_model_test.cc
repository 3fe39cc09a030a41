#include "runtime/cost_model.h"

#include <catch2/catch.hpp>
#include <cmath>

namespace autoscale {
namespace runtime {
namespace {

std::vector<CostRow> Exact(double a, double b, double c) {
  std::vector<CostRow> rows;
  for (int64_t n : {1, 2, 4, 8})
    for (int64_t w : {160, 320, 640}) {
      const double ms = a + b * n + c * n * 48 * w;
      rows.push_back({n, 48, w, ms});
    }
  return rows;
}

TEST_CASE("The pixel model charges the call overhead plus the input pixels") {
  CostModel m = CostModel::Pixels(1000);
  CHECK(m.Cost(2, 48, 320) == 1000 + 2 * 48 * 320);
  CHECK(m.unit() == "px");
  CHECK(CostModel::Pixels().Cost(1, 10, 10) == 100 + kDefaultCallOverhead);
}

TEST_CASE("The table fit recovers known coefficients from exact data") {
  auto m = CostModel::Table(Exact(2.5, 0.75, 1e-5), "costs.csv");
  REQUIRE(m.ok());
  CHECK(m->unit() == "ms");
  CHECK(m->fit().a == Approx(2.5).epsilon(1e-9));
  CHECK(m->fit().b == Approx(0.75).epsilon(1e-9));
  CHECK(m->fit().c == Approx(1e-5).epsilon(1e-9));
  CHECK(m->fit().max_relative_error < 1e-9);
  // A shape not in the table costs the fit.
  CHECK(m->Cost(3, 48, 1000) == Approx(2.5 + 0.75 * 3 + 1e-5 * 3 * 48 * 1000));
}

TEST_CASE("The fit keeps every coefficient non-negative") {
  // Exact data of ms = 10 - 1*n + 1e-4*n*h*w: the unconstrained fit has b < 0.
  auto rows = Exact(10, -1, 1e-4);
  auto m = CostModel::Table(rows, "costs.csv");
  REQUIRE(m.ok());
  CHECK(m->fit().a >= 0);
  CHECK(m->fit().b >= 0);
  CHECK(m->fit().c >= 0);
  CHECK(m->fit().b == 0);
  CHECK(m->fit().max_relative_error > 0);
  // The constrained fit is the best non-negative one: nudging a coefficient
  // does not lower the squared relative error.
  auto sse = [&](double a, double b, double c) {
    double s = 0;
    for (const CostRow& r : rows) {
      const double d = (a + b * r.batch + c * r.batch * r.height * r.width - r.ms) / r.ms;
      s += d * d;
    }
    return s;
  };
  const CostFit& f = m->fit();
  const double best = sse(f.a, f.b, f.c);
  for (double da : {-1e-3, 1e-3})
    for (double db : {0.0, 1e-3})
      for (double dc : {-1e-8, 1e-8}) CHECK(sse(f.a + da, f.b + db, f.c + dc) >= best);
}

TEST_CASE("The fit weighs every row by its relative error, not its size") {
  // Small calls cost 1 ms + 1e-6 ms/px; two huge ones cost twice their
  // share. An absolute fit would follow the huge ones and price every small
  // call far too high; the relative fit stays close to the small ones.
  std::vector<CostRow> rows;
  for (int64_t w : {32, 64, 128, 256, 512})
    for (int64_t n : {1, 2, 4}) rows.push_back({n, 48, w, 1 + 1e-6 * n * 48 * w});
  rows.push_back({64, 48, 2048, 2 * (1 + 1e-6 * 64 * 48 * 2048)});
  rows.push_back({64, 48, 4096, 2 * (1 + 1e-6 * 64 * 48 * 4096)});
  auto m = CostModel::Table(rows, "costs.csv");
  REQUIRE(m.ok());
  // An unlisted small shape: within 25% of its true cost.
  const double truth = 1 + 1e-6 * 1 * 48 * 320;
  CHECK(std::fabs(m->Cost(1, 48, 320) - truth) / truth < 0.25);
}

TEST_CASE("A measured shape costs its measured value, the median when repeated") {
  std::vector<CostRow> rows = Exact(1, 1, 1e-5);
  rows.push_back({1, 48, 160, 50});
  rows.push_back({1, 48, 160, 70});
  // (1, 48, 160) now has values fit(1,48,160), 50, 70: the median is 50.
  auto m = CostModel::Table(rows, "costs.csv");
  REQUIRE(m.ok());
  CHECK(m->Cost(1, 48, 160) == 50);
  rows.push_back({2, 48, 160, 10});  // even count: mean of the middle two
  auto m2 = CostModel::Table(rows, "costs.csv");
  REQUIRE(m2.ok());
  const double fit2 = 1 + 2 + 1e-5 * 2 * 48 * 160;
  CHECK(m2->Cost(2, 48, 160) == Approx((10 + fit2) / 2));
}

TEST_CASE("Too few distinct rows cannot be fitted") {
  std::vector<CostRow> rows = {{1, 48, 160, 1}, {2, 48, 160, 2}, {2, 48, 160, 3}};
  auto m = CostModel::Table(rows, "costs.csv");
  REQUIRE_FALSE(m.ok());
  CHECK(m.message() ==
        "costs.csv: the fit needs rows of at least 3 distinct (batch, batch*height*width), got 2");
}

TEST_CASE("A table row must be positive") {
  std::vector<CostRow> rows = {{1, 48, 160, 1}, {2, 48, 160, 2}, {4, 48, 320, 0}};
  CHECK(CostModel::Table(rows, "t").message() ==
        "t: a cost row needs a positive batch, height, width and ms");
}

TEST_CASE("A cost model read back from JSON prices exactly as the original") {
  std::vector<CostRow> rows = Exact(3.1, 0.3, 7e-6);
  rows[0].ms += 0.37;  // not exactly on the fit
  auto table = CostModel::Table(rows, "costs.csv");
  REQUIRE(table.ok());
  for (const CostModel& original : {*table, CostModel::Pixels(123.5)}) {
    auto loaded = CostModel::FromJson(nlohmann::json::parse(original.ToJson().dump()), "g.json");
    REQUIRE(loaded.ok());
    CHECK(loaded->unit() == original.unit());
    for (int64_t n : {1, 3, 8})
      for (int64_t w : {160, 200, 640}) CHECK(loaded->Cost(n, 48, w) == original.Cost(n, 48, w));
  }
}

TEST_CASE("Bad cost JSON names the key") {
  auto a = CostModel::FromJson({{"kind", "magic"}}, "g.json: cost");
  CHECK(a.message() == "g.json: cost: 'kind' must be \"pixels\" or \"table\"");
  auto b = CostModel::FromJson({{"kind", "pixels"}, {"call_overhead", -1}}, "g.json: cost");
  CHECK(b.message() == "g.json: cost: 'call_overhead' must be a number >= 0");
  auto c = CostModel::FromJson({{"kind", "table"}, {"rows", {{1, 2, 3, 4}, {1, 0, 3, 4}}}},
                               "g.json: cost");
  CHECK(c.message() == "g.json: cost: 'rows[1]' must be [batch, height, width, ms], all positive");
}

}  // namespace
}  // namespace runtime
}  // namespace autoscale
