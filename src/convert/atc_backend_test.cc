#include "convert/atc_backend.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <set>

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

// The arguments from --input_shape on: the shape, the format, the dynamic option.
std::vector<std::string> Tail(const std::vector<std::string>& argv) {
  return std::vector<std::string>(argv.begin() + 5, argv.end());
}

}  // namespace

TEST_CASE("atc: the exact argument vector for each kind of model", "[atc]") {
  const std::vector<PlannedModel> models = EveryModelKind();
  Plan plan = TestPlan("/models/m.onnx", models);
  ConvertOptions options;
  options.output_path = "out";
  const PlannedModel& bs = ModelKind("m_dynamic_bs");
  CHECK(AtcCommand(plan, bs, options, "/opt/atc") ==
        std::vector<std::string>{"/opt/atc", "--model=/models/m.onnx", "--framework=5",
                                 "--output=out/m_dynamic_bs", "--soc_version=Ascend310P3",
                                 "--input_shape=x:-1,3,48,320", "--input_format=NCHW",
                                 "--dynamic_batch_size=1,4,8"});
  const std::map<std::string, std::vector<std::string>> tails = {
      {"m_static", {"--input_shape=x:1,3,48,320", "--input_format=NCHW"}},
      {"m_dynamic_hw",
       {"--input_shape=x:1,3,-1,-1", "--input_format=NCHW",
        "--dynamic_image_size=736,736;960,1280"}},
      {"m_width_hw", {"--input_shape=x:1,3,48,-1", "--input_format=ND", "--dynamic_dims=320;640"}},
      {"m_height_hw", {"--input_shape=x:1,3,-1,100", "--input_format=ND", "--dynamic_dims=32;64"}},
      {"m_dynamic_bs8_hw",
       {"--input_shape=x:8,3,48,-1", "--input_format=ND", "--dynamic_dims=320;640"}},
      {"m_bs_w", {"--input_shape=x:-1,3,48,-1", "--input_format=ND", "--dynamic_dims=8,320;8,640"}},
      {"m_bs_hw",
       {"--input_shape=x:-1,3,-1,-1", "--input_format=ND",
        "--dynamic_dims=1,32,320;2,32,320;2,64,640"}},
  };
  for (const auto& [name, tail] : tails) {
    INFO(name);
    std::vector<std::string> argv = AtcCommand(plan, ModelKind(name), options, "atc");
    CHECK(argv[0] == "atc");
    CHECK(argv[3] == "--output=out/" + name);
    CHECK(Tail(argv) == tail);
  }
  options.soc_version = "Ascend910B";
  options.output_path = "out/";
  std::vector<std::string> argv = AtcCommand(plan, bs, options, "atc");
  CHECK(argv[3] == "--output=out/m_dynamic_bs");
  CHECK(argv[4] == "--soc_version=Ascend910B");
}

TEST_CASE("atc: every kind of model converts with the strict stand-in", "[atc]") {
  ConverterFixture f("atc");
  const std::string args_log = f.dir / "args.jsonl";
  ScopedEnv log("FAKE_CONVERTER_ARGS_LOG", args_log);
  ScopedEnv mode("FAKE_CONVERTER_MODE", std::nullopt);
  Plan plan = TestPlan(f.model, EveryModelKind());
  auto backend = MakeAtcBackend();
  REQUIRE(backend->Validate(plan, f.options).ok());
  f.options.jobs = 2;
  std::vector<ModelOutcome> outcomes = backend->Convert(plan, f.options);
  REQUIRE(outcomes.size() == plan.models.size());
  for (size_t i = 0; i < outcomes.size(); ++i) {
    const PlannedModel& model = plan.models[i];
    INFO(model.name << ": " << outcomes[i].error << "\n" << outcomes[i].log_tail);
    CHECK(outcomes[i].ok);
    CHECK(outcomes[i].name == model.name);
    CHECK(outcomes[i].files == std::vector<std::string>{f.Out(model.name + ".om")});
    CHECK(outcomes[i].log_path == f.Out("logs/" + model.name + ".log"));
    CHECK(fs::exists(outcomes[i].log_path));
  }
  // The stand-in received exactly the argument vectors.
  std::vector<nlohmann::json> runs = ReadArgsLog(args_log);
  REQUIRE(runs.size() == plan.models.size());
  std::set<std::vector<std::string>> received, expected;
  for (const auto& run : runs) received.insert(run["argv"].get<std::vector<std::string>>());
  for (const PlannedModel& model : plan.models)
    expected.insert(AtcCommand(plan, model, f.options, FakePath("atc")));
  CHECK(received == expected);
}

