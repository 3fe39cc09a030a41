// End-to-end tests of `autoscale convert --backend trt|rknn|openvino` on the
// built binary, with the stand-ins (<build>/fakes/trtexec, <build>/fakes/ovc,
// tests/fakes/python/rknn) and, tagged [real_models], on the real PP-OCRv4
// models.
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "support/converter_fixtures.h"
#include "support/models.h"
#include "support/run_binary.h"

using autoscale::test::FakePath;
using autoscale::test::FilesUnder;
using autoscale::test::ReadArgsLog;
using autoscale::test::ReadTextFile;
using autoscale::test::RealModelPath;
using autoscale::test::RunAutoscale;
using autoscale::test::RunProgram;
using autoscale::test::RunResult;
using autoscale::test::SampleModelPath;
using autoscale::test::ScopedEnv;
using autoscale::test::SourcePath;
using autoscale::test::TempDir;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const std::string kFakePython = SourcePath("tests/fakes/python");

RunResult Convert(const std::string& model, const std::string& backend, const std::string& shape,
                  const std::string& out, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {
      "convert",       "--config",  SourcePath("configs/auto_scaling.yaml"),
      "--model_path",  model,       "--input_shape",
      shape,           "--backend", backend,
      "--output_path", out};
  args.insert(args.end(), extra.begin(), extra.end());
  return RunAutoscale(args);
}

json Gears(const std::string& out) { return json::parse(ReadTextFile(out + "/gears.json")); }

// "x:1x3x64x64" for gear [1,3,64,64].
std::string Spec(const json& gear) {
  return "x:" + std::to_string(gear[0].get<int>()) + "x" + std::to_string(gear[1].get<int>()) +
         "x" + std::to_string(gear[2].get<int>()) + "x" + std::to_string(gear[3].get<int>());
}

std::string Join(const std::vector<std::string>& parts) {
  std::string text;
  for (const std::string& p : parts) text += (text.empty() ? "" : ",") + p;
  return text;
}

}  // namespace

