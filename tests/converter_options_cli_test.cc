// End-to-end tests of the converter options (--atc_arg, --lite_arg,
// --lite_config, --atc_mode, --copy_model), relocatable dry runs, input names
// unsafe for a converter, the report of a convert and `run --backend`, on the
// built binary with the stand-in converters (<build>/fakes, tests/fakes/python).
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "support/converter_fixtures.h"
#include "support/models.h"
#include "support/run_binary.h"

using autoscale::test::FakePath;
using autoscale::test::ReadTextFile;
using autoscale::test::RunAutoscale;
using autoscale::test::RunProgram;
using autoscale::test::RunResult;
using autoscale::test::SampleModelPath;
using autoscale::test::ScopedEnv;
using autoscale::test::SourcePath;
using autoscale::test::TempDir;
using autoscale::test::WriteTextFile;
using json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

const std::string kFakePath = fs::path(FakePath("atc")).parent_path().string() + ":/usr/bin:/bin";

RunResult Convert(const std::string& model, const std::string& shape, const std::string& backend,
                  const std::string& out, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"convert", "--model_path", model,   "--input_shape",
                                   shape,     "--backend",    backend, "--output_path",
                                   out,       "--quiet"};
  args.insert(args.end(), extra.begin(), extra.end());
  ScopedEnv path("PATH", kFakePath);
  return RunAutoscale(args);
}

json GearsOf(const std::string& out) { return json::parse(ReadTextFile(out + "/gears.json")); }

// The model files gears.json lists exist in `dir` (with openvino, every
// gear's .xml and its .bin).
void CheckModelsWritten(const json& gears, const std::string& dir) {
  REQUIRE_FALSE(gears["models"].empty());
  for (const json& m : gears["models"]) {
    std::vector<std::string> files = {dir + "/" + m["file"].get<std::string>()};
    for (const json& f : m.value("static_files", json::array())) {
      files.push_back(dir + "/" + f["file"].get<std::string>());
      files.push_back(fs::path(files.back()).replace_extension(".bin").string());
    }
    for (const std::string& file : files) {
      INFO(file);
      CHECK(fs::is_regular_file(file));
    }
  }
}

// A real PP-OCRv4 model, or "" when cache/models does not have it (the test
// then skips).
std::string RealModelIfPresent(const std::string& file) {
  const char* env = std::getenv("AUTOSCALE_MODELS_DIR");
  const std::string dir = env && *env ? std::string(env) : SourcePath("cache/models");
  const std::string path = dir + "/" + file;
  return fs::is_regular_file(path) ? path : "";
}

}  // namespace

TEST_CASE("a dry-run folder copied elsewhere converts every model from any folder",
          "[convert][relocate]") {
  for (const std::string backend : {"atc", "lite"}) {
    INFO(backend);
    TempDir dir;
    const std::string aipp = WriteTextFile(dir / "conf/aipp.cfg", "aipp_op {\n}\n");
    const std::vector<std::string> file_option =
        backend == "atc" ? std::vector<std::string>{"--atc_arg=--insert_op_conf=" + aipp,
                                                    "--atc_arg=--precision_mode=force_fp16"}
                         : std::vector<std::string>{
                               "--lite_config=ascend_context.insert_op_config_file_path=" + aipp,
                               "--lite_config=ascend_context.precision_mode=enforce_fp16"};
    std::vector<std::string> extra = {"--dry-run", "--copy_model"};
    extra.insert(extra.end(), file_option.begin(), file_option.end());
    RunResult r = Convert(SampleModelPath(), "-1,3,64,64", backend, dir / "out dir", extra);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    // Elsewhere, without the original folder, run from a third folder.
    TempDir other;
    fs::copy(dir / "out dir", other / "moved", fs::copy_options::recursive);
    fs::remove_all(dir.path());
    fs::create_directories(other / "cwd");
    ScopedEnv path("PATH", kFakePath);
    RunResult run = RunProgram({other / "moved/convert.sh"}, {}, other / "cwd");
    INFO(run.out << run.err);
    CHECK(run.exit_code == 0);
    CheckModelsWritten(GearsOf(other / "moved"), other / "moved");
    CHECK(fs::is_empty(other / "cwd"));
  }
}