TEST_CASE("atc: a file named <out>_<os>_<arch>.om is the model", "[atc]") {
  ConverterFixture f("atc");
  ScopedEnv mode("FAKE_CONVERTER_MODE", "os_arch");
  Plan plan = TestPlan(f.model, {ModelKind("m_dynamic_bs")});
  std::vector<ModelOutcome> outcomes = MakeAtcBackend()->Convert(plan, f.options);
  REQUIRE(outcomes.size() == 1);
  INFO(outcomes[0].error);
  CHECK(outcomes[0].ok);
  CHECK(outcomes[0].files == std::vector<std::string>{f.Out("m_dynamic_bs_linux_x86_64.om")});
}

TEST_CASE("atc: a failing model reports its log tail, leaves no output, others go on", "[atc]") {
  ConverterFixture f("atc");
  ScopedEnv mode("FAKE_CONVERTER_MODE", "fail");
  ScopedEnv only("FAKE_CONVERTER_ONLY", "m_dynamic_hw");
  Plan plan = TestPlan(f.model, {ModelKind("m_dynamic_bs"), ModelKind("m_dynamic_hw")});
  std::vector<ModelOutcome> outcomes = MakeAtcBackend()->Convert(plan, f.options);
  REQUIRE(outcomes.size() == 2);
  CHECK(outcomes[0].ok);
  CHECK_FALSE(outcomes[1].ok);
  CHECK(outcomes[1].error == "atc exited with code 1");
  CHECK_THAT(outcomes[1].log_tail, Catch::Contains("E19999"));
  CHECK_FALSE(fs::exists(f.Out("m_dynamic_hw.om")));
  CHECK(fs::exists(f.Out("m_dynamic_bs.om")));
}

TEST_CASE("atc: a hanging converter times out", "[atc]") {
  ConverterFixture f("atc");
  ScopedEnv mode("FAKE_CONVERTER_MODE", "hang");
  f.options.timeout_seconds = 1;
  Plan plan = TestPlan(f.model, {ModelKind("m_dynamic_bs")});
  std::vector<ModelOutcome> outcomes = MakeAtcBackend()->Convert(plan, f.options);
  REQUIRE(outcomes.size() == 1);
  CHECK(outcomes[0].error == "atc timed out after 1 s");
  CHECK_THAT(outcomes[0].log_tail, Catch::Contains("hanging"));
  CHECK_FALSE(fs::exists(f.Out("m_dynamic_bs.om")));
}

TEST_CASE("atc: exit 0 without a model file fails", "[atc]") {
  ConverterFixture f("atc");
  ScopedEnv mode("FAKE_CONVERTER_MODE", "no_output");
  Plan plan = TestPlan(f.model, {ModelKind("m_static")});
  std::vector<ModelOutcome> outcomes = MakeAtcBackend()->Convert(plan, f.options);
  REQUIRE(outcomes.size() == 1);
  CHECK(outcomes[0].error == "atc exited 0 but wrote no " + f.Out("m_static.om"));
}

TEST_CASE("atc: Validate rejects what ATC would, before anything runs", "[atc]") {
  ConverterFixture f("atc");
  auto backend = MakeAtcBackend();
  Plan plan = TestPlan(f.model, EveryModelKind());
  CHECK(backend->Validate(plan, f.options).ok());
  plan.models.push_back(TestModel("m_dynamic_bs", "-1,3,48,320", {{1, 3, 48, 320}}));
  CHECK_THAT(backend->Validate(plan, f.options).message(),
             Catch::StartsWith("m_dynamic_bs: 1 gear;"));
  plan = TestPlan(
      f.model, {TestModel("m_dynamic_bs", "-1,3,48,320", {{1, 3, 48, 320}, {3000, 3, 48, 320}})});
  CHECK_THAT(backend->Validate(plan, f.options).message(), Catch::Contains("outside 1..2048"));

  plan = TestPlan(f.model, EveryModelKind());
  ConvertOptions options = f.options;
  options.soc_version = "";
  CHECK(backend->Validate(plan, options).message() == "--soc_version is empty");
  options = f.options;
  options.jobs = 0;
  CHECK_THAT(backend->Validate(plan, options).message(), Catch::StartsWith("--jobs 0"));
  options = f.options;
  options.timeout_seconds = 0;
  CHECK_THAT(backend->Validate(plan, options).message(), Catch::StartsWith("--timeout 0"));
  plan.input_name = "";
  CHECK_THAT(backend->Validate(plan, f.options).message(),
             Catch::EndsWith("no input name to shape"));
  CHECK_FALSE(fs::exists(f.options.output_path));  // nothing ran, nothing written
}

