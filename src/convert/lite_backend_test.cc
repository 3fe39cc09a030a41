#include "convert/lite_backend.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <map>

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
using autoscale::test::TempDir;
using autoscale::test::TestModel;
using autoscale::test::TestPlan;
using autoscale::test::WriteTextFile;
namespace fs = std::filesystem;

namespace autoscale {

namespace {

// The kinds of model Lite takes: all but N dynamic together with H or W.
std::vector<PlannedModel> LiteModelKinds() {
  std::vector<PlannedModel> models;
  for (const PlannedModel& m : EveryModelKind())
    if (m.name != "m_bs_w" && m.name != "m_bs_hw") models.push_back(m);
  return models;
}

}  // namespace

TEST_CASE("lite: the exact config text for each kind of model", "[lite]") {
  Plan plan = TestPlan("m.onnx", EveryModelKind());
  const std::map<std::string, std::string> texts = {
      {"m_static", "[ascend_context]\ninput_format=NCHW\ninput_shape=x:[1,3,48,320]\n"},
      {"m_dynamic_bs",
       "[ascend_context]\ninput_format=NCHW\ninput_shape=x:[-1,3,48,320]\n"
       "dynamic_dims=[1],[4],[8]\n"},
      {"m_dynamic_hw",
       "[ascend_context]\ninput_format=NCHW\ninput_shape=x:[1,3,-1,-1]\n"
       "dynamic_dims=[736,736],[960,1280]\n"},
      // Width only: written as H and W dynamic, H the same in every gear.
      {"m_width_hw",
       "[ascend_context]\ninput_format=NCHW\ninput_shape=x:[1,3,-1,-1]\n"
       "dynamic_dims=[48,320],[48,640]\n"},
      {"m_height_hw",
       "[ascend_context]\ninput_format=NCHW\ninput_shape=x:[1,3,-1,-1]\n"
       "dynamic_dims=[32,100],[64,100]\n"},
      // The per-batch model pins N.
      {"m_dynamic_bs8_hw",
       "[ascend_context]\ninput_format=NCHW\ninput_shape=x:[8,3,-1,-1]\n"
       "dynamic_dims=[48,320],[48,640]\n"},
  };
  for (const auto& [name, text] : texts) {
    INFO(name);
    CHECK(LiteConfigText(plan, ModelKind(name)) == text);
  }
}

TEST_CASE("lite: the exact command and config path", "[lite]") {
  Plan plan = TestPlan("/models/m.onnx", EveryModelKind());
  ConvertOptions options;
  options.output_path = "out";
  CHECK(LiteConfigPath(options, ModelKind("m_dynamic_bs")) == "out/m_dynamic_bs_lite.cfg");
  CHECK(LiteCommand(plan, ModelKind("m_dynamic_bs"), options, "/opt/converter_lite") ==
        std::vector<std::string>{"/opt/converter_lite", "--fmk=ONNX", "--modelFile=/models/m.onnx",
                                 "--outputFile=out/m_dynamic_bs",
                                 "--configFile=out/m_dynamic_bs_lite.cfg", "--saveType=MINDIR",
                                 "--optimize=ascend_oriented"});
}

TEST_CASE("lite: every kind of model converts with the strict stand-in", "[lite]") {
  ConverterFixture f("lite");
  const std::string args_log = f.dir / "args.jsonl";
  ScopedEnv log("FAKE_CONVERTER_ARGS_LOG", args_log);
  ScopedEnv mode("FAKE_CONVERTER_MODE", std::nullopt);
  Plan plan = TestPlan(f.model, LiteModelKinds());
  auto backend = MakeLiteBackend();
  REQUIRE(backend->Validate(plan, f.options).ok());
  std::vector<ModelOutcome> outcomes = backend->Convert(plan, f.options);
  REQUIRE(outcomes.size() == plan.models.size());
  for (size_t i = 0; i < outcomes.size(); ++i) {
    const PlannedModel& model = plan.models[i];
    INFO(model.name << ": " << outcomes[i].error << "\n" << outcomes[i].log_tail);
    CHECK(outcomes[i].ok);
    CHECK(outcomes[i].files ==
          std::vector<std::string>{f.Out(model.name + ".mindir"), f.Out(model.name + "_lite.cfg")});
    CHECK(ReadTextFile(f.Out(model.name + "_lite.cfg")) == LiteConfigText(plan, model));
  }
  std::vector<nlohmann::json> runs = ReadArgsLog(args_log);
  REQUIRE(runs.size() == plan.models.size());
  for (size_t i = 0; i < runs.size(); ++i) {
    CHECK(runs[i]["argv"].get<std::vector<std::string>>() ==
          LiteCommand(plan, plan.models[i], f.options, FakePath("converter_lite")));
    CHECK(runs[i]["config"] == LiteConfigText(plan, plan.models[i]));
  }
}

TEST_CASE("lite: Validate rejects what Lite would, before anything runs", "[lite]") {
  ConverterFixture f("lite");
  auto backend = MakeLiteBackend();
  for (const char* name : {"m_bs_w", "m_bs_hw"}) {
    Plan plan = TestPlan(f.model, {ModelKind(name)});
    CHECK_THAT(backend->Validate(plan, f.options).message(),
               Catch::EndsWith(": MindSpore Lite accepts only N dynamic, or N fixed with H and W "
                               "dynamic; pin N, use --atc_mode dims or --backend atc"));
  }
  Plan plan = TestPlan(
      f.model, {TestModel("m_dynamic_hw", "1,3,48,-1", {{1, 3, 48, 320}, {1, 3, 48, 320}})});
  CHECK_THAT(backend->Validate(plan, f.options).message(), Catch::Contains("appears twice"));
  plan = TestPlan(f.model, {TestModel("m_dynamic_hw", "1,3,48,-1", {{1, 3, 48, 320}})});
  CHECK_THAT(backend->Validate(plan, f.options).message(), Catch::Contains("1 gear;"));
  CHECK_FALSE(fs::exists(f.options.output_path));
}

TEST_CASE("lite: a missing converter_lite is one line that suggests --dry-run", "[lite]") {
  ConverterFixture f("lite");
  ScopedEnv path("PATH", f.dir.path());
  f.options.lite_path = "";
  Plan plan = TestPlan(f.model, LiteModelKinds());
  auto backend = MakeLiteBackend();
  CHECK(backend->Validate(plan, f.options).message() ==
        "converter_lite not found on PATH: install MindSpore Lite's converter tool and set its "
        "LD_LIBRARY_PATH, pass --lite_path, or use --dry-run to write the commands to convert.sh "
        "without running them");
  f.options.dry_run = true;
  CHECK(backend->Validate(plan, f.options).ok());
}

TEST_CASE("lite: failures leave no model, keep the config and the log", "[lite]") {
  for (const char* failure : {"fail", "hang", "no_output"}) {
    ConverterFixture f("lite");
    ScopedEnv mode("FAKE_CONVERTER_MODE", failure);
    f.options.timeout_seconds = 1;
    Plan plan = TestPlan(f.model, {ModelKind("m_dynamic_bs")});
    std::vector<ModelOutcome> outcomes = MakeLiteBackend()->Convert(plan, f.options);
    REQUIRE(outcomes.size() == 1);
    INFO(failure);
    CHECK_FALSE(outcomes[0].ok);
    const std::map<std::string, std::string> errors = {
        {"fail", "converter_lite exited with code 1"},
        {"hang", "converter_lite timed out after 1 s"},
        {"no_output", "converter_lite exited 0 but wrote no " + f.Out("m_dynamic_bs.mindir")}};
    CHECK(outcomes[0].error == errors.at(failure));
    CHECK_FALSE(fs::exists(f.Out("m_dynamic_bs.mindir")));
    CHECK(fs::exists(f.Out("m_dynamic_bs_lite.cfg")));
    CHECK(fs::exists(f.Out("logs/m_dynamic_bs.log")));
  }
}

TEST_CASE("lite: --dry-run writes the configs and convert.sh and runs nothing", "[lite]") {
  ConverterFixture f("lite");
  const std::string args_log = f.dir / "args.jsonl";
  ScopedEnv log("FAKE_CONVERTER_ARGS_LOG", args_log);
  f.options.dry_run = true;
  f.options.lite_path = "";
  Plan plan = TestPlan(f.model, LiteModelKinds());
  std::vector<ModelOutcome> outcomes = MakeLiteBackend()->Convert(plan, f.options);
  REQUIRE(outcomes.size() == plan.models.size());
  for (size_t i = 0; i < outcomes.size(); ++i) {
    const std::string& name = plan.models[i].name;
    CHECK(outcomes[i].ok);
    CHECK(outcomes[i].files ==
          std::vector<std::string>{f.Out(name + ".mindir"), f.Out(name + "_lite.cfg")});
    CHECK_FALSE(fs::exists(f.Out(name + ".mindir")));
    CHECK(ReadTextFile(f.Out(name + "_lite.cfg")) == LiteConfigText(plan, plan.models[i]));
  }
  CHECK_FALSE(fs::exists(args_log));
  CHECK_THAT(ReadTextFile(f.Out("convert.sh")),
             Catch::Contains("\nconverter_lite --fmk=ONNX '--modelFile=../my model'\\''s.onnx' "
                             "--outputFile=m_dynamic_bs --configFile=m_dynamic_bs_lite.cfg "
                             "--saveType=MINDIR --optimize=ascend_oriented || status=1\n"));
  auto result = RunProgram(
      {f.Out("convert.sh")},
      {"PATH=" + fs::path(FakePath("converter_lite")).parent_path().string() + ":/usr/bin:/bin"});
  INFO(result.err);
  CHECK(result.exit_code == 0);
  for (const PlannedModel& model : plan.models) CHECK(fs::exists(f.Out(model.name + ".mindir")));
}

TEST_CASE("lite stand-in: grammar violations are rejected", "[lite][fake]") {
  TempDir dir;
  const std::string model = WriteTextFile(dir / "m.onnx", "x");
  const std::string good_config =
      "[ascend_context]\ninput_format=NCHW\ninput_shape=x:[-1,3,48,320]\ndynamic_dims=[1],[4],[8]"
      "\n";
  const std::string config = dir / "c.cfg";
  const std::vector<std::string> good = {FakePath("converter_lite"),  "--fmk=ONNX",
                                         "--modelFile=" + model,      "--outputFile=" + dir / "o",
                                         "--configFile=" + config,    "--saveType=MINDIR",
                                         "--optimize=ascend_oriented"};
  WriteTextFile(config, good_config);
  REQUIRE(RunProgram(good).exit_code == 0);
  CHECK(fs::exists(dir / "o.mindir"));

  const std::vector<std::pair<std::string, std::string>> bad_configs = {
      {"input_format=NCHW\n", "key outside a section"},
      {"[acl_option]\ninput_format=NCHW\n", "unknown section [acl_option]"},
      {"[ascend_context]\ngpu_mode=1\n", "unknown key gpu_mode"},
      {"[ascend_context]\ninput_format=NCHW\ninput_format=NCHW\n", "input_format given twice"},
      {"[ascend_context]\ninput_format = NCHW\n", "stray whitespace"},
      {"[ascend_context]\ninput_format=NC\n", "is not NCHW, NHWC or ND"},
      {"[ascend_context]\ninput_shape=x:-1,3,48,320\ndynamic_dims=[1],[4]\n",
       "is not name:[n,c,h,w]"},
      {"[ascend_context]\ninput_shape=x:[-1,3,48,320]\ndynamic_dims=1,4\n",
       "is not [v,...],[v,...]"},
      {"[ascend_context]\ninput_shape=x:[-1,3,48,320]\ndynamic_dims=[1];[4]\n",
       "is not [v,...],[v,...]"},
      {"[ascend_context]\ninput_shape=x:[-1,3,48,320]\ndynamic_dims=[1],[1]\n",
       "duplicate profile"},
      {"[ascend_context]\ninput_shape=x:[-1,3,48,320]\ndynamic_dims=[1]\n", "1 profiles; 2 to 100"},
      {"[ascend_context]\ninput_shape=x:[-1,3,48,320]\ndynamic_dims=[1],[4096]\n",
       "batch above 2048"},
      {"[ascend_context]\ninput_shape=x:[-1,3,48,320]\n", "has -1 but no dynamic_dims"},
      {"[ascend_context]\ninput_shape=x:[1,3,48,320]\ndynamic_dims=[1],[4]\n",
       "input_shape has no -1"},
      {"[ascend_context]\ninput_shape=x:[1,3,48,-1]\ndynamic_dims=[320],[640]\n",
       "only N, or two of C/H/W with N fixed"},
      {"[ascend_context]\ninput_shape=x:[-1,3,48,-1]\ndynamic_dims=[1,320],[4,640]\n",
       "only N, or two of C/H/W with N fixed"},
      {"[ascend_context]\ninput_shape=x:[1,3,-1,-1]\ndynamic_dims=[48],[64]\n",
       "1 values for 2 dynamic dims"},
  };
  for (const auto& [text, message] : bad_configs) {
    INFO(text);
    WriteTextFile(config, text);
    auto result = RunProgram(good);
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err,
               Catch::StartsWith("converter_lite: error: ") && Catch::Contains(message));
  }
  WriteTextFile(config, good_config);
  auto with = [&](size_t index, const std::string& arg) {
    std::vector<std::string> argv = good;
    argv[index] = arg;
    return argv;
  };
  const std::vector<std::pair<std::vector<std::string>, std::string>> bad_args = {
      {with(1, "--fmk"), "not of the form --key=value"},
      {with(1, "--fmk=TF"), "ONNX only"},
      {with(5, "--saveType=OM"), "expected MINDIR"},
      {with(6, "--optimize=fast"), "is not none, general"},
      {with(6, "--weightFile=w"), "unknown option --weightFile"},
      {with(4, "--configFile=" + dir / "missing.cfg"), "no such file"},
      {with(6, "--saveType=MINDIR"), "--saveType given twice"},
      {{good[0], good[1], good[2], good[3], good[5], good[6]}, "--configFile is required"},
  };
  for (const auto& [argv, message] : bad_args) {
    INFO(message);
    auto result = RunProgram(argv);
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Catch::Contains(message));
  }
}

}  // namespace autoscale