TEST_CASE("convert --backend trt builds engines and writes the ORT profiles",
          "[trt][external_cli]") {
  TempDir dir;
  ScopedEnv log("FAKE_CONVERTER_ARGS_LOG", dir / "args.jsonl");
  const std::string out = dir / "out";
  RunResult r = Convert(SampleModelPath(), "trt", "-1,3,64,64", out,
                        {"--trtexec_path", FakePath("trtexec"), "--set", "trt.profiles=ranges",
                         "--set", "trt.args=[--fp16]"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(fs::exists(out + "/sample_det_dynamic_bs.engine"));
  const json g = Gears(out);
  REQUIRE(g["models"].size() == 1);
  const json& m = g["models"][0];
  CHECK(m["file"] == "sample_det_dynamic_bs.engine");
  CHECK(m["trt_profiles"] == "ranges");
  CHECK(m["pad_to_gear"] == false);
  // Batch gears 1,4,8,16,32: each profile starts one past the previous gear.
  CHECK(m["ort_tensorrt_options"]["trt_profile_min_shapes"] ==
        "x:1x3x64x64,x:2x3x64x64,x:5x3x64x64,x:9x3x64x64,x:17x3x64x64");
  std::vector<std::string> max;
  for (const json& gear : m["gears"]) max.push_back(Spec(gear));
  CHECK(m["ort_tensorrt_options"]["trt_profile_max_shapes"] == Join(max));
  const std::vector<json> runs = ReadArgsLog(dir / "args.jsonl");
  REQUIRE(runs.size() == 1);
  CHECK(runs[0]["argv"].back() == "--fp16");

  // The flag wins over the config.
  const std::string exact = dir / "exact";
  r = Convert(SampleModelPath(), "trt", "-1,3,64,64", exact,
              {"--trtexec_path", FakePath("trtexec"), "--set", "trt.profiles=ranges",
               "--trt_profiles", "exact"});
  REQUIRE(r.exit_code == 0);
  CHECK(Gears(exact)["models"][0]["ort_tensorrt_options"]["trt_profile_min_shapes"] == Join(max));
}

TEST_CASE("convert --backend trt with ranges takes each profile's opt from the dataset",
          "[trt][external_cli]") {
  TempDir dir;
  const std::string out = dir / "out";
  RunResult r =
      Convert(SampleModelPath(), "trt", "1,3,-1,-1", out,
              {"--trtexec_path", FakePath("trtexec"), "--trt_profiles", "ranges", "--dataset_path",
               SourcePath("data/samples/images"), "--set", "max_scaling_num=4"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  const json g = Gears(out);
  const json& options = g["models"][0]["ort_tensorrt_options"];
  // Some profile's samples are mostly smaller than its gear.
  CHECK(options["trt_profile_opt_shapes"] != options["trt_profile_max_shapes"]);
}

TEST_CASE("convert --backend trt refuses its own flags in trt.args before anything runs",
          "[trt][external_cli]") {
  TempDir dir;
  RunResult r = Convert(
      SampleModelPath(), "trt", "-1,3,64,64", dir / "out",
      {"--trtexec_path", FakePath("trtexec"), "--set", "trt.args=[--saveEngine=/tmp/x.engine]"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("key 'trt.args': '--saveEngine=/tmp/x.engine': autoscale sets "
                                    "--saveEngine itself"));
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  CHECK_FALSE(fs::exists(dir / "out"));
}

TEST_CASE("convert refuses a bad --trt_profiles or --rknn_target_platform as usage errors",
          "[trt][rknn][external_cli]") {
  TempDir dir;
  RunResult r = Convert(SampleModelPath(), "trt", "-1,3,64,64", dir / "out",
                        {"--trt_profiles", "loose", "--dry-run"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("--trt_profiles") && Catch::Contains("loose"));
  r = Convert(SampleModelPath(), "rknn", "-1,3,64,64", dir / "out",
              {"--rknn_target_platform", "rk3588'); import os; ('", "--dry-run"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("expected lowercase letters and digits"));
  CHECK_FALSE(fs::exists(dir / "out"));
}

TEST_CASE("convert --dry-run of trt, rknn and openvino needs no tool",
          "[trt][rknn][openvino][external_cli]") {
  for (const std::string backend : {"trt", "rknn", "openvino"}) {
    TempDir dir;
    ScopedEnv path("PATH", "/usr/bin:/bin");
    ScopedEnv python_path("PYTHONPATH", dir.path());
    const std::string out = dir / "out";
    RunResult r = Convert(SampleModelPath(), backend, "1,3,-1,-1", out, {"--dry-run"});
    INFO(backend << "\n" << r.out << r.err);
    REQUIRE(r.exit_code == 0);
    const std::string script = out + "/convert.sh";
    CHECK(RunProgram({"/bin/bash", "-n", script}).exit_code == 0);
    const json g = Gears(out);
    REQUIRE(g["models"].size() == 1);
    CHECK(g["backend"] == backend);
    const std::string text = ReadTextFile(script);
    // The model relative to the script's folder, the outputs by name.
    const std::string model = fs::relative(SampleModelPath(), out).string();
    if (backend == "trt") {
      CHECK_THAT(text, Catch::Contains("trtexec --onnx=" + model +
                                       " --saveEngine=sample_det_dynamic_hw.engine "));
      CHECK(g["models"][0]["ort_tensorrt_options"]["trt_profile_max_shapes"].is_string());
    } else if (backend == "rknn") {
      const std::string py = out + "/sample_det_dynamic_hw_rknn.py";
      CHECK_THAT(text, Catch::Contains("python3 sample_det_dynamic_hw_rknn.py "));
      RunResult compiled = RunProgram({"/usr/bin/python3", "-m", "py_compile", py});
      INFO(compiled.err);
      CHECK(compiled.exit_code == 0);
      CHECK(g["models"][0]["target_platform"] == "rk3588");
    } else {
      CHECK(g["models"][0]["static_files"].size() == g["models"][0]["gears"].size());
      CHECK_THAT(text, Catch::Contains("ovc " + model + " --input 'x["));
      CHECK_THAT(text, Catch::Contains(" --output_model sample_det_dynamic_hw_1x3x"));
    }
  }
}

TEST_CASE("convert --backend rknn runs the scripts when rknn.api imports", "[rknn][external_cli]") {
  TempDir dir;
  ScopedEnv python_path("PYTHONPATH", kFakePython);
  ScopedEnv log("FAKE_RKNN_LOG", dir / "rknn.jsonl");
  const std::string out = dir / "out";
  RunResult r =
      Convert(SampleModelPath(), "rknn", "-1,3,64,64", out,
              {"--rknn_target_platform", "rk3566", "--set", "rknn.config={optimization_level: 2}"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(fs::exists(out + "/sample_det_dynamic_bs.rknn"));
  const json g = Gears(out);
  CHECK(g["models"][0]["file"] == "sample_det_dynamic_bs.rknn");
  CHECK(g["models"][0]["target_platform"] == "rk3566");
  std::vector<json> calls = ReadArgsLog(dir / "rknn.jsonl");
  REQUIRE_FALSE(calls.empty());
  CHECK(calls[0]["method"] == "config");
  CHECK(calls[0]["args"]["target_platform"] == "rk3566");
  CHECK(calls[0]["args"]["optimization_level"] == 2);
  CHECK(calls[0]["args"]["dynamic_input"].size() == g["models"][0]["gears"].size());

  // Without rknn.api a real run stops before anything is written.
  ScopedEnv no_rknn("PYTHONPATH", dir.path());
  r = Convert(SampleModelPath(), "rknn", "-1,3,64,64", dir / "none");
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("cannot import rknn.api"));
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  CHECK_FALSE(fs::exists(dir / "none"));
}

TEST_CASE("convert --backend openvino writes one static IR per gear", "[openvino][external_cli]") {
  TempDir dir;
  const std::string out = dir / "out";
  RunResult r = Convert(SampleModelPath(), "openvino", "1,3,-1,-1", out,
                        {"--ovc_path", FakePath("ovc"), "-j", "2"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  const json g = Gears(out);
  REQUIRE(g["models"].size() == 1);
  const json& m = g["models"][0];
  REQUIRE(m["static_files"].size() == m["gears"].size());
  for (size_t i = 0; i < m["gears"].size(); ++i) {
    const json& f = m["static_files"][i];
    CHECK(f["shape"] == m["gears"][i]);
    CHECK(fs::exists(out + "/" + f["file"].get<std::string>()));
    CHECK(fs::exists(fs::path(out + "/" + f["file"].get<std::string>()).replace_extension(".bin")));
  }
  CHECK(m["file"] == m["static_files"][0]["file"]);
}

// The real PP-OCRv4 models with every new backend's stand-in.
TEST_CASE("real models convert with trt, rknn and openvino", "[trt][rknn][openvino][real_models]") {
  struct Case {
    std::string kind, shape;
    std::vector<std::string> extra;
  };
  const std::vector<Case> cases = {
      {"det",
       "1,3,-1,-1",
       {"--dataset_path", SourcePath("data/samples/images"), "--set", "max_scaling_num=8"}},
      {"rec",
       "-1,3,48,-1",
       {"--dataset_path", SourcePath("data/samples/det_label.txt"), "--set", "max_scaling_num=6",
        "--set", "batch_choices=[1,8,32]"}},
      {"cls", "-1,3,48,192", {}},
  };
  for (const Case& c : cases) {
    const std::string model = RealModelPath(c.kind);
    for (const std::string backend : {"trt", "rknn", "openvino"}) {
      TempDir dir;
      ScopedEnv python_path("PYTHONPATH", kFakePython);
      std::vector<std::string> extra = c.extra;
      extra.insert(extra.end(), {"--trtexec_path", FakePath("trtexec"), "--ovc_path",
                                 FakePath("ovc"), "--set", "trt.profiles=ranges"});
      const std::string out = dir / "out";
      RunResult r = Convert(model, backend, c.shape, out, extra);
      INFO(c.kind << " " << backend << "\n" << r.out << r.err);
      REQUIRE(r.exit_code == 0);
      const json g = Gears(out);
      REQUIRE_FALSE(g["models"].empty());
      CHECK(g["failed"].empty());
      for (const json& m : g["models"]) {
        CHECK(fs::exists(out + "/" + m["file"].get<std::string>()));
        if (backend == "trt") {
          const std::string min = m["ort_tensorrt_options"]["trt_profile_min_shapes"];
          CHECK(std::count(min.begin(), min.end(), ',') + 1 ==
                static_cast<long>(m["gears"].size()));
        } else if (backend == "openvino") {
          CHECK(m["static_files"].size() == m["gears"].size());
        }
      }
      // The same conversion as a dry run: a script to take to the device's
      // host, valid shell (and Python for rknn), with no tool needed here.
      const std::string dry = dir / "dry";
      std::vector<std::string> dry_args = c.extra;
      dry_args.insert(dry_args.end(), {"--dry-run", "--set", "trt.profiles=ranges"});
      RunResult d = Convert(model, backend, c.shape, dry, dry_args);
      INFO(d.err);
      REQUIRE(d.exit_code == 0);
      CHECK(RunProgram({"/bin/bash", "-n", dry + "/convert.sh"}).exit_code == 0);
      CHECK(Gears(dry)["models"].size() == g["models"].size());
      if (backend == "rknn")
        for (const auto& entry : fs::directory_iterator(dry))
          if (entry.path().extension() == ".py")
            CHECK(RunProgram({"/usr/bin/python3", "-m", "py_compile", entry.path().string()})
                      .exit_code == 0);
    }
  }
}
