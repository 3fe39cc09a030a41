#include "convert/trt_backend.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <set>

#include "convert/conversion_outputs.h"
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

TEST_CASE("trt: exact profiles are the gears themselves", "[trt]") {
  const PlannedModel& m = ModelKind("m_width_hw");
  CHECK(TrtProfiles(m, "exact") ==
        std::vector<TrtProfile>{{{1, 3, 48, 320}, {1, 3, 48, 320}, {1, 3, 48, 320}},
                                {{1, 3, 48, 640}, {1, 3, 48, 640}, {1, 3, 48, 640}}});
}

TEST_CASE("trt: ranges start one past the previous gear along the dynamic dim", "[trt]") {
  CHECK(TrtProfiles(ModelKind("m_width_hw"), "ranges") ==
        std::vector<TrtProfile>{{{1, 3, 48, 1}, {1, 3, 48, 320}, {1, 3, 48, 320}},
                                {{1, 3, 48, 321}, {1, 3, 48, 640}, {1, 3, 48, 640}}});
  CHECK(TrtProfiles(ModelKind("m_dynamic_bs"), "ranges") ==
        std::vector<TrtProfile>{{{1, 3, 48, 320}, {1, 3, 48, 320}, {1, 3, 48, 320}},
                                {{2, 3, 48, 320}, {4, 3, 48, 320}, {4, 3, 48, 320}},
                                {{5, 3, 48, 320}, {8, 3, 48, 320}, {8, 3, 48, 320}}});
}

TEST_CASE("trt: a ranges profile's opt is the size most samples in it have", "[trt]") {
  // Widths 100 (x3), 200 (x5) fall in the first profile, 500 (x1) in the
  // second; H is fixed, so a sample's height does not matter.
  const std::map<FullShape, uint64_t> sizes = {
      {{0, 3, 40, 100}, 3}, {{0, 3, 48, 200}, 5}, {{0, 3, 48, 500}, 1}, {{0, 3, 48, 900}, 7}};
  const std::vector<TrtProfile> profiles = TrtProfiles(ModelKind("m_width_hw"), "ranges", sizes);
  CHECK(profiles[0].opt == FullShape{1, 3, 48, 200});
  CHECK(profiles[1].opt == FullShape{1, 3, 48, 500});
  // A known N counts; a profile no sample falls in keeps the gear.
  const std::vector<TrtProfile> batch = TrtProfiles(ModelKind("m_dynamic_bs"), "ranges",
                                                    {{{3, 3, 48, 320}, 2}, {{2, 3, 48, 320}, 1}});
  CHECK(batch[0].opt == FullShape{1, 3, 48, 320});
  CHECK(batch[1].opt == FullShape{3, 3, 48, 320});
  CHECK(batch[2].opt == FullShape{8, 3, 48, 320});
  // exact ignores them.
  CHECK(TrtProfiles(ModelKind("m_width_hw"), "exact", sizes)[0].opt == FullShape{1, 3, 48, 320});
}

TEST_CASE("trt: with two dynamic dims every size some gear holds is in a profile", "[trt]") {
  // (32,100) is tried before (64,50) (less area); a 10x10 input fits both.
  const PlannedModel m = TestModel("m_dynamic_hw", "1,3,-1,-1", {{1, 3, 32, 100}, {1, 3, 64, 50}});
  const std::vector<TrtProfile> profiles = TrtProfiles(m, "ranges");
  CHECK(profiles[0].min == FullShape{1, 3, 1, 1});
  CHECK(profiles[1].min == FullShape{1, 3, 33, 1});
  for (int64_t h = 1; h <= 64; ++h) {
    for (int64_t w = 1; w <= 100; ++w) {
      const bool held = (h <= 32 && w <= 100) || (h <= 64 && w <= 50);
      bool covered = false;
      for (const TrtProfile& p : profiles)
        covered |= h >= p.min[kH] && h <= p.max[kH] && w >= p.min[kW] && w <= p.max[kW];
      INFO(h << "x" << w);
      REQUIRE(covered == held);
    }
  }
}