namespace autoscale {

TEST_CASE("lite: --atc_mode dims writes the ND dynamic_dims form for every kind", "[lite]") {
  Plan plan = TestPlan("m.onnx", EveryModelKind());
  ConvertOptions options;
  options.atc_mode = "dims";
  CHECK(LiteConfigText(plan, ModelKind("m_width_hw"), options) ==
        "[ascend_context]\ninput_format=ND\ninput_shape=x:[1,3,48,-1]\ndynamic_dims=[320],[640]\n");
  CHECK(LiteConfigText(plan, ModelKind("m_bs_hw"), options) ==
        "[ascend_context]\ninput_format=ND\ninput_shape=x:[-1,3,-1,-1]\n"
        "dynamic_dims=[1,32,320],[2,32,320],[2,64,640]\n");
  CHECK(LiteConfigText(plan, ModelKind("m_static"), options) ==
        "[ascend_context]\ninput_format=NCHW\ninput_shape=x:[1,3,48,320]\n");
  // Every kind converts with the stand-in, which Lite's native form refuses for N and W.
  ConverterFixture f("lite");
  f.options.atc_mode = "dims";
  Plan all = TestPlan(f.model, EveryModelKind());
  auto backend = MakeLiteBackend();
  REQUIRE(backend->Validate(all, f.options).ok());
  for (const ModelOutcome& o : backend->Convert(all, f.options)) {
    INFO(o.name << ": " << o.error << o.log_tail);
    CHECK(o.ok);
  }
  SetRuntimeCalls(&all, "lite", "dims");
  for (const PlannedModel& m : all.models)
    CHECK(m.runtime_call == (m.name == "m_static" ? "" : "Model::Resize"));
}

TEST_CASE("lite: the user's config entries and arguments reach converter_lite", "[lite]") {
  ConverterFixture f("lite");
  const std::string aipp = WriteTextFile(f.dir / "aipp.cfg", "aipp_op {\n}\n");
  const std::string args_log = f.dir / "args.jsonl";
  ScopedEnv log("FAKE_CONVERTER_ARGS_LOG", args_log);
  f.options.lite_config = {"ascend_context.precision_mode=enforce_fp16",
                           "ascend_context.insert_op_config_file_path=" + aipp};
  f.options.lite_args = {"--device=Ascend"};
  Plan plan = TestPlan(f.model, {ModelKind("m_dynamic_bs")});
  auto backend = MakeLiteBackend();
  REQUIRE(backend->Validate(plan, f.options).ok());
  std::vector<ModelOutcome> outcomes = backend->Convert(plan, f.options);
  INFO(outcomes.at(0).error << outcomes.at(0).log_tail);
  CHECK(outcomes.at(0).ok);
  const nlohmann::json run = ReadArgsLog(args_log).at(0);
  CHECK(run["argv"].back() == "--device=Ascend");
  CHECK(run["config"] ==
        "[ascend_context]\ninput_format=NCHW\ninput_shape=x:[-1,3,48,320]\n"
        "dynamic_dims=[1],[4],[8]\nprecision_mode=enforce_fp16\n"
        "insert_op_config_file_path=" +
            aipp + "\n");
  // Entries of another section go in their own.
  f.options.lite_config = {"acl_option_cfg_param.a=1"};
  CHECK_THAT(LiteConfigText(plan, plan.models[0], f.options),
             Catch::EndsWith("dynamic_dims=[1],[4],[8]\n[acl_option_cfg_param]\na=1\n"));
}

TEST_CASE("lite: an input name that would break the config file is refused", "[lite]") {
  ConverterFixture f("lite");
  for (const std::string name : {"x\n[registry]\nplugin_path=/tmp/evil.so", "a]b", "a=b", "a:b"}) {
    Plan plan = TestPlan(f.model, {ModelKind("m_dynamic_bs")});
    plan.input_name = name;
    CAPTURE(name);
    CHECK_THAT(MakeLiteBackend()->Validate(plan, f.options).message(),
               Catch::StartsWith("input name '") && Catch::Contains("the converter_lite config"));
  }
}

}  // namespace autoscale
