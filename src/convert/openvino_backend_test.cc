#include "convert/openvino_backend.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <set>

#include "convert/backend_gear_limits.h"
#include "convert/dry_run_script.h"
#include "support/converter_fixtures.h"
#include "support/run_binary.h"

using autoscale::test::ConverterFixture;
using autoscale::test::EveryModelKind;
using autoscale::test::FakePath;
using autoscale::test::ModelKind;
using autoscale::test::ReadArgsLog;
using autoscale::test::ReadTextFile;
using autoscale::test::RunProgram;
using autoscale::test::ScopedEnv;
using autoscale::test::TestModel;
using autoscale::test::TestPlan;
namespace fs = std::filesystem;

namespace autoscale {

TEST_CASE("openvino: one ovc command per gear, the output named by the gear", "[openvino]") {
  Plan plan = TestPlan("/models/m.onnx", EveryModelKind());
  ConvertOptions options;
  options.output_path = "out";
  CHECK(OvcCommand(plan, ModelKind("m_width_hw"), {1, 3, 48, 640}, options, "/opt/ovc") ==
        std::vector<std::string>{"/opt/ovc", "/models/m.onnx", "--input", "x[1,3,48,640]",
                                 "--output_model", "out/m_width_hw_1x3x48x640.xml"});
}

TEST_CASE("openvino: every gear of every model converts with the strict stand-in", "[openvino]") {
  ConverterFixture f("openvino");
  const std::string args_log = f.dir / "args.jsonl";
  ScopedEnv log("FAKE_CONVERTER_ARGS_LOG", args_log);
  ScopedEnv mode("FAKE_CONVERTER_MODE", std::nullopt);
  Plan plan = TestPlan(f.model, EveryModelKind());
  auto backend = MakeOpenvinoBackend();
  REQUIRE(backend->Validate(plan, f.options).ok());
  f.options.jobs = 2;
  std::vector<ModelOutcome> outcomes = backend->Convert(plan, f.options);
  REQUIRE(outcomes.size() == plan.models.size());
  std::set<std::vector<std::string>> expected;
  for (size_t i = 0; i < outcomes.size(); ++i) {
    const PlannedModel& model = plan.models[i];
    INFO(model.name << ": " << outcomes[i].error << outcomes[i].log_tail);
    CHECK(outcomes[i].ok);
    REQUIRE(outcomes[i].files.size() == 2 * model.gears.size());
    nlohmann::json files = nlohmann::json::array();
    for (size_t g = 0; g < model.gears.size(); ++g) {
      const std::string xml = OpenvinoGearPath(f.options, model, model.gears[g]);
      CHECK(outcomes[i].files[2 * g] == xml);
      CHECK(fs::exists(xml));
      CHECK(fs::exists(fs::path(xml).replace_extension(".bin")));
      const FullShape& s = model.gears[g];
      files.push_back(
          {{"file", fs::path(xml).filename().string()}, {"shape", {s[0], s[1], s[2], s[3]}}});
      expected.insert(OvcCommand(plan, model, s, f.options, FakePath("ovc")));
    }
    CHECK(outcomes[i].gears_json == nlohmann::json{{"static_files", files}});
  }
  std::set<std::vector<std::string>> received;
  for (const auto& run : ReadArgsLog(args_log))
    received.insert(run["argv"].get<std::vector<std::string>>());
  CHECK(received == expected);
}

TEST_CASE("openvino: a model with a failed gear leaves none of its files", "[openvino]") {
  ConverterFixture f("openvino");
  ScopedEnv mode("FAKE_CONVERTER_MODE", "fail");
  ScopedEnv only("FAKE_CONVERTER_ONLY", "1x3x48x640");
  Plan plan = TestPlan(f.model, {ModelKind("m_dynamic_bs"), ModelKind("m_width_hw")});
  std::vector<ModelOutcome> outcomes = MakeOpenvinoBackend()->Convert(plan, f.options);
  REQUIRE(outcomes.size() == 2);
  CHECK(outcomes[0].ok);
  CHECK(outcomes[1].error == "gear [1,3,48,640]: ovc exited with code 1");
  CHECK(outcomes[1].log_path == f.Out("logs/m_width_hw_1x3x48x640.log"));
  CHECK_FALSE(fs::exists(f.Out("m_width_hw_1x3x48x320.xml")));
  CHECK_FALSE(fs::exists(f.Out("m_width_hw_1x3x48x320.bin")));
  CHECK_FALSE(fs::exists(f.Out("m_width_hw_1x3x48x640.xml")));
  CHECK(fs::exists(f.Out("m_dynamic_bs_8x3x48x320.xml")));
}

TEST_CASE("openvino: Validate checks the input name and the gear count", "[openvino]") {
  ConverterFixture f("openvino");
  auto backend = MakeOpenvinoBackend();
  Plan plan = TestPlan(f.model, EveryModelKind());
  CHECK(backend->Validate(plan, f.options).ok());
  plan.input_name = "x[0]";
  CHECK_THAT(backend->Validate(plan, f.options).message(), Catch::StartsWith("input name 'x[0]'"));
  std::vector<FullShape> many;
  for (int64_t w = 1; w <= 101; ++w) many.push_back({1, 3, 48, 32 * w});
  plan = TestPlan(f.model, {TestModel("m_width_hw", "1,3,48,-1", many)});
  CHECK_THAT(backend->Validate(plan, f.options).message(),
             Catch::StartsWith("m_width_hw: 101 gears; the openvino backend takes at most 100"));
}

TEST_CASE("openvino: --dry-run lists every gear's command and runs nothing", "[openvino]") {
  ConverterFixture f("openvino");
  f.options.dry_run = true;
  f.options.ovc_path = "";
  ScopedEnv path("PATH", f.dir.path());
  Plan plan = TestPlan(f.model, {ModelKind("m_bs_hw")});
  auto backend = MakeOpenvinoBackend();
  REQUIRE(backend->Validate(plan, f.options).ok());
  std::vector<ModelOutcome> outcomes = backend->Convert(plan, f.options);
  REQUIRE(outcomes.size() == 1);
  CHECK(outcomes[0].ok);
  CHECK(outcomes[0].gears_json["static_files"].size() == 3);
  const std::string script = ReadTextFile(DryRunScriptPath(f.options.output_path));
  for (const FullShape& g : plan.models[0].gears)
    CHECK_THAT(
        script,
        Catch::Contains(ShellCommandLine(OvcCommand(plan, plan.models[0], g, f.options, "ovc"))));
  CHECK(RunProgram({"/bin/bash", "-n", DryRunScriptPath(f.options.output_path)}).exit_code == 0);
  CHECK_FALSE(fs::exists(f.Out("m_bs_hw_1x3x32x320.xml")));
}

TEST_CASE("openvino: a dry run names the model and the IRs relative to its folder", "[openvino]") {
  ConverterFixture f("openvino");
  f.options.dry_run = true;
  Plan plan = TestPlan(f.model, {ModelKind("m_dynamic_bs")});
  std::vector<ModelOutcome> outcomes = MakeOpenvinoBackend()->Convert(plan, f.options);
  REQUIRE(outcomes.size() == 1);
  CHECK(outcomes[0].ok);
  const FullShape& gear = plan.models[0].gears[0];
  CHECK(OvcCommand(plan, plan.models[0], gear, f.options, "ovc") ==
        std::vector<std::string>{
            "ovc", "../my model's.onnx", "--input", "x" + GearText(gear), "--output_model",
            "m_dynamic_bs_" + std::to_string(gear[0]) + "x3x" + std::to_string(gear[2]) + "x" +
                std::to_string(gear[3]) + ".xml"});
  CHECK_THAT(ReadTextFile(f.Out("convert.sh")),
             Catch::Contains(" '../my model'\\''s.onnx' --input "));
  CHECK_FALSE(fs::exists(f.Out("my model's.onnx")));
  // With copy_model the model is copied beside convert.sh and named so.
  f.options.copy_model = true;
  outcomes = MakeOpenvinoBackend()->Convert(plan, f.options);
  CHECK(outcomes.at(0).ok);
  CHECK(ReadTextFile(f.Out("my model's.onnx")) == "not really onnx");
  CHECK_THAT(ReadTextFile(f.Out("convert.sh")), Catch::Contains(" 'my model'\\''s.onnx' --input "));
}

}  // namespace autoscale