TEST_CASE("trt: the exact trtexec argument vector", "[trt]") {
  Plan plan = TestPlan("/models/m.onnx", EveryModelKind());
  ConvertOptions options;
  options.output_path = "out";
  options.trt_args = {"--fp16"};
  CHECK(TrtCommand(plan, ModelKind("m_width_hw"), options, "/opt/trtexec") ==
        std::vector<std::string>{"/opt/trtexec", "--onnx=/models/m.onnx",
                                 "--saveEngine=out/m_width_hw.engine", "--skipInference",
                                 "--profile=0", "--minShapes=x:1x3x48x320",
                                 "--optShapes=x:1x3x48x320", "--maxShapes=x:1x3x48x320",
                                 "--profile=1", "--minShapes=x:1x3x48x640",
                                 "--optShapes=x:1x3x48x640", "--maxShapes=x:1x3x48x640", "--fp16"});
  options.trt_profiles = "ranges";
  std::vector<std::string> argv = TrtCommand(plan, ModelKind("m_width_hw"), options, "trtexec");
  CHECK(argv[9] == "--minShapes=x:1x3x48x321");
}

TEST_CASE("trt: ONNX Runtime provider options repeat the input once per profile", "[trt]") {
  CHECK(TrtProviderOptions("x", TrtProfiles(ModelKind("m_width_hw"), "ranges")) ==
        nlohmann::json{{"trt_profile_min_shapes", "x:1x3x48x1,x:1x3x48x321"},
                       {"trt_profile_opt_shapes", "x:1x3x48x320,x:1x3x48x640"},
                       {"trt_profile_max_shapes", "x:1x3x48x320,x:1x3x48x640"}});
}

TEST_CASE("trt: trt.args refuses what autoscale sets and what is not a flag", "[trt]") {
  CHECK(CheckTrtArgs({"--fp16", "--memPoolSize=workspace:1024"}).ok());
  CHECK(CheckTrtArgs({"--saveEngine=x.engine"}).message() ==
        "trt.args: '--saveEngine=x.engine': autoscale sets --saveEngine itself from the model, the "
        "output folder and the gears");
  CHECK_THAT(CheckTrtArgs({"--minShapes=x:1x3x4x4"}).message(), Catch::Contains("--minShapes"));
  CHECK_THAT(CheckTrtArgs({"fp16"}).message(), Catch::Contains("is not a trtexec flag"));
  CHECK_THAT(CheckTrtArgs({"--fp16\n--onnx=x"}).message(),
             Catch::Contains("is not a trtexec flag"));
}

TEST_CASE("trt: Validate checks the mode, the input name, the arguments and the gears", "[trt]") {
  ConverterFixture f("trt");
  auto backend = MakeTrtBackend();
  Plan plan = TestPlan(f.model, EveryModelKind());
  CHECK(backend->Validate(plan, f.options).ok());
  ConvertOptions options = f.options;
  options.trt_profiles = "loose";
  CHECK(backend->Validate(plan, options).message() ==
        "trt.profiles 'loose': expected exact or ranges");
  options = f.options;
  options.trt_args = {"--onnx=other.onnx"};
  CHECK_THAT(backend->Validate(plan, options).message(), Catch::StartsWith("trt.args:"));
  Plan named = plan;
  named.input_name = "a,b";
  CHECK_THAT(backend->Validate(named, f.options).message(), Catch::StartsWith("input name 'a,b'"));
  std::vector<FullShape> many;
  for (int64_t w = 1; w <= 101; ++w) many.push_back({1, 3, 48, 32 * w});
  plan = TestPlan(f.model, {TestModel("m_width_hw", "1,3,48,-1", many)});
  CHECK(backend->Validate(plan, f.options).message() ==
        "m_width_hw: 101 gears; TensorRT takes at most 100 optimization profiles per model: lower "
        "max_scaling_num or the batch gears");
  ScopedEnv path("PATH", f.dir.path());
  f.options.trtexec_path = "";
  CHECK_THAT(backend->Validate(TestPlan(f.model, EveryModelKind()), f.options).message(),
             Catch::StartsWith("trtexec not found on PATH"));
  f.options.dry_run = true;
  CHECK(backend->Validate(TestPlan(f.model, EveryModelKind()), f.options).ok());
}

