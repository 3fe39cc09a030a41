#include "convert/conversion_outputs.h"

#include <catch2/catch.hpp>
#include <filesystem>

#include "support/run_binary.h"

using namespace autoscale;
using autoscale::test::TempDir;
namespace fs = std::filesystem;

namespace {

Plan RecPlan() {
  GearSet gears;
  gears.batch = {1, 4};
  gears.hw = {{48, 320}, {48, 640}};
  auto plan = MakePlan("models/rec.onnx", "x", *ParseInputShape("-1,3,48,-1"), gears);
  REQUIRE(plan.ok());
  return *plan;
}

ModelOutcome Ok(const std::string& name, const std::string& file) {
  ModelOutcome o;
  o.name = name;
  o.ok = true;
  o.files = {file};
  return o;
}

}  // namespace

TEST_CASE("gears.json lists each written model with what its runtime needs", "[conversion_outputs]") {
  const Plan plan = RecPlan();
  ConvertOptions options;
  options.output_path = "out";
  ModelOutcome failed;
  failed.name = "rec_dynamic_bs4_hw";
  failed.error = "rec_dynamic_bs4_hw: gear 4x3x48x640: shape inference: boom";
  const nlohmann::json j = GearsJson(plan, {Ok("rec_dynamic_bs1_hw", "out/rec_dynamic_bs1_hw.onnx"), failed}, options);
  CHECK(j["source_model"] == "models/rec.onnx");
  CHECK(j["input_name"] == "x");
  CHECK(j["input_shape"] == "-1,3,48,-1");
  CHECK(j["backend"] == "onnx");
  REQUIRE(j["models"].size() == 1);
  const auto& m = j["models"][0];
  CHECK(m["name"] == "rec_dynamic_bs1_hw");
  CHECK(m["file"] == "rec_dynamic_bs1_hw.onnx");
  CHECK(m["mode"] == "dynamic_bs1_hw");
  CHECK(m["input_name"] == "x");
  CHECK(m["input_shape"] == "1,3,48,-1");
  CHECK(m["gears"] == nlohmann::json::parse("[[1,3,48,320],[1,3,48,640]]"));
  CHECK(m["runtime_call"] == "aclmdlSetInputDynamicDims");
  REQUIRE(j["failed"].size() == 1);
  CHECK(j["failed"][0]["name"] == "rec_dynamic_bs4_hw");
  CHECK(j["failed"][0]["error"] == failed.error);
}

TEST_CASE("gears.json names the file the backend wrote", "[conversion_outputs]") {
  const Plan plan = RecPlan();
  ConvertOptions options;
  options.output_path = "out";
  options.backend = "atc";
  ModelOutcome dry = Ok("rec_dynamic_bs1_hw", "");
  dry.files.clear();
  const nlohmann::json j = GearsJson(
      plan, {dry, Ok("rec_dynamic_bs4_hw", "out/rec_dynamic_bs4_hw_linux_x86_64.om")}, options);
  REQUIRE(j["models"].size() == 2);
  CHECK(j["models"][0]["file"] == "rec_dynamic_bs1_hw.om");
  CHECK(j["models"][1]["file"] == "rec_dynamic_bs4_hw_linux_x86_64.om");
}

TEST_CASE("writes gears.json and scaling_data.json", "[conversion_outputs]") {
  TempDir out;
  const Plan plan = RecPlan();
  ConvertOptions options;
  options.output_path = out.path();
  auto written = WriteConversionOutputs(plan, {}, options);
  REQUIRE(written.ok());
  CHECK(*written == std::vector<std::string>{out / "gears.json", out / "scaling_data.json"});
  const auto scaling = nlohmann::json::parse(test::ReadTextFile(out / "scaling_data.json"));
  CHECK(scaling == nlohmann::json::parse(R"({"dyn_input1": [[1,3,48,320],[1,3,48,640]],
                                             "dyn_input2": [[4,3,48,320],[4,3,48,640]]})"));
  const auto gears = nlohmann::json::parse(test::ReadTextFile(out / "gears.json"));
  CHECK(gears["models"].empty());
  CHECK(gears["failed"].size() == 2);

  TempDir fixed;
  options.output_path = fixed.path();
  auto one = MakePlan("m.onnx", "x", *ParseInputShape("1,3,48,320"), GearSet{});
  REQUIRE(one.ok());
  written = WriteConversionOutputs(*one, {Ok("m_static", fixed / "m_static.onnx")}, options);
  REQUIRE(written.ok());
  CHECK(*written == std::vector<std::string>{fixed / "gears.json"});
  CHECK_FALSE(fs::exists(fixed / "scaling_data.json"));

  options.output_path = out / "no/such/folder";
  CHECK_FALSE(WriteConversionOutputs(plan, {}, options).ok());
}

TEST_CASE("gears.json keeps each gear on one line", "[conversion_outputs]") {
  TempDir out;
  ConvertOptions options;
  options.output_path = out.path();
  const Plan plan = RecPlan();
  REQUIRE(WriteConversionOutputs(plan, {Ok("rec_dynamic_bs1_hw", out / "rec_dynamic_bs1_hw.onnx")},
                                 options)
              .ok());
  const std::string text = test::ReadTextFile(out / "gears.json");
  CHECK_THAT(text, Catch::Contains("\n        [1,3,48,320],\n        [1,3,48,640]\n"));
  CHECK(nlohmann::json::parse(text) == GearsJson(plan, {Ok("rec_dynamic_bs1_hw", out / "rec_dynamic_bs1_hw.onnx")}, options));
}