TEST_CASE("atc: a missing atc is one line that suggests --dry-run", "[atc]") {
  ConverterFixture f("atc");
  ScopedEnv path("PATH", f.dir.path());
  f.options.atc_path = "";
  Plan plan = TestPlan(f.model, EveryModelKind());
  auto backend = MakeAtcBackend();
  Status status = backend->Validate(plan, f.options);
  CHECK(status.message() ==
        "atc not found on PATH: install the Ascend CANN toolkit and source its set_env.sh, pass "
        "--atc_path, or use --dry-run to write the commands to convert.sh without running them");
  // Convert without Validate fails every model the same way.
  std::vector<ModelOutcome> outcomes = backend->Convert(plan, f.options);
  REQUIRE(outcomes.size() == plan.models.size());
  for (const ModelOutcome& outcome : outcomes) CHECK(outcome.error == status.message());
  f.options.atc_path = f.dir / "nope/atc";
  CHECK_THAT(backend->Validate(plan, f.options).message(),
             Catch::StartsWith("--atc_path " + f.dir / "nope/atc" + ": no such file;"));
  // A dry run needs no atc.
  f.options.dry_run = true;
  CHECK(backend->Validate(plan, f.options).ok());
}

TEST_CASE("atc: atc is found on PATH", "[atc]") {
  ConverterFixture f("atc");
  ScopedEnv path("PATH", fs::path(FakePath("atc")).parent_path().string());
  f.options.atc_path = "";
  Plan plan = TestPlan(f.model, {ModelKind("m_dynamic_hw")});
  std::vector<ModelOutcome> outcomes = MakeAtcBackend()->Convert(plan, f.options);
  REQUIRE(outcomes.size() == 1);
  CHECK(outcomes[0].ok);
}

TEST_CASE("atc: --dry-run writes convert.sh and runs nothing", "[atc]") {
  ConverterFixture f("atc");
  const std::string args_log = f.dir / "args.jsonl";
  ScopedEnv log("FAKE_CONVERTER_ARGS_LOG", args_log);
  f.options.dry_run = true;
  f.options.atc_path = "";
  Plan plan = TestPlan(f.model, EveryModelKind());
  std::vector<ModelOutcome> outcomes = MakeAtcBackend()->Convert(plan, f.options);
  REQUIRE(outcomes.size() == plan.models.size());
  for (size_t i = 0; i < outcomes.size(); ++i) {
    CHECK(outcomes[i].ok);
    CHECK(outcomes[i].files == std::vector<std::string>{f.Out(plan.models[i].name + ".om")});
    CHECK_FALSE(fs::exists(outcomes[i].files[0]));
  }
  CHECK_FALSE(fs::exists(args_log));
  CHECK_FALSE(fs::exists(f.Out("logs")));
  const std::string script = ReadTextFile(f.Out("convert.sh"));
  // Paths relative to the script's folder, which it changes to.
  CHECK_THAT(script, Catch::Contains("\ncd \"$(dirname \"$0\")\" || exit 1\n"));
  CHECK_THAT(script, Catch::Contains("\natc '--model=../my model'\\''s.onnx' --framework=5 "
                                     "--output=m_dynamic_hw "
                                     "--soc_version=Ascend310P3 --input_shape=x:1,3,-1,-1 "
                                     "--input_format=NCHW '--dynamic_image_size=736,736;960,1280' "
                                     "|| status=1\n"));
  // Run with the stand-in on PATH, the script converts everything.
  auto result =
      RunProgram({f.Out("convert.sh")},
                 {"PATH=" + fs::path(FakePath("atc")).parent_path().string() + ":/usr/bin:/bin"});
  INFO(result.err);
  CHECK(result.exit_code == 0);
  for (const PlannedModel& model : plan.models) CHECK(fs::exists(f.Out(model.name + ".om")));
}