TEST_CASE("trt: every kind of model builds with the strict stand-in", "[trt]") {
  for (const std::string mode : {"exact", "ranges"}) {
    ConverterFixture f("trt");
    f.options.trt_profiles = mode;
    f.options.trt_args = {"--fp16"};
    const std::string args_log = f.dir / "args.jsonl";
    ScopedEnv log("FAKE_CONVERTER_ARGS_LOG", args_log);
    ScopedEnv fail("FAKE_CONVERTER_MODE", std::nullopt);
    Plan plan = TestPlan(f.model, EveryModelKind());
    auto backend = MakeTrtBackend();
    REQUIRE(backend->Validate(plan, f.options).ok());
    std::vector<ModelOutcome> outcomes = backend->Convert(plan, f.options);
    REQUIRE(outcomes.size() == plan.models.size());
    for (size_t i = 0; i < outcomes.size(); ++i) {
      INFO(mode << " " << plan.models[i].name << ": " << outcomes[i].error << outcomes[i].log_tail);
      CHECK(outcomes[i].ok);
      CHECK(outcomes[i].files == std::vector<std::string>{f.Out(plan.models[i].name + ".engine")});
      CHECK(outcomes[i].gears_json["trt_profiles"] == mode);
      CHECK(outcomes[i].gears_json["pad_to_gear"] == (mode == "exact"));
      CHECK(outcomes[i].gears_json["ort_tensorrt_options"] ==
            TrtProviderOptions("x", TrtProfiles(plan.models[i], mode)));
    }
    std::set<std::vector<std::string>> received, expected;
    for (const auto& run : ReadArgsLog(args_log))
      received.insert(run["argv"].get<std::vector<std::string>>());
    for (const PlannedModel& model : plan.models)
      expected.insert(TrtCommand(plan, model, f.options, FakePath("trtexec")));
    CHECK(received == expected);
    // gears.json carries the provider options of each model.
    nlohmann::json gears = GearsJson(plan, outcomes, f.options);
    CHECK(gears["models"][2]["ort_tensorrt_options"]["trt_profile_max_shapes"] ==
          "x:1x3x736x736,x:1x3x960x1280");
  }
}

TEST_CASE("trt: a failed build leaves no engine and the others go on", "[trt]") {
  ConverterFixture f("trt");
  ScopedEnv mode("FAKE_CONVERTER_MODE", "fail");
  ScopedEnv only("FAKE_CONVERTER_ONLY", "m_dynamic_hw");
  Plan plan = TestPlan(f.model, {ModelKind("m_dynamic_bs"), ModelKind("m_dynamic_hw")});
  std::vector<ModelOutcome> outcomes = MakeTrtBackend()->Convert(plan, f.options);
  REQUIRE(outcomes.size() == 2);
  CHECK(outcomes[0].ok);
  CHECK(outcomes[1].error == "trtexec exited with code 1");
  CHECK(outcomes[1].gears_json.empty());
  CHECK_FALSE(fs::exists(f.Out("m_dynamic_hw.engine")));
}

TEST_CASE("trt: --dry-run writes convert.sh that a shell reads, and runs nothing", "[trt]") {
  ConverterFixture f("trt");
  f.options.dry_run = true;
  f.options.trtexec_path = "";
  ScopedEnv path("PATH", f.dir.path());
  Plan plan = TestPlan(f.model, EveryModelKind());
  auto backend = MakeTrtBackend();
  REQUIRE(backend->Validate(plan, f.options).ok());
  std::vector<ModelOutcome> outcomes = backend->Convert(plan, f.options);
  for (const ModelOutcome& o : outcomes) CHECK(o.ok);
  const std::string script = ReadTextFile(DryRunScriptPath(f.options.output_path));
  CHECK_THAT(script, Catch::Contains(ShellCommandLine(
                         TrtCommand(plan, ModelKind("m_bs_hw"), f.options, "trtexec"))));
  CHECK(RunProgram({"/bin/bash", "-n", DryRunScriptPath(f.options.output_path)}).exit_code == 0);
  CHECK_FALSE(fs::exists(f.Out("m_static.engine")));
}

TEST_CASE("trt: a dry run names the model and the engines relative to its folder", "[trt]") {
  ConverterFixture f("trt");
  f.options.dry_run = true;
  Plan plan = TestPlan(f.model, {ModelKind("m_dynamic_bs")});
  std::vector<ModelOutcome> outcomes = MakeTrtBackend()->Convert(plan, f.options);
  REQUIRE(outcomes.size() == 1);
  CHECK(outcomes[0].ok);
  CHECK_THAT(ReadTextFile(f.Out("convert.sh")),
             Catch::Contains(" '--onnx=../my model'\\''s.onnx' --saveEngine=m_dynamic_bs.engine "
                             "--skipInference "));
  CHECK_FALSE(fs::exists(f.Out("my model's.onnx")));
  // With copy_model the model is copied beside convert.sh and named so.
  f.options.copy_model = true;
  outcomes = MakeTrtBackend()->Convert(plan, f.options);
  CHECK(outcomes.at(0).ok);
  CHECK(ReadTextFile(f.Out("my model's.onnx")) == "not really onnx");
  CHECK_THAT(ReadTextFile(f.Out("convert.sh")),
             Catch::Contains(" '--onnx=my model'\\''s.onnx' --saveEngine=m_dynamic_bs.engine "));
}

}  // namespace autoscale