TEST_CASE("trt rknn and openvino dry-run folders copied elsewhere convert every model",
          "[convert][relocate]") {
  const std::string fake_python = SourcePath("tests/fakes/python");
  for (const std::string backend : {"trt", "rknn", "openvino"}) {
    for (const bool copy_model : {true, false}) {
      INFO(backend << (copy_model ? " --copy_model" : ""));
      TempDir dir;
      fs::create_directories(dir / "tree/models");
      fs::copy_file(SampleModelPath(), dir / "tree/models/det.onnx");
      std::vector<std::string> extra = {"--dry-run"};
      if (copy_model) extra.push_back("--copy_model");
      RunResult r =
          Convert(dir / "tree/models/det.onnx", "-1,3,-1,-1", backend, dir / "tree/out dir", extra);
      INFO(r.err);
      REQUIRE(r.exit_code == 0);
      CHECK(fs::exists(dir / "tree/out dir/det.onnx") == copy_model);
      // The folder alone (with its copy of the model) or the tree around it
      // (the model where its relative path finds it), elsewhere; the
      // original removed; run from a third folder.
      TempDir other;
      const std::string moved = copy_model ? other / "moved" : other / "tree/out dir";
      if (copy_model)
        fs::copy(dir / "tree/out dir", moved, fs::copy_options::recursive);
      else
        fs::copy(dir / "tree", other / "tree", fs::copy_options::recursive);
      fs::remove_all(dir.path());
      fs::create_directories(other / "cwd");
      ScopedEnv path("PATH", kFakePath);
      ScopedEnv python_path("PYTHONPATH", fake_python);
      ScopedEnv mode("FAKE_CONVERTER_MODE", std::nullopt);
      RunResult run = RunProgram({moved + "/convert.sh"}, {}, other / "cwd");
      INFO(run.out << run.err);
      CHECK(run.exit_code == 0);
      const json gears = GearsOf(moved);
      CHECK(gears["models"].size() > 1);
      CheckModelsWritten(gears, moved);
      CHECK(fs::is_empty(other / "cwd"));
    }
  }
}

TEST_CASE("without --copy_model convert.sh names the model relative to its folder",
          "[convert][relocate]") {
  TempDir dir;
  fs::create_directories(dir / "tree/models");
  fs::copy_file(SampleModelPath(), dir / "tree/models/det.onnx");
  RunResult r =
      Convert(dir / "tree/models/det.onnx", "1,3,-1,-1", "atc", dir / "tree/out", {"--dry-run"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(ReadTextFile(dir / "tree/out/convert.sh"),
             Catch::Contains(" --model=../models/det.onnx "));
  CHECK_FALSE(fs::exists(dir / "tree/out/det.onnx"));
  TempDir other;
  fs::copy(dir / "tree", other / "tree", fs::copy_options::recursive);
  fs::remove_all(dir.path());
  ScopedEnv path("PATH", kFakePath);
  RunResult run = RunProgram({other / "tree/out/convert.sh"}, {}, other.path());
  INFO(run.err);
  CHECK(run.exit_code == 0);
  CheckModelsWritten(GearsOf(other / "tree/out"), other / "tree/out");
}

TEST_CASE("converter options autoscale sets are refused, naming what sets them", "[convert]") {
  TempDir dir;
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--backend", "atc", "--atc_arg=--soc_version=Ascend910B"},
       "--atc_arg: '--soc_version=Ascend910B': autoscale sets --soc_version from --soc_version"},
      {{"--backend", "atc", "--atc_arg=--input_format=NCHW"},
       "--atc_arg: '--input_format=NCHW': autoscale sets --input_format from --atc_mode"},
      {{"--backend", "atc", "--atc_arg=--insert_op_conf=" + dir / "none.cfg"},
       "--atc_arg: '--insert_op_conf=" + dir / "none.cfg" + "': '" + dir / "none.cfg" +
           "': no such file"},
      {{"--backend", "lite", "--lite_arg=--configFile=x.cfg"},
       "--lite_arg: '--configFile=x.cfg': autoscale sets --configFile to the file it writes; add "
       "entries with --lite_config"},
      {{"--backend", "lite", "--lite_config=ascend_context.input_shape=x:[1,3,2,2]"},
       "--lite_config: 'ascend_context.input_shape=x:[1,3,2,2]': autoscale sets [ascend_context] "
       "input_shape from --input_shape"},
      {{"--backend", "lite", "--lite_config=ascend_context.precision_mode=a\n[registry]"},
       "--lite_config: 'ascend_context.precision_mode=a\\n[registry]': the value holds a newline"},
      {{"--backend", "atc", "--atc_mode", "nd"}, "--atc_mode 'nd': expected native or dims"},
  };
  for (const auto& [args, message] : cases) {
    INFO(args.back());
    std::vector<std::string> argv = {"convert",       "--model_path", SampleModelPath(),
                                     "--input_shape", "-1,3,64,64",   "--output_path",
                                     dir / "out",     "--dry-run"};
    argv.insert(argv.end(), args.begin(), args.end());
    RunResult r = RunAutoscale(argv);
    CHECK(r.exit_code == 2);
    CHECK(r.err == "autoscale convert: " + message + "\n");
    CHECK_FALSE(fs::exists(dir / "out"));
  }
}