TEST_CASE("atc stand-in: grammar violations are rejected", "[atc][fake]") {
  TempDir dir;
  const std::string model = WriteTextFile(dir / "m.onnx", "x");
  const std::vector<std::string> good = {
      FakePath("atc"),         "--model=" + model,          "--framework=5",
      "--output=" + dir / "o", "--soc_version=Ascend310P3", "--input_shape=x:-1,3,48,320",
      "--input_format=NCHW",   "--dynamic_batch_size=1,4,8"};
  REQUIRE(RunProgram(good).exit_code == 0);
  CHECK(fs::exists(dir / "o.om"));
  // Replaces argument `index` of the good command (or appends when index is past the end).
  auto with = [&](size_t index, const std::string& arg) {
    std::vector<std::string> argv = good;
    if (index < argv.size())
      argv[index] = arg;
    else
      argv.push_back(arg);
    return argv;
  };
  const std::vector<std::pair<std::vector<std::string>, std::string>> bad = {
      {with(7, "--dynamic_batch_size"), "not of the form --key=value"},
      {with(8, "--keep_dtype=k.cfg"), "unknown option --keep_dtype"},
      {with(8, "--insert_op_conf=" + dir / "missing.cfg"), "no such file"},
      {with(8, "--framework=5"), "--framework given twice"},
      {with(2, "--framework=0"), "ONNX (5) only"},
      {with(1, "--model=" + dir / "missing.onnx"), "no such file"},
      {with(7, "--dynamic_batch_size=1,4,4"), "duplicate profile"},
      {with(7, "--dynamic_batch_size=1"), "1 profiles; 2 to 100"},
      {with(7, "--dynamic_batch_size=1,a"), "'a' is not a positive integer"},
      {with(7, "--dynamic_batch_size=1, 4"), "' 4' is not a positive integer"},
      {with(7, "--dynamic_batch_size=0,4"), "'0' is not a positive integer"},
      {with(7, "--dynamic_batch_size=1,4096"), "batch above 2048"},
      {with(7, "--dynamic_batch_size=1;4"), "separated by ',' only"},
      {with(7, "--dynamic_image_size=48,320;48,640"), "needs -1 in H and W"},
      {with(7, "--dynamic_dims=1;4"), "needs --input_format=ND"},
      {with(8, "--dynamic_dims=1;4"), "cannot be used together"},
      {with(5, "--input_shape=x:-1,3,48"), "expected 4 dims"},
      {with(5, "--input_shape=-1,3,48,320"), "is not name:n,c,h,w"},
      {with(6, "--input_format=NC"), "is not NCHW, NHWC or ND"},
      {std::vector<std::string>(good.begin(), good.end() - 1), "has -1 but no dynamic option"},
  };
  for (const auto& [argv, message] : bad) {
    INFO(argv.back() << " / " << message);
    auto result = RunProgram(argv);
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Catch::StartsWith("atc: error: ") && Catch::Contains(message));
  }
  // 101 profiles, and dynamic_dims with a trailing ';' (an empty profile).
  std::string many = "--dynamic_batch_size=1";
  for (int b = 2; b <= 101; ++b) many += "," + std::to_string(b);
  CHECK_THAT(RunProgram(with(7, many)).err, Catch::Contains("101 profiles"));
  std::vector<std::string> nd = with(6, "--input_format=ND");
  nd[7] = "--dynamic_dims=1;4;";
  CHECK_THAT(RunProgram(nd).err, Catch::Contains("'' is not a positive integer"));
  nd[7] = "--dynamic_dims=1;4";
  CHECK(RunProgram(nd).exit_code == 0);
  nd[5] = "--input_shape=x:-1,3,48,-1";
  CHECK_THAT(RunProgram(nd).err, Catch::Contains("1 values for 2 dynamic dims"));
}

}  // namespace autoscale

