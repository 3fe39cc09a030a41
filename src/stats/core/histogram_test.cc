#include "stats/core/histogram.h"

#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>

namespace autoscale {
namespace {

TEST_CASE("histogram moments match numpy's population std", "[profile]") {
  Histogram h;
  for (int v : {2, 4, 4, 4, 5, 5, 7, 9}) h.Add(v);
  CHECK(h.Mean() == 5);
  CHECK(h.Std() == 2);
  CHECK(h.Min() == 2);
  CHECK(h.Max() == 9);
}

TEST_CASE("histogram counts each value and ignores adds of zero", "[histogram]") {
  Histogram h;
  CHECK(h.empty());
  CHECK(h.Count() == 0);
  CHECK(h.Min() == 0);
  CHECK(h.Max() == 0);
  CHECK(h.Mean() == 0);
  CHECK(h.Std() == 0);
  h.Add(7, 0);
  CHECK(h.empty());
  CHECK(h.counts().empty());
  h.Add(7);
  h.Add(-3, 4);
  h.Add(7, 2);
  CHECK_FALSE(h.empty());
  CHECK(h.Count() == 7);
  REQUIRE(h.counts().size() == 2);
  CHECK(h.counts().at(-3) == 4);
  CHECK(h.counts().at(7) == 3);
  CHECK(h.Min() == -3);
  CHECK(h.Max() == 7);
  CHECK(h.Sum() == 9);             // 4 * -3 + 3 * 7
  CHECK(h.SumOfSquares() == 183);  // 4 * 9 + 3 * 49
}

TEST_CASE("merging histograms equals adding every value to one", "[histogram]") {
  Histogram a, b, all;
  for (int v : {1, 2, 2, 10}) {
    a.Add(v);
    all.Add(v);
  }
  for (int v : {2, 5, 10, 10}) {
    b.Add(v);
    all.Add(v);
  }
  Histogram merged = a;
  merged.Merge(b);
  CHECK(merged == all);
  CHECK(merged.Count() == 8);
  CHECK(merged.counts().at(2) == 3);
  CHECK(merged.counts().at(10) == 3);
  Histogram reversed = b;
  reversed.Merge(a);
  CHECK(reversed == merged);
  Histogram empty;
  merged.Merge(empty);
  CHECK(merged == all);
  CHECK_FALSE(merged == a);
}

TEST_CASE("histogram moments stay exact for huge values", "[histogram]") {
  Histogram h;
  const int64_t big = int64_t{1} << 40;
  h.Add(big, 3);
  h.Add(big + 2, 1);
  CHECK(h.Mean() == static_cast<double>(big) + 0.5);
  // Offsets 0, 0, 0, 2 from big: population std sqrt(0.75).
  CHECK(h.Std() == Approx(0.8660254037844386));
  Histogram extremes;
  extremes.Add(std::numeric_limits<int64_t>::max());
  extremes.Add(std::numeric_limits<int64_t>::min());
  CHECK(extremes.Mean() == -0.5);
}

TEST_CASE("histogram JSON holds the moments and every value with its count", "[histogram]") {
  Histogram h;
  h.Add(3, 2);
  h.Add(5, 2);
  const nlohmann::json j = h.ToJson();
  CHECK(j["count"] == 4);
  CHECK(j["sum"] == 16.0);
  CHECK(j["sum_sq"] == 68.0);
  CHECK(j["min"] == 3);
  CHECK(j["max"] == 5);
  CHECK(j["mean"] == 4.0);
  CHECK(j["std"] == 1.0);
  CHECK(j["values"] == nlohmann::json::parse("[[3, 2], [5, 2]]"));
  CHECK(Histogram().ToJson()["values"] == nlohmann::json::array());
}

}  // namespace
}  // namespace autoscale
