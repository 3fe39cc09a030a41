// gears.json carries what the runtime needs to route as the evaluation did:
// a convert of data/samples, loaded with runtime::Deployment, gives the same
// calls and cost on every image as `evaluation.cost` predicted.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <string>
#include <vector>

#include "runtime/deployment.h"
#include "stats/readers/box_geometry.h"
#include "stats/readers/det_label_line.h"
#include "support/models.h"
#include "support/run_binary.h"

using autoscale::test::ReadTextFile;
using autoscale::test::RunAutoscale;
using autoscale::test::SourcePath;
using autoscale::test::TempDir;
using autoscale::test::WriteTextFile;
using nlohmann::json;

namespace {

// Each image's valid box crops of data/samples/det_label.txt, in source pixels.
std::vector<std::vector<autoscale::runtime::SourceSize>> SampleImageCrops() {
  std::vector<std::vector<autoscale::runtime::SourceSize>> images;
  std::ifstream in(SourcePath("data/samples/det_label.txt"));
  std::string line, error;
  autoscale::DetLabelLine parsed;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    REQUIRE(autoscale::ParseDetLabelLine(line, &parsed, &error));
    std::vector<autoscale::runtime::SourceSize> crops;
    for (size_t i = 0; i < parsed.BoxCount(); ++i) {
      const autoscale::BoxMeasure m =
          autoscale::MeasureBox(&parsed.points[parsed.BoxBegin(i)], parsed.BoxPoints(i));
      if (m.ok()) crops.push_back({m.size.height, m.size.width});
    }
    images.push_back(std::move(crops));
  }
  return images;
}

// Converts the sample model for the sample labels with `extra` settings and
// checks that routing every image with the deployment costs what the
// evaluation said.
void CheckDeploymentMatchesEvaluation(const std::vector<std::string>& extra) {
  TempDir out;
  std::vector<std::string> args = {"convert",
                                   "--config",
                                   SourcePath("configs/auto_scaling.yaml"),
                                   "--model_path",
                                   autoscale::test::SampleModelPath(),
                                   "--input_shape=-1,3,48,-1",
                                   "--dataset_path",
                                   SourcePath("data/samples/det_label.txt"),
                                   "--output_path",
                                   out.path(),
                                   "--json",
                                   out / "report.json",
                                   "-q"};
  args.insert(args.end(), extra.begin(), extra.end());
  auto r = RunAutoscale(args);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const json report = json::parse(ReadTextFile(out / "report.json"));
  const json& cost = report["evaluation"]["cost"];
  const json gears = json::parse(ReadTextFile(out / "gears.json"));
  CHECK(gears["limit_side_len"] == 1280);
  REQUIRE(gears.contains("cost"));

  auto deployment = autoscale::runtime::Deployment::Load(out / "gears.json");
  REQUIRE(deployment.ok());
  CHECK(deployment->router().cost().unit() == cost["unit"].get<std::string>());
  double total = 0;
  uint64_t calls = 0, boxes = 0;
  for (const auto& crops : SampleImageCrops()) {
    if (crops.empty()) continue;
    const autoscale::runtime::Routing routing = deployment->Route(crops);
    total += routing.cost;
    calls += routing.runs.size();
    boxes += crops.size();
  }
  CHECK(boxes == report["dataset"]["boxes"].get<uint64_t>());
  CHECK(calls == cost["calls"].get<uint64_t>());
  CHECK(total == Approx(cost["total"].get<double>()).epsilon(1e-12));
}

}  // namespace

TEST_CASE("the runtime routes a converted deployment at the cost the evaluation predicted",
          "[deployment]") {
  SECTION("the default pixel cost") { CheckDeploymentMatchesEvaluation({}); }
  SECTION("another call overhead") {
    CheckDeploymentMatchesEvaluation({"--set", "cost.call_overhead=100000"});
  }
  SECTION("a measured cost table") {
    TempDir dir;
    WriteTextFile(dir / "costs.csv",
                  "batch,height,width,ms\n1,48,64,0.4\n1,48,320,0.9\n4,48,320,2.1\n"
                  "16,48,640,9.5\n64,48,1024,50\n");
    CheckDeploymentMatchesEvaluation({"--cost_table", dir / "costs.csv"});
  }
}

TEST_CASE("an image folder deployment selects each image at the evaluation's cost",
          "[deployment]") {
  TempDir out;
  // A long side of 320 scales the larger sample images down: gears.json must
  // carry the limit for the runtime to map them the same way.
  auto r = RunAutoscale(
      {"convert", "--config", SourcePath("configs/auto_scaling.yaml"), "--model_path",
       autoscale::test::SampleModelPath(), "--input_shape=1,3,-1,-1", "--dataset_path",
       SourcePath("data/samples/images"), "--input_name", "x", "--set", "limit_side_len=320",
       "--output_path", out.path(), "--json", out / "report.json", "-q"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const json report = json::parse(ReadTextFile(out / "report.json"));
  const json& cost = report["evaluation"]["cost"];
  auto deployment = autoscale::runtime::Deployment::Load(out / "gears.json");
  REQUIRE(deployment.ok());
  CHECK(deployment->limit_side_len() == 320);
  double total = 0;
  uint64_t images = 0, shrunk = 0;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(SourcePath("data/samples/images"))) {
    if (!entry.is_regular_file() || entry.path().extension() == ".txt") continue;
    const cv::Mat image =
        cv::imread(entry.path().string(), cv::IMREAD_COLOR | cv::IMREAD_IGNORE_ORIENTATION);
    REQUIRE(!image.empty());
    const autoscale::runtime::Selection s =
        deployment->Select({static_cast<double>(image.rows), static_cast<double>(image.cols)});
    total += s.cost;
    shrunk += s.shrunk ? 1 : 0;
    ++images;
  }
  CHECK(images == cost["calls"].get<uint64_t>());
  CHECK(shrunk == cost["shrunk"].get<uint64_t>());
  CHECK(total == Approx(cost["total"].get<double>()).epsilon(1e-12));
}
