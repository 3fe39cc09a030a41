#include "stats/evaluation/gear_usage.h"

#include <catch2/catch.hpp>

namespace autoscale {
namespace {

TEST_CASE("UsageOneDim: the smallest gear at least as large serves a sample", "[report]") {
  const std::map<int64_t, double> counts{{10, 1}, {64, 2}, {65, 4}, {128, 8}, {500, 16}};
  const GearUsage u = UsageOneDim(counts, {64, 128, 256});
  REQUIRE(u.served.size() == 3);
  CHECK(u.served[0] == 3);   // 10, 64
  CHECK(u.served[1] == 12);  // 65, 128
  CHECK(u.served[2] == 16);  // 500 is shrunk into the largest
  CHECK(u.shrunk == 16);
  CHECK(u.total == 31);
  // Gears given out of order are still matched by value.
  const GearUsage v = UsageOneDim(counts, {256, 64, 128});
  CHECK(v.served == std::vector<double>{16, 3, 12});
  CHECK(UsageOneDim(counts, {}).total == 31);
}

TEST_CASE("UsagePairs: the cheapest gear that holds both sides", "[report]") {
  const std::map<std::pair<int64_t, int64_t>, double> counts{
      {{100, 100}, 1}, {{30, 300}, 2}, {{300, 30}, 4}, {{500, 500}, 8}};
  // 320x32 and 32x320 are cheaper than 320x320 and each holds one oriented
  // sample; (500, 500) fits nothing and is shrunk into the largest area.
  const std::vector<HwGear> gears{{320, 320}, {32, 320}, {320, 32}, {128, 128}};
  const GearUsage u = UsagePairs(counts, gears);
  CHECK(u.served == std::vector<double>{8, 2, 4, 1});
  CHECK(u.shrunk == 8);
  CHECK(u.total == 15);
}

using Shares = std::vector<std::pair<int64_t, double>>;
Shares SharesOf(int64_t box_count, const std::vector<int64_t>& gears) {
  Shares out;
  for (const BatchShare& s : BatchModelShares(box_count, gears)) out.emplace_back(s.gear, s.share);
  return out;
}

TEST_CASE("BatchModelShares routes an image to the smallest batch gear that holds it", "[report]") {
  const std::vector<int64_t> gears{1, 4, 16};
  CHECK(SharesOf(1, gears) == Shares{{1, 1.0}});
  CHECK(SharesOf(2, gears) == Shares{{4, 1.0}});
  CHECK(SharesOf(16, gears) == Shares{{16, 1.0}});
  CHECK(SharesOf(0, gears).empty());
  CHECK(SharesOf(3, {}).empty());
  CHECK(SharesOf(3, {4, 1, 16}) == Shares{{4, 1.0}});  // any order of gears
}

TEST_CASE("BatchModelShares splits an image above the largest gear by its runs", "[report]") {
  const std::vector<int64_t> gears{1, 4, 16};
  // 40 = 16 + 16 + 8: the 8 left over run in the 16 model too.
  CHECK(SharesOf(40, gears) == Shares{{16, 1.0}});
  // 34 = 16 + 16 + 2: 2 of the 34 boxes run in the 4 model.
  const Shares split = SharesOf(34, gears);
  REQUIRE(split.size() == 2);
  CHECK(split[0].first == 4);
  CHECK(split[0].second == Approx(2.0 / 34));
  CHECK(split[1].first == 16);
  CHECK(split[1].second == Approx(32.0 / 34));
  CHECK(SharesOf(32, gears) == Shares{{16, 1.0}});  // no remainder
  const Shares one_over = SharesOf(17, gears);
  REQUIRE(one_over.size() == 2);
  CHECK(one_over[0].first == 1);
  CHECK(one_over[0].second + one_over[1].second == Approx(1.0));
}

}  // namespace
}  // namespace autoscale
