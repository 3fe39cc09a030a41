#include "pipeline/convert_pipeline.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "support/run_binary.h"

using namespace autoscale;
using autoscale::test::ReadTextFile;
using autoscale::test::SourcePath;
using autoscale::test::TempDir;

namespace fs = std::filesystem;

namespace {

PipelineOptions SampleStats() {
  PipelineOptions o;
  o.dataset_path = SourcePath("data/samples/det_label.txt");
  o.input_shape = "-1,3,48,-1";
  o.config_path = SourcePath("configs/auto_scaling.yaml");
  o.quiet = true;
  return o;
}

}  // namespace

TEST_CASE("the convert pipeline writes one model per batch gear and gears.json in process",
          "[convert_pipeline]") {
  TempDir dir;
  ConvertOptions c;
  c.model_path = SourcePath("data/samples/sample_det.onnx");
  c.output_path = dir / "out";
  auto report = RunConvert(SampleStats(), c);
  REQUIRE(report.ok());
  CHECK(report->ok());
  REQUIRE(report->plan.models.size() == report->pipeline.gears.batch.size());
  for (const ModelOutcome& o : report->outcomes) {
    CHECK(o.ok);
    REQUIRE(!o.files.empty());
    CHECK(fs::is_regular_file(o.files.front()));
  }
  const auto gears = nlohmann::json::parse(ReadTextFile(dir / "out/gears.json"));
  CHECK(gears["models"].size() == report->plan.models.size());
  // The runtime routes from gears.json with the evaluation's cost model.
  CHECK(gears.contains("cost"));
  CHECK(report->ToJson()["evaluation"]["cost"]["calls"] ==
        report->pipeline.evaluation->cost.calls);
}

TEST_CASE("the convert pipeline refuses a missing model before reading the dataset",
          "[convert_pipeline]") {
  TempDir dir;
  ConvertOptions c;
  c.model_path = dir / "missing.onnx";
  c.output_path = dir / "out";
  PipelineOptions p = SampleStats();
  p.dataset_path = dir / "no_dataset_here";  // never read: the model fails first
  auto report = RunConvert(p, c);
  REQUIRE(!report.ok());
  CHECK(report.message().find("missing.onnx") != std::string::npos);
  CHECK(!fs::exists(dir / "out/gears.json"));
}
