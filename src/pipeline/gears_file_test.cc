#include "pipeline/gears_file.h"

#include <catch2/catch.hpp>

#include "support/run_binary.h"

namespace autoscale {
namespace {

using HwList = std::vector<HwGear>;

Result<GearsFromFile> Load(const test::TempDir& dir, const std::string& text,
                           const std::string& shape, int64_t limit = 960) {
  const std::string path = test::WriteTextFile(dir / "gears.yaml", text);
  return LoadGearsFile(path, *ParseInputShape(shape), limit, runtime::CostModel::Pixels());
}

TEST_CASE("a gears.json gives each batch model its own gears", "[gears_file]") {
  test::TempDir dir;
  auto g = Load(dir,
                R"({"input_shape": "-1,3,48,-1", "limit_side_len": 960, "models": [
                  {"file": "a", "gears": [[1, 3, 48, 320], [1, 3, 48, 640]]},
                  {"file": "b", "gears": [[8, 3, 48, 320]]}]})",
                "-1,3,48,-1");
  INFO(g.message());
  REQUIRE(g.ok());
  CHECK(g->format == "gears.json");
  CHECK(g->gears.batch == std::vector<int64_t>{1, 8});
  CHECK(g->gears.hw == HwList{{48, 320}, {48, 640}});
  CHECK(g->gears.HwFor(1) == HwList{{48, 320}, {48, 640}});
  CHECK(g->gears.HwFor(8) == HwList{{48, 320}});
  CHECK(g->gears.width == std::vector<int64_t>{320, 640});
  CHECK(g->gears.height.empty());

  auto other = Load(dir, R"({"input_shape": "-1,3,32,-1", "models": [
                  {"file": "a", "gears": [[1, 3, 32, 320]]}]})",
                    "-1,3,48,-1");
  REQUIRE(!other.ok());
  CHECK(other.message() ==
        dir / "gears.yaml" + ": made for input shape -1,3,32,-1, not -1,3,48,-1");
  auto limit = Load(dir, R"({"input_shape": "1,3,-1,-1", "limit_side_len": 1280, "models": [
                  {"file": "a", "gears": [[1, 3, 64, 64]]}]})",
                    "1,3,-1,-1", 960);
  REQUIRE(!limit.ok());
  CHECK_THAT(limit.message(), Catch::Contains("limit_side_len 1280, not 960"));
}

TEST_CASE("a gears.json made with another cost model is refused", "[gears_file]") {
  test::TempDir dir;
  const std::string text = R"({"input_shape": "1,3,48,-1", "cost": {"kind": "pixels",
      "call_overhead": 100}, "models": [{"file": "a", "gears": [[1, 3, 48, 320]]}]})";
  auto other = Load(dir, text, "1,3,48,-1");
  REQUIRE(!other.ok());
  CHECK(other.message() == dir / "gears.yaml" +
                               ": made with the cost model pixels, call overhead 100 px, not the "
                               "config's pixels, call overhead 15360 px (its runtime routes with "
                               "its own: give the same cost settings)");
  const std::string path = test::WriteTextFile(dir / "g.json", text);
  CHECK(LoadGearsFile(path, *ParseInputShape("1,3,48,-1"), 960, runtime::CostModel::Pixels(100))
            .ok());
}

TEST_CASE("MindOCR's scaling_data.json is read", "[gears_file]") {
  test::TempDir dir;
  auto g = Load(dir, R"({"dyn_input1": [[1, 3, 64, 64], [1, 3, 128, 96]]})", "1,3,-1,-1");
  REQUIRE(g.ok());
  CHECK(g->format == "scaling_data.json");
  CHECK(g->gears.batch.empty());
  CHECK(g->gears.hw == HwList{{64, 64}, {128, 96}});
  CHECK(g->gears.height == std::vector<int64_t>{64, 128});
}

TEST_CASE("a small list: shapes, or batch_size with hw or a height x width grid", "[gears_file]") {
  test::TempDir dir;
  auto grid = Load(dir, "batch_size: [1, 4]\nheight: [32, 64]\nwidth: [100, 200]\n", "-1,3,-1,-1");
  INFO(grid.message());
  REQUIRE(grid.ok());
  CHECK(grid->format == "list");
  CHECK(grid->gears.batch == std::vector<int64_t>{1, 4});
  CHECK(grid->gears.hw == HwList{{32, 100}, {32, 200}, {64, 100}, {64, 200}});
  auto own = Load(dir, "batch_size: [1, 4]\nhw: [[32, 100]]\nhw_per_batch: {4: [[64, 64]]}\n",
                  "-1,3,-1,-1");
  REQUIRE(own.ok());
  CHECK(own->gears.HwFor(1) == HwList{{32, 100}});
  CHECK(own->gears.HwFor(4) == HwList{{64, 64}});
  auto widths = Load(dir, "width: [320, 640]\n", "1,3,48,-1");
  REQUIRE(widths.ok());
  CHECK(widths->gears.hw == HwList{{48, 320}, {48, 640}});
  auto batches = Load(dir, "[[1, 3, 48, 48], [16, 3, 48, 48]]", "-1,3,48,48");
  REQUIRE(batches.ok());
  CHECK(batches->gears.batch == std::vector<int64_t>{1, 16});
  CHECK(batches->gears.hw.empty());
}

TEST_CASE("a gears file that does not fit the shape names the file, line and key", "[gears_file]") {
  test::TempDir dir;
  const std::string f = dir / "gears.yaml";
  CHECK(Load(dir, "width: [320]\nheigth: [48]\n", "1,3,48,-1").message() ==
        f + ":2: heigth: unknown key (expected batch_size, height, width, hw or hw_per_batch)");
  CHECK(Load(dir, "width: [320]\n", "-1,3,48,-1").message() ==
        f + ": batch_size: required, N is dynamic");
  CHECK(Load(dir, "batch_size: [2]\n", "-1,3,48,-1").message() ==
        f + ": width (or hw): required, W is dynamic");
  CHECK(Load(dir, "- [1, 3, 48, 320]\n- [2, 3, 48, 320]\n", "1,3,48,-1").message() ==
        f + ":2: gear [2, 3, 48, 320]: N is fixed at 1 by the input shape 1,3,48,-1");
  CHECK(Load(dir, "- [1, 3, 48]\n", "1,3,48,-1").message() ==
        f + ":1: expected [n, c, h, w] of positive integers, got a list");
  CHECK(Load(dir, "width: [0]\n", "1,3,48,-1").message() ==
        f + ":1: width: must be from 1 to 1073741824, got 0");
  CHECK(Load(dir, "[]", "1,3,48,-1").message() == f + ": no gear in the file");
  CHECK(Load(dir, "7", "1,3,48,-1").message() ==
        f + ": expected gears.json, scaling_data.json or a list of gears, got '7'");
  CHECK_THAT(Load(dir, "[1, 2", "1,3,48,-1").message(), Catch::Contains("not valid YAML or JSON"));
}

}  // namespace
}  // namespace autoscale
