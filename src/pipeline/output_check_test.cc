#include "pipeline/output_check.h"

#include <catch2/catch.hpp>

#include "support/run_binary.h"

using namespace autoscale;
using autoscale::test::TempDir;
using autoscale::test::WriteTextFile;

TEST_CASE("a command's paths: inputs, outputs and the output folder's own names",
          "[output_check]") {
  TempDir dir;
  PipelineOptions p;
  p.dataset_path = WriteTextFile(dir / "labels.txt", "x\n");
  p.config_path = WriteTextFile(dir / "config.yaml", "auto_scaling: {}\n");
  ConvertOptions c;
  c.model_path = WriteTextFile(dir / "det.onnx", "");
  c.output_path = dir / "out";

  p.json_path = dir / "out/stats.json";
  CHECK(CheckCommandPaths(p, &c).ok());
  p.json_path = dir / "out/det_dynamic_hw.onnx";
  CHECK_THAT(CheckCommandPaths(p, &c).message(),
             Catch::StartsWith("--json " + p.json_path + " would replace det_dynamic_hw.onnx"));
  p.json_path = dir / "out/scaling_data.json";
  CHECK_THAT(CheckCommandPaths(p, &c).message(),
             Catch::Contains("would replace scaling_data.json"));
  p.json_path.clear();
  p.cost_plan_path = dir / "config.yaml";
  CHECK(CheckCommandPaths(p, nullptr).message() ==
        "--cost_plan " + dir / "config.yaml" + " is the input --config " + dir / "config.yaml" +
            "; writing it would replace it");
  p.cost_plan_path.clear();
  // A job's labels are its keys.
  p.report_path = dir / "det.onnx";
  std::vector<PathUse> uses = PathUsesOf(p, &c, "det");
  CHECK(CheckPathUses(uses).message() == "job 'det' report " + dir / "det.onnx" +
                                             " is the input job 'det' model_path " +
                                             dir / "det.onnx" + "; writing it would replace it");
}

TEST_CASE("WritesToStdout: any output on '-'", "[output_check]") {
  PipelineOptions p;
  CHECK_FALSE(WritesToStdout(p));
  p.json_path = "out.json";
  CHECK_FALSE(WritesToStdout(p));
  p.cost_plan_path = "-";
  CHECK(WritesToStdout(p));
}
