#include "pipeline/stats_pipeline.h"

#include <catch2/catch.hpp>

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
  const nlohmann::json& fixed = r->comparison.at("static").at("batch");
  REQUIRE(kMaxBatchGear == 2048);
  // The 3000-box image takes two runs of 2048 slots, the others one run of
  // 2048 each: a static batch of 3000 would need one run for every image.
  CHECK(fixed.at("runs") == 31u + 1u);
  CHECK(fixed.at("slots") == (31u + 1u) * 2048u);

  // Below the cap the static batch is the largest box count itself.
  auto small = RunOnProfile(BoxProfile(Shape(shape), 100), shape, dir);
  REQUIRE(small.ok());
  CHECK(small->comparison.at("static").at("batch").at("runs") == 31u);
  CHECK(small->comparison.at("static").at("batch").at("slots") == 31u * 100u);
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
}  // namespace autoscale
