#include "convert/rknn_backend.h"

#include <catch2/catch.hpp>
#include <filesystem>

#include "convert/dry_run_script.h"
#include "support/converter_fixtures.h"
#include "support/run_binary.h"

using autoscale::test::ConverterFixture;
using autoscale::test::EveryModelKind;
using autoscale::test::ModelKind;
using autoscale::test::ReadArgsLog;
using autoscale::test::ReadTextFile;
using autoscale::test::RunProgram;
using autoscale::test::RunResult;
using autoscale::test::ScopedEnv;
using autoscale::test::TestModel;
using autoscale::test::TestPlan;
namespace fs = std::filesystem;

namespace autoscale {

namespace {

const std::string kFakePython = std::string(AUTOSCALE_SOURCE_DIR) + "/tests/fakes/python";

// The calls the stand-in rknn.api logged, by method.
std::vector<nlohmann::json> Calls(const std::string& log, const std::string& method) {
  std::vector<nlohmann::json> calls;
  for (const nlohmann::json& line : ReadArgsLog(log))
    if (line["method"] == method) calls.push_back(line["args"]);
  return calls;
}

}  // namespace

TEST_CASE("rknn: Python strings cannot end their literal", "[rknn]") {
  CHECK(PythonString("rk3588") == "'rk3588'");
  CHECK(PythonString("a'b\\c") == "'a\\'b\\\\c'");
  CHECK(PythonString("x\n'") == "b'x\\x0a\\''.decode('utf-8', 'surrogateescape')");
  CHECK(PythonString("\xc3\xa9") == "b'\\xc3\\xa9'.decode('utf-8', 'surrogateescape')");
}

TEST_CASE("rknn: rknn.config takes plain literals only", "[rknn]") {
  CHECK(CheckRknnConfig({{"optimization_level", 3},
                         {"mean_values", {{0, 0, 0}}},
                         {"std_values", {{255.0, 255.0, 255.0}}},
                         {"quant_img_RGB2BGR", false},
                         {"float_dtype", "float16"}})
            .ok());
  CHECK(CheckRknnConfig({{"target_platform", "rk3566"}}).message() ==
        "rknn.config.target_platform: autoscale sets target_platform itself "
        "(rknn.target_platform, the gears)");
  CHECK_THAT(CheckRknnConfig({{"dynamic_input", nlohmann::json::array()}}).message(),
             Catch::Contains("autoscale sets dynamic_input"));
  CHECK(CheckRknnConfig({{"a=1, b", 1}}).message() ==
        "rknn.config: key 'a=1, b' is not a Python keyword argument name");
  CHECK_THAT(CheckRknnConfig({{"lambda", 1}}).message(), Catch::Contains("not a Python keyword"));
  CHECK(CheckRknnConfig({{"x", {{"a", 1}}}}).message() ==
        "rknn.config.x: expected a number, true/false, a string or a list of them, got a mapping");
  CHECK(CheckRknnConfig({{"x", nullptr}}).message() ==
        "rknn.config.x: expected a number, true/false, a string or a list of them, got nothing");
  CHECK(CheckRknnConfig({{"x", "caf\xc3\xa9"}}).message() ==
        "rknn.config.x: strings must be printable ASCII");
  CHECK(CheckRknnConfig({{"x", {{{{{1}}}}}}}).message() ==
        "rknn.config.x: lists nest at most 4 deep");
  CHECK(CheckRknnTargetPlatform("rv1106").ok());
  CHECK(CheckRknnTargetPlatform("rk3588'); import os; ('").message() ==
        "rknn.target_platform (--rknn_target_platform) 'rk3588'); import os; ('': expected "
        "lowercase letters and digits, "
        "e.g. rk3588");
}

TEST_CASE("rknn: the script lists every gear and compiles", "[rknn]") {
  ConverterFixture f("rknn");
  f.options.rknn_config = {{"optimization_level", 3}, {"note", "'); import os; ('"}};
  Plan plan = TestPlan(f.model, EveryModelKind());
  const std::string text = RknnScriptText(plan, ModelKind("m_width_hw"), f.options);
  CHECK_THAT(text, Catch::Contains("target_platform='rk3588'"));
  CHECK_THAT(text, Catch::Contains("dynamic_input=[\n            [[1, 3, 48, 320]],\n"
                                   "            [[1, 3, 48, 640]],\n        ]"));
  CHECK_THAT(text, Catch::Contains("optimization_level=3"));
  CHECK_THAT(text, Catch::Contains("note='\\'); import os; (\\''"));
  CHECK_THAT(text, Catch::Contains("input_size_list=[[1, 3, 48, 640]]"));
  CHECK_THAT(text, Catch::Contains("build(do_quantization=False)"));
  // A static model has no dynamic_input.
  CHECK_THAT(RknnScriptText(plan, ModelKind("m_static"), f.options),
             !Catch::Contains("dynamic_input="));
  const std::string path = f.dir / "m.py";
  autoscale::test::WriteTextFile(path, text);
  RunResult r = RunProgram({"/usr/bin/python3", "-m", "py_compile", path});
  INFO(r.err);
  CHECK(r.exit_code == 0);
}

TEST_CASE("rknn: a real run builds every model with the stand-in rknn.api", "[rknn]") {
  ConverterFixture f("rknn");
  f.options.rknn_config = {{"note", "'); import os; ('"}};
  const std::string log = f.dir / "rknn.jsonl";
  ScopedEnv python_path("PYTHONPATH", kFakePython);
  ScopedEnv rknn_log("FAKE_RKNN_LOG", log);
  ScopedEnv mode("FAKE_CONVERTER_MODE", std::nullopt);
  Plan plan = TestPlan(f.model, EveryModelKind());
  auto backend = MakeRknnBackend();
  REQUIRE(backend->Validate(plan, f.options).ok());
  std::vector<ModelOutcome> outcomes = backend->Convert(plan, f.options);
  REQUIRE(outcomes.size() == plan.models.size());
  for (size_t i = 0; i < outcomes.size(); ++i) {
    const PlannedModel& model = plan.models[i];
    INFO(model.name << ": " << outcomes[i].error << outcomes[i].log_tail);
    CHECK(outcomes[i].ok);
    CHECK(outcomes[i].files ==
          std::vector<std::string>{f.Out(model.name + ".rknn"), f.Out(model.name + "_rknn.py")});
    CHECK(outcomes[i].gears_json == nlohmann::json{{"target_platform", "rk3588"}});
  }
  const std::vector<nlohmann::json> configs = Calls(log, "config");
  REQUIRE(configs.size() == plan.models.size());
  for (size_t i = 0; i < configs.size(); ++i) {
    // The text that looked like code arrived as a string.
    CHECK(configs[i]["note"] == "'); import os; ('");
    nlohmann::json shapes = nlohmann::json::array();
    for (const FullShape& g : plan.models[i].gears) shapes.push_back({{g[0], g[1], g[2], g[3]}});
    if (plan.models[i].gears.size() == 1) shapes = nullptr;
    CHECK(configs[i]["dynamic_input"] == shapes);
  }
  const std::vector<nlohmann::json> loads = Calls(log, "load_onnx");
  REQUIRE(loads.size() == plan.models.size());
  CHECK(loads[0]["model"] == f.model);
  CHECK(loads[0]["inputs"] == nlohmann::json{"x"});
  for (const nlohmann::json& build : Calls(log, "build")) CHECK(build["do_quantization"] == false);
}

TEST_CASE("rknn: a failed build fails its model and leaves no .rknn", "[rknn]") {
  ConverterFixture f("rknn");
  ScopedEnv python_path("PYTHONPATH", kFakePython);
  ScopedEnv mode("FAKE_CONVERTER_MODE", "fail");
  Plan plan = TestPlan(f.model, {ModelKind("m_dynamic_bs")});
  std::vector<ModelOutcome> outcomes = MakeRknnBackend()->Convert(plan, f.options);
  REQUIRE(outcomes.size() == 1);
  CHECK(outcomes[0].error == "python3 exited with code 1");
  CHECK_THAT(outcomes[0].log_tail, Catch::Contains("rknn: build failed (-1)"));
  CHECK_FALSE(fs::exists(f.Out("m_dynamic_bs.rknn")));
}

TEST_CASE("rknn: without rknn.api a real run is refused and --dry-run writes the scripts",
          "[rknn]") {
  ConverterFixture f("rknn");
  ScopedEnv python_path("PYTHONPATH", f.dir.path());
  Plan plan = TestPlan(f.model, EveryModelKind());
  auto backend = MakeRknnBackend();
  CHECK_THAT(backend->Validate(plan, f.options).message(),
             Catch::EndsWith("cannot import rknn.api: install rknn-toolkit2 (pip install "
                             "rknn-toolkit2), pass --rknn_python, or use --dry-run to write the "
                             "scripts only"));
  CHECK_FALSE(fs::exists(f.options.output_path));
  f.options.dry_run = true;
  REQUIRE(backend->Validate(plan, f.options).ok());
  std::vector<ModelOutcome> outcomes = backend->Convert(plan, f.options);
  for (const ModelOutcome& o : outcomes) CHECK(o.ok);
  const std::string script = ReadTextFile(DryRunScriptPath(f.options.output_path));
  CHECK_THAT(script, Catch::Contains("\npython3 " + plan.models[0].name + "_rknn.py "));
  CHECK(RunProgram({"/bin/bash", "-n", DryRunScriptPath(f.options.output_path)}).exit_code == 0);
  for (const PlannedModel& model : plan.models) {
    CHECK(fs::exists(RknnScriptPath(f.options, model)));
    CHECK_FALSE(fs::exists(f.Out(model.name + ".rknn")));
  }
  // Gears past the toolkit's limit are refused before anything runs.
  std::vector<FullShape> many;
  for (int64_t w = 1; w <= 513; ++w) many.push_back({1, 3, 48, w});
  CHECK_THAT(
      backend->Validate(TestPlan(f.model, {TestModel("m_width_hw", "1,3,48,-1", many)}), f.options)
          .message(),
      Catch::StartsWith("m_width_hw: 513 gears; rknn-toolkit2 takes at most 512"));
}

TEST_CASE("rknn: a dry run's script finds its files from its own folder, run from anywhere",
          "[rknn]") {
  ConverterFixture f("rknn");
  f.options.dry_run = true;
  Plan plan = TestPlan(f.model, {ModelKind("m_dynamic_bs")});
  std::vector<ModelOutcome> outcomes = MakeRknnBackend()->Convert(plan, f.options);
  REQUIRE(outcomes.size() == 1);
  CHECK(outcomes[0].ok);
  const std::string script = f.Out("m_dynamic_bs_rknn.py");
  CHECK_THAT(ReadTextFile(script),
             Catch::Contains("model=os.path.join(HERE, '../my model\\'s.onnx'),"));
  CHECK_THAT(ReadTextFile(script),
             Catch::Contains("rknn.export_rknn(os.path.join(HERE, 'm_dynamic_bs.rknn'))"));
  CHECK_FALSE(fs::exists(f.Out("my model's.onnx")));
  // Run by hand from another folder, it reads the model and writes beside itself.
  fs::create_directories(f.dir / "elsewhere");
  const std::string log = f.dir / "rknn.jsonl";
  ScopedEnv mode("FAKE_CONVERTER_MODE", std::nullopt);
  RunResult run =
      RunProgram({"/usr/bin/env", "python3", script},
                 {"PYTHONPATH=" + kFakePython, "FAKE_RKNN_LOG=" + log, "PATH=/usr/bin:/bin"},
                 f.dir / "elsewhere");
  INFO(run.err);
  CHECK(run.exit_code == 0);
  CHECK(fs::is_regular_file(f.Out("m_dynamic_bs.rknn")));
  CHECK(fs::is_empty(f.dir / "elsewhere"));
  // With copy_model the model is copied beside the script and named so.
  f.options.copy_model = true;
  outcomes = MakeRknnBackend()->Convert(plan, f.options);
  CHECK(outcomes.at(0).ok);
  CHECK(ReadTextFile(f.Out("my model's.onnx")) == "not really onnx");
  CHECK_THAT(ReadTextFile(script),
             Catch::Contains("model=os.path.join(HERE, 'my model\\'s.onnx'),"));
}

}  // namespace autoscale
