#include "stats/evaluation/comparison.h"

#include <catch2/catch.hpp>

using namespace autoscale;

TEST_CASE("A comparison keeps its entries in order and writes the documented JSON",
          "[comparison]") {
  Evaluation e;
  e.cost.unit = "px";
  e.cost.total = 1234;
  e.cost.calls = 7;
  e.cost.gears = {{1, 48, 64, 7, 1234}};
  GearSet g;
  g.batch = {1, 4};
  g.hw = {{48, 64}, {48, 128}, {48, 256}};
  Comparison c;
  c.Add("optimal", e, g);
  c.AddError("mean_std", "mean_std: no samples");
  c.Add("static", e, GearSet{});

  REQUIRE(c.entries.size() == 3);
  CHECK(c.entries[0].name == "optimal");
  CHECK(c.entries[2].name == "static");
  REQUIRE(c.Find("mean_std") != nullptr);
  CHECK(c.Find("mean_std")->error == "mean_std: no samples");
  CHECK(c.Find("max_min") == nullptr);
  // Per-gear costs belong to the chosen strategy's evaluation only.
  CHECK(c.Find("optimal")->evaluation.cost.gears.empty());

  const nlohmann::json j = c.ToJson();
  CHECK(j["optimal"]["cost"]["total"] == 1234.0);
  CHECK(j["optimal"]["cost"]["calls"] == 7u);
  CHECK(j["optimal"]["gear_count"]["batch"] == 2u);
  CHECK(j["optimal"]["gear_count"]["hw"] == 3u);
  CHECK_FALSE(j["optimal"].contains("gear_cost"));
  CHECK(j["mean_std"] == nlohmann::json{{"error", "mean_std: no samples"}});
  CHECK(j["static"]["gear_count"]["batch"] == 0u);
}