TEST_CASE("atc_mode dims: ND and --dynamic_dims for every shape, and its runtime call",
          "[convert][atc_mode]") {
  for (const std::string shape : {"-1,3,64,64", "1,3,-1,-1", "-1,3,-1,-1"}) {
    INFO(shape);
    TempDir dir;
    const std::string log = dir / "args.jsonl";
    std::vector<std::string> args = {
        "convert",    "--model_path", SampleModelPath(), "--input_shape", shape, "--backend", "atc",
        "--atc_mode", "dims",         "--output_path",   dir / "out",     "-q"};
    ScopedEnv path("PATH", kFakePath);
    RunResult r = RunAutoscale(args, {"FAKE_CONVERTER_ARGS_LOG=" + log});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const json gears = GearsOf(dir / "out");
    CHECK(gears["atc_mode"] == "dims");
    CheckModelsWritten(gears, dir / "out");
    for (const json& m : gears["models"]) CHECK(m["runtime_call"] == "aclmdlSetInputDynamicDims");
    std::istringstream lines(ReadTextFile(log));
    for (std::string line; std::getline(lines, line);) {
      const std::vector<std::string> argv = json::parse(line)["argv"];
      CHECK(std::count(argv.begin(), argv.end(), "--input_format=ND") == 1);
      CHECK(std::any_of(argv.begin(), argv.end(),
                        [](const std::string& a) { return a.rfind("--dynamic_dims=", 0) == 0; }));
    }
  }
  // Lite: native writes W alone as H and W dynamic, dims mode as it is (ND).
  TempDir dir;
  RunResult summary = RunAutoscale({"convert", "--model_path", SampleModelPath(), "--input_shape",
                                    "-1,3,64,64", "--backend", "lite", "--atc_mode", "dims",
                                    "--dry-run", "--output_path", dir / "summary"});
  CHECK_THAT(summary.out, Catch::Contains("models (backend lite, atc_mode dims, dry run) in "));
  RunResult native = Convert(SampleModelPath(), "1,3,64,-1", "lite", dir / "native");
  INFO(native.err);
  REQUIRE(native.exit_code == 0);
  CHECK_THAT(ReadTextFile(dir / "native/sample_det_dynamic_hw_lite.cfg"),
             Catch::StartsWith("[ascend_context]\ninput_format=NCHW\ninput_shape=x:[1,3,-1,-1]\n"));
  RunResult dims =
      Convert(SampleModelPath(), "1,3,64,-1", "lite", dir / "dims", {"--atc_mode", "dims"});
  INFO(dims.err);
  REQUIRE(dims.exit_code == 0);
  const json gears = GearsOf(dir / "dims");
  CheckModelsWritten(gears, dir / "dims");
  for (const json& m : gears["models"]) CHECK(m["runtime_call"] == "Model::Resize");
  CHECK_THAT(ReadTextFile(dir / "dims/sample_det_dynamic_hw_lite.cfg"),
             Catch::StartsWith("[ascend_context]\ninput_format=ND\ninput_shape=x:[1,3,64,-1]\n"
                               "dynamic_dims=[64],"));
}

TEST_CASE("an input name that would inject into a converter config is refused", "[convert]") {
  TempDir dir;
  onnx::ModelProto model = autoscale::test::LoadSampleModel();
  const std::string evil = "x\n[registry]\nplugin_path=/tmp/evil.so";
  model.mutable_graph()->mutable_input(0)->set_name(evil);
  for (auto& node : *model.mutable_graph()->mutable_node())
    for (auto& input : *node.mutable_input())
      if (input == "x") input = evil;
  autoscale::test::WriteModel(model, dir / "evil.onnx");
  for (const std::string backend : {"lite", "atc"}) {
    INFO(backend);
    RunResult r = Convert(dir / "evil.onnx", "-1,3,64,64", backend, dir / backend, {"--dry-run"});
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("input name 'x\\n[registry]\\nplugin_path=/tmp/evil.so' "
                                      "holds a newline"));
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK_FALSE(fs::exists(dir / backend));
  }
  // The onnx backend writes names into ONNX fields only: the name is fine there.
  RunResult onnx = Convert(dir / "evil.onnx", "-1,3,64,64", "onnx", dir / "onnx");
  INFO(onnx.err);
  CHECK(onnx.exit_code == 0);
}