namespace autoscale {

TEST_CASE("atc: --atc_mode dims gives every dynamic model --input_format=ND --dynamic_dims",
          "[atc]") {
  Plan plan = TestPlan("/models/m.onnx", EveryModelKind());
  ConvertOptions options;
  options.output_path = "out";
  options.atc_mode = "dims";
  const std::map<std::string, std::vector<std::string>> tails = {
      {"m_static", {"--input_shape=x:1,3,48,320", "--input_format=NCHW"}},
      {"m_dynamic_bs",
       {"--input_shape=x:-1,3,48,320", "--input_format=ND", "--dynamic_dims=1;4;8"}},
      {"m_dynamic_hw",
       {"--input_shape=x:1,3,-1,-1", "--input_format=ND", "--dynamic_dims=736,736;960,1280"}},
      {"m_width_hw", {"--input_shape=x:1,3,48,-1", "--input_format=ND", "--dynamic_dims=320;640"}},
  };
  for (const auto& [name, tail] : tails) {
    INFO(name);
    CHECK(Tail(AtcCommand(plan, ModelKind(name), options, "atc")) == tail);
    Plan one = TestPlan("/models/m.onnx", {ModelKind(name)});
    SetRuntimeCalls(&one, "atc", "dims");
    CHECK(one.models[0].runtime_call == (name == "m_static" ? "" : "aclmdlSetInputDynamicDims"));
  }
}

TEST_CASE("atc: the user's options follow autoscale's and reach the converter", "[atc]") {
  ConverterFixture f("atc");
  const std::string aipp = WriteTextFile(f.dir / "aipp.cfg", "aipp_op {\n}\n");
  const std::string args_log = f.dir / "args.jsonl";
  ScopedEnv log("FAKE_CONVERTER_ARGS_LOG", args_log);
  f.options.atc_args = {"--precision_mode=force_fp16", "--insert_op_conf=" + aipp};
  Plan plan = TestPlan(f.model, {ModelKind("m_dynamic_bs")});
  auto backend = MakeAtcBackend();
  REQUIRE(backend->Validate(plan, f.options).ok());
  std::vector<ModelOutcome> outcomes = backend->Convert(plan, f.options);
  REQUIRE(outcomes.size() == 1);
  INFO(outcomes[0].error << outcomes[0].log_tail);
  CHECK(outcomes[0].ok);
  const std::vector<std::string> argv = ReadArgsLog(args_log).at(0)["argv"];
  CHECK(std::vector<std::string>(argv.end() - 2, argv.end()) ==
        std::vector<std::string>{"--precision_mode=force_fp16", "--insert_op_conf=" + aipp});
  // ATC takes --insert_op_conf only without --dynamic_dims.
  f.options.atc_mode = "dims";
  CHECK_THAT(backend->Validate(plan, f.options).message(),
             Catch::StartsWith("m_dynamic_bs: atc takes --insert_op_conf"));
}

TEST_CASE("atc: an input name that would split --input_shape is refused", "[atc]") {
  ConverterFixture f("atc");
  for (const std::string name : {"a:b", "a;b", "a,b", "a\nb"}) {
    Plan plan = TestPlan(f.model, {ModelKind("m_dynamic_bs")});
    plan.input_name = name;
    CHECK_THAT(MakeAtcBackend()->Validate(plan, f.options).message(),
               Catch::StartsWith("input name '"));
  }
}

TEST_CASE("atc: a dry run copies the files options name and, asked, the model", "[atc]") {
  ConverterFixture f("atc");
  const std::string aipp = WriteTextFile(f.dir / "aipp.cfg", "aipp_op {\n}\n");
  f.options.dry_run = true;
  f.options.copy_model = true;
  f.options.atc_args = {"--insert_op_conf=" + aipp};
  Plan plan = TestPlan(f.model, {ModelKind("m_dynamic_bs")});
  std::vector<ModelOutcome> outcomes = MakeAtcBackend()->Convert(plan, f.options);
  REQUIRE(outcomes.size() == 1);
  CHECK(outcomes[0].ok);
  CHECK(ReadTextFile(f.Out("aipp.cfg")) == "aipp_op {\n}\n");
  CHECK(ReadTextFile(f.Out("my model's.onnx")) == "not really onnx");
  CHECK_THAT(ReadTextFile(f.Out("convert.sh")),
             Catch::Contains("atc '--model=my model'\\''s.onnx' --framework=5 "
                             "--output=m_dynamic_bs"));
  CHECK_THAT(ReadTextFile(f.Out("convert.sh")), Catch::Contains(" --insert_op_conf=aipp.cfg ||"));
  // Two files of one name cannot both sit beside convert.sh.
  fs::create_directories(f.dir / "other");
  const std::string other = WriteTextFile(f.dir / "other/aipp.cfg", "x");
  f.options.atc_args.push_back("--fusion_switch_file=" + other);
  outcomes = MakeAtcBackend()->Convert(plan, f.options);
  CHECK_THAT(outcomes.at(0).error, Catch::EndsWith("beside convert.sh; rename one"));
}

}  // namespace autoscale

namespace autoscale {

TEST_CASE("atc: a dry run names a relative --atc_path absolutely, a bare name as it is", "[atc]") {
  ConverterFixture f("atc");
  f.options.dry_run = true;
  f.options.atc_path = "tools/atc";
  Plan plan = TestPlan(f.model, {ModelKind("m_dynamic_bs")});
  REQUIRE(MakeAtcBackend()->Convert(plan, f.options).at(0).ok);
  CHECK_THAT(ReadTextFile(f.Out("convert.sh")),
             Catch::Contains("\n" + (fs::current_path() / "tools/atc").string() + " '--model="));
  f.options.atc_path = "atc-8.0";
  REQUIRE(MakeAtcBackend()->Convert(plan, f.options).at(0).ok);
  CHECK_THAT(ReadTextFile(f.Out("convert.sh")), Catch::Contains("\natc-8.0 '--model="));
}

}  // namespace autoscale
