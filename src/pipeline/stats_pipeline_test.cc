#include "pipeline/stats_pipeline.h"

#include <catch2/catch.hpp>
#include <filesystem>

#include "support/run_binary.h"

using namespace autoscale;
using autoscale::test::SourcePath;
using autoscale::test::TempDir;

namespace {

PipelineOptions SampleLabels() {
  PipelineOptions o;
  o.dataset_path = SourcePath("data/samples/det_label.txt");
  o.input_shape = "-1,3,48,-1";
  o.config_path = SourcePath("configs/auto_scaling.yaml");
  o.quiet = true;
  return o;
}

}  // namespace

TEST_CASE("the stats pipeline runs in process: profile, gears, evaluation, comparison",
          "[stats_pipeline]") {
  auto r = RunPipeline(SampleLabels());
  REQUIRE(r.ok());
  REQUIRE(r->profile.has_value());
  CHECK(r->profile->dataset.type == "det_labels");
  CHECK(r->strategy == "optimal");
  CHECK(!r->gears.batch.empty());
  CHECK(!r->gears.width.empty());
  REQUIRE(r->evaluation.has_value());
  CHECK(r->evaluation->cost.calls > 0);
  CHECK(r->evaluation->cost.total > 0);
  CHECK(r->evaluation->cost.coverage == 1.0);
  for (const char* name : {"mean_std", "max_min", "optimal", "static"})
    CHECK(r->comparison.contains(name));
  // The JSON the command writes is the result's own.
  const nlohmann::json j = r->ToJson();
  CHECK(j["strategy"] == "optimal");
  CHECK(j["evaluation"]["cost"]["calls"] == r->evaluation->cost.calls);
}

TEST_CASE("the stats pipeline reports a bad request as an error, not an exit",
          "[stats_pipeline]") {
  PipelineOptions o = SampleLabels();
  o.input_shape = "-1,3,48";
  auto r = RunPipeline(o);
  REQUIRE(!r.ok());
  CHECK(r.message().find("input_shape") != std::string::npos);

  o = SampleLabels();
  o.overrides = {"no_such_key=1"};
  r = RunPipeline(o);
  REQUIRE(!r.ok());
  CHECK(r.message().find("no_such_key") != std::string::npos);
}

TEST_CASE("the stats pipeline's saved profile reproduces its gears in process",
          "[stats_pipeline]") {
  TempDir dir;
  PipelineOptions o = SampleLabels();
  o.save_profile_path = dir / "profile.json";
  auto first = RunPipeline(o);
  REQUIRE(first.ok());
  REQUIRE(std::filesystem::exists(o.save_profile_path));

  PipelineOptions again = SampleLabels();
  again.dataset_path.clear();
  again.profile_path = o.save_profile_path;
  auto second = RunPipeline(again);
  REQUIRE(second.ok());
  CHECK(second->gears.ToJson() == first->gears.ToJson());
  CHECK(second->evaluation->cost.total == first->evaluation->cost.total);
}

TEST_CASE("without a dataset the stats pipeline uses default_scaling", "[stats_pipeline]") {
  PipelineOptions o = SampleLabels();
  o.dataset_path.clear();
  auto r = RunPipeline(o);
  REQUIRE(r.ok());
  CHECK(r->strategy == "default_scaling");
  CHECK(!r->profile.has_value());
  CHECK(!r->evaluation.has_value());
  CHECK(!r->gears.batch.empty());
}