TEST_CASE("the report of a convert names the model, backend, mode, files, gears and commands",
          "[convert][report]") {
  TempDir dir;
  RunResult r = Convert(SampleModelPath(), "-1,3,64,64", "atc", dir / "out",
                        {"--dry-run", "--atc_mode", "dims", "--atc_arg=--log=error", "--report",
                         dir / "report.html"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const std::string html = ReadTextFile(dir / "report.html");
  const size_t at = html.find("<section id=\"conversion\">");
  REQUIRE(at != std::string::npos);
  const std::string section = html.substr(at, html.find("</section>", at) - at);
  for (const std::string& text : std::vector<std::string>{
           "<code>" + SampleModelPath() + "</code>", "<code>x</code> -1,3,64,64", "atc (dry run",
           "<td>mode</td><td>dims</td>", "<code>sample_det_dynamic_bs.om</code>",
           std::string("1\u00d73\u00d764\u00d764, 4\u00d73\u00d764\u00d764"),
           "<code>aclmdlSetInputDynamicDims</code>", "<code>" + dir / "out/convert.sh" + "</code>",
           "atc --model=", "&#39;--dynamic_dims=1;4;8;16;32&#39; --log=error"}) {
    CAPTURE(text);
    CHECK(section.find(text) != std::string::npos);
  }
}

TEST_CASE("run: converter options in defaults and per job and --backend overrides the file",
          "[run]") {
  TempDir dir;
  fs::copy_file(SampleModelPath(), dir / "m.onnx");
  WriteTextFile(dir / "aipp.cfg", "aipp_op {\n}\n");
  WriteTextFile(dir / "jobs.yaml", R"(defaults:
  output_path: out
  input_shape: -1,3,64,64
  model_path: m.onnx
  backend: onnx
  atc_args: [--precision_mode=force_fp16]
  copy_model: true
jobs:
  - name: a
  - name: b
    atc_mode: dims
    atc.args: [--log=error]
    atc_mode: native
  - name: c
    lite_args: [--device=Ascend]
    atc.args: [--insert_op_conf=aipp.cfg]
)");
  // A key given twice is refused; fix the file and go on.
  RunResult twice = RunAutoscale({"run", dir / "jobs.yaml"});
  CHECK(twice.exit_code == 2);
  std::string text = ReadTextFile(dir / "jobs.yaml");
  text.erase(text.find("    atc_mode: native\n"), 21);
  WriteTextFile(dir / "jobs.yaml", text);
  RunResult bad = RunAutoscale({"run", dir / "jobs.yaml", "--backend", "trt9"});
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Catch::Contains("--backend 'trt9'"));

  RunResult r = RunAutoscale({"run", dir / "jobs.yaml", "--backend", "atc", "--dry-run", "-q"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(GearsOf(dir / "out/a")["backend"] == "atc");
  CHECK_THAT(ReadTextFile(dir / "out/a/convert.sh"),
             Catch::Contains("--input_format=NCHW --dynamic_batch_size=1,4,8,16,32 "
                             "--precision_mode=force_fp16 ||"));
  // A job's atc_args replace the defaults'; a file is copied beside convert.sh.
  CHECK(GearsOf(dir / "out/b")["atc_mode"] == "dims");
  CHECK_THAT(ReadTextFile(dir / "out/b/convert.sh"),
             Catch::Contains("--input_format=ND '--dynamic_dims=1;4;8;16;32' --log=error ||"));
  CHECK_THAT(ReadTextFile(dir / "out/c/convert.sh"),
             Catch::Contains("--dynamic_batch_size=1,4,8,16,32 --insert_op_conf=aipp.cfg ||"));
  CHECK(fs::is_regular_file(dir / "out/c/aipp.cfg"));
  CHECK(fs::is_regular_file(dir / "out/c/m.onnx"));
}

TEST_CASE("real PP-OCRv4 det, rec and cls convert in dims mode, as MindOCR converts them",
          "[convert][real_models][atc_mode]") {
  const std::vector<std::pair<std::string, std::string>> models = {
      {"ch_PP-OCRv4_det_infer.onnx", "1,3,-1,-1"},
      {"ch_PP-OCRv4_rec_infer.onnx", "-1,3,48,-1"},
      {"ch_ppocr_mobile_v2.0_cls_infer.onnx", "-1,3,48,192"}};
  for (const auto& [file, shape] : models) {
    const std::string path = RealModelIfPresent(file);
    if (path.empty()) {
      WARN("skipped: " << file << " is not in cache/models (scripts/fetch-models.sh)");
      continue;
    }
    INFO(file);
    TempDir dir;
    RunResult r = Convert(
        path, shape, "atc", dir / "out",
        {"--atc_mode", "dims", "--dataset_path", SourcePath("data/samples/det_label.txt"),
         "--samples", "boxes", "--set", "max_scaling_num=6", "--set", "batch_choices=[1,8]"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const json gears = GearsOf(dir / "out");
    CheckModelsWritten(gears, dir / "out");
    for (const json& m : gears["models"]) CHECK(m["runtime_call"] == "aclmdlSetInputDynamicDims");
  }
}
