#include "runtime/gear_table.h"

#include <catch2/catch.hpp>

namespace autoscale {
namespace runtime {
namespace {

// Written as a conversion writes it: one dynamic-H/W model per batch gear and
// a dynamic-batch model.
const char* kGears = R"({
  "source_model": "rec.onnx", "input_name": "x", "input_shape": "-1,3,48,-1",
  "backend": "onnx",
  "models": [
    {"name": "rec_dynamic_bs1_hw", "file": "rec_dynamic_bs1_hw.onnx", "mode": "dynamic_bs1_hw",
     "input_name": "x", "input_shape": "1,3,48,-1",
     "gears": [[1,3,48,640],[1,3,48,320]], "runtime_call": "aclmdlSetDynamicHWSize"},
    {"name": "rec_dynamic_bs8_hw", "file": "rec_dynamic_bs8_hw.onnx", "mode": "dynamic_bs8_hw",
     "input_name": "x", "input_shape": [8,3,48,-1],
     "gears": [[8,3,48,320]], "runtime_call": "aclmdlSetDynamicHWSize"},
    {"name": "rec_dynamic_bs", "file": "rec_dynamic_bs.onnx", "mode": "dynamic_bs",
     "input_name": "x", "input_shape": "-1,3,48,160",
     "gears": [[4,3,48,160],[1,3,48,160]], "runtime_call": "aclmdlSetDynamicBatchSize"}],
  "failed": [{"name": "rec_dynamic_bs16_hw", "error": "not converted"}]
})";

TEST_CASE("gears.json groups every model's gears by batch") {
  auto g = ParseGearsJson(kGears, "gears.json");
  REQUIRE(g.ok());
  CHECK(g->input_shape == InputDims{-1, 3, 48, -1});
  CHECK(g->limit_side_len == 0);
  CHECK(g->cost.unit() == "px");
  CHECK(g->cost.Cost(1, 2, 3) == kDefaultCallOverhead + 6);
  const auto& models = g->gears.models;
  REQUIRE(models.size() == 3);
  CHECK(models[0].batch == 1);
  REQUIRE(models[0].hw.size() == 3);
  CHECK(models[0].hw[0].w == 160);
  CHECK(models[0].file[0] == "rec_dynamic_bs.onnx");
  CHECK(models[0].hw[1].w == 320);
  CHECK(models[0].hw[2].w == 640);
  CHECK(models[0].file[2] == "rec_dynamic_bs1_hw.onnx");
  CHECK(models[1].batch == 4);
  CHECK(models[1].hw.size() == 1);
  CHECK(models[2].batch == 8);
  CHECK(models[2].hw[0].h == 48);
}

TEST_CASE("gears.json reads an optional cost model and limit_side_len") {
  auto j = nlohmann::json::parse(kGears);
  j["limit_side_len"] = 960;
  j["cost"] = CostModel::Pixels(5000).ToJson();
  auto g = ParseGearsJson(j.dump(), "gears.json");
  REQUIRE(g.ok());
  CHECK(g->limit_side_len == 960);
  CHECK(g->cost.Cost(1, 10, 10) == 5100);
}

std::string Error(const std::function<void(nlohmann::json*)>& edit) {
  auto j = nlohmann::json::parse(kGears);
  edit(&j);
  auto g = ParseGearsJson(j.dump(), "out/gears.json");
  REQUIRE_FALSE(g.ok());
  return g.message();
}

TEST_CASE("Bad gears.json errors name the file and key") {
  CHECK(ParseGearsJson("{", "out/gears.json").message() == "out/gears.json: not valid JSON");
  CHECK(Error([](nlohmann::json* j) { j->erase("input_shape"); }) ==
        "out/gears.json: 'input_shape' is missing");
  CHECK(Error([](nlohmann::json* j) { (*j)["input_shape"] = "1,3,48"; }) ==
        "out/gears.json: 'input_shape' must be N,C,H,W: four integers, each -1 or positive");
  CHECK(Error([](nlohmann::json* j) { (*j)["models"] = nlohmann::json::array(); }) ==
        "out/gears.json: 'models' must be a non-empty list of converted models");
  CHECK(Error([](nlohmann::json* j) {
          (*j)["models"][1]["gears"][0] = {8, 3, -1, 320};
        }) == "out/gears.json: 'models[1].gears[0]' must be a full shape [n, c, h, w] with no -1");
  CHECK(Error([](nlohmann::json* j) { (*j)["models"][2].erase("gears"); }) ==
        "out/gears.json: 'models[2].gears' must be a non-empty list of [n, c, h, w]");
  CHECK(Error([](nlohmann::json* j) { (*j)["limit_side_len"] = "big"; }) ==
        "out/gears.json: 'limit_side_len' must be an integer >= 0");
  CHECK(Error([](nlohmann::json* j) {
          (*j)["cost"] = {{"kind", "pixels"}};
        }) == "out/gears.json: cost: 'call_overhead' is missing");
  CHECK(LoadGearsJson("/nonexistent/gears.json").message() ==
        "/nonexistent/gears.json: cannot read the file");
}

}  // namespace
}  // namespace runtime
}  // namespace autoscale
