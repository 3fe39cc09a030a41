#include "pipeline/stats_pipeline.h"

#include <catch2/catch.hpp>
#include <filesystem>

#include "stats/core/gear_limits.h"
#include "stats/core/model_space.h"
#include "support/run_binary.h"

namespace autoscale {
namespace {

InputShape Shape(const std::string& text) { return *ParseInputShape(text); }

// A recognition profile: images of a few 48-high boxes each, plus one image
// with `big` boxes.
Profile BoxProfile(const InputShape& shape, size_t big) {
  ModelSpace space(shape, 1280);
  Profile p = space.NewProfile();
  for (int i = 1; i <= 30; ++i) {
    std::vector<BoxSize> boxes;
    for (int b = 0; b < i % 5 + 1; ++b) boxes.push_back({48.0, 40.0 + 13.0 * i * (b + 1)});
    space.AddImageBoxes(&p, boxes);
  }
  space.AddImageBoxes(&p, std::vector<BoxSize>(big, BoxSize{48.0, 100.0}));
  p.dataset.path = "labels.txt";
  p.dataset.type = "det_labels";
  return p;
}

Result<PipelineResult> RunOnProfile(const Profile& profile, const std::string& shape,
                                    const test::TempDir& dir) {
  const std::string path = dir / "profile.json";
  REQUIRE(profile.SaveFile(path).ok());
  PipelineOptions o;
  o.input_shape = shape;
  o.profile_path = path;
  o.config_path = test::SourcePath("configs/auto_scaling.yaml");
  o.quiet = true;
  return RunPipeline(o);
}

TEST_CASE("the static batch an image's boxes are compared against is capped at 2048",
          "[pipeline]") {
  test::TempDir dir;
  const std::string shape = "-1,3,48,-1";
  auto r = RunOnProfile(BoxProfile(Shape(shape), 3000), shape, dir);
  INFO(r.message());
  REQUIRE(r.ok());
  REQUIRE(kMaxBatchGear == 2048);
  // The 3000-box image takes two calls of batch 2048, the others one each: a
  // static batch of 3000 would need one call for every image.
  const ComparisonEntry* fixed = r->comparison.Find("static");
  REQUIRE(fixed != nullptr);
  CHECK(fixed->evaluation.cost.calls == 30u + 2u);
  CHECK(fixed->batch_gears == 1u);

  // Below the cap the static batch is the largest box count itself: one
  // call per image.
  auto small = RunOnProfile(BoxProfile(Shape(shape), 100), shape, dir);
  REQUIRE(small.ok());
  REQUIRE(small->comparison.Find("static") != nullptr);
  CHECK(small->comparison.Find("static")->evaluation.cost.calls == 31u);
}

TEST_CASE("the summary lists the first warnings and counts the rest", "[pipeline]") {
  const InputShape shape = Shape("1,3,48,-1");
  PipelineResult r;
  r.shape = shape;
  r.strategy = "optimal";
  r.profile = ModelSpace(shape, 1280).NewProfile();
  r.profile->dataset.path = "imgs";
  r.profile->dataset.type = "images";
  const uint64_t total = DatasetInfo::kMaxWarnings + 7;
  for (uint64_t i = 0; i < total; ++i) {
    r.profile->dataset.skipped.corrupt++;
    r.profile->AddWarning(i, "imgs/" + std::to_string(i) + ".jpg", "corrupt");
  }
  const std::string text = r.Summary();
  CHECK(text.find("  imgs/0.jpg: corrupt\n") != std::string::npos);
  CHECK(text.find("  ... and 7 more\n") != std::string::npos);

  // All warnings listed: no "more" line.
  r.profile = ModelSpace(shape, 1280).NewProfile();
  r.profile->dataset.skipped.corrupt = 1;
  r.profile->AddWarning(0, "imgs/a.jpg", "corrupt");
  CHECK(r.Summary().find("more") == std::string::npos);
}

}  // namespace
namespace {

PipelineOptions SampleLabels() {
  PipelineOptions o;
  o.dataset_path = test::SourcePath("data/samples/det_label.txt");
  o.input_shape = "-1,3,48,-1";
  o.config_path = test::SourcePath("configs/auto_scaling.yaml");
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
    CHECK(r->comparison.Find(name) != nullptr);
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
  test::TempDir dir;
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

}  // namespace autoscale
