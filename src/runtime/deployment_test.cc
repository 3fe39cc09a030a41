#include "runtime/deployment.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

namespace autoscale {
namespace runtime {
namespace {

namespace fs = std::filesystem;

TEST_CASE("A deployment loaded from gears.json routes source-size crops") {
  const fs::path dir = fs::temp_directory_path() / "autoscale_runtime_deployment_test";
  fs::create_directories(dir);
  const std::string path = (dir / "gears.json").string();
  std::ofstream(path) << R"({"input_shape": "-1,3,48,-1", "limit_side_len": 0,
    "cost": {"kind": "pixels", "call_overhead": 100000},
    "models": [
      {"file": "bs1.onnx", "gears": [[1,3,48,160],[1,3,48,320]]},
      {"file": "bs4.onnx", "gears": [[4,3,48,320]]}]})";
  auto d = Deployment::Load(path);
  REQUIRE(d.ok());
  // Source crops of height 24: model widths 200, 40, 100, 2000 (shrunk to 320).
  Routing r = d->Route({{24, 100}, {24, 20}, {24, 50}, {24, 1000}});
  CHECK(r.shrunk == 1);
  REQUIRE(r.runs.size() == 1);  // the overhead makes one batch-4 call cheapest
  CHECK(r.runs[0].batch == 4);
  CHECK(r.runs[0].items == std::vector<uint32_t>{1, 2, 0, 3});
  CHECK(r.cost == 100000 + 4 * 48 * 320);
  bool shrunk = false;
  Item placed = d->Resized({24, 1000}, &shrunk);
  CHECK(shrunk);
  CHECK(placed.w == 320);
  Selection s = d->Select({24, 20});
  CHECK(s.batch == 1);
  CHECK(s.gear.w == 160);
  CHECK(s.pad_right == 120);
  fs::remove_all(dir);
  CHECK(Deployment::Load(path).message() == path + ": cannot read the file");
}

}  // namespace
}  // namespace runtime
}  // namespace autoscale
