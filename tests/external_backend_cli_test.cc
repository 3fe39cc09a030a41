// End-to-end tests of `autoscale convert --backend atc|lite` with the strict
// stand-in converters (<build>/fakes) on PATH or given by --atc_path/--lite_path.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <set>

#include "support/converter_fixtures.h"
#include "support/models.h"
#include "support/run_binary.h"

using autoscale::test::FakePath;
using autoscale::test::ReadArgsLog;
using autoscale::test::ReadTextFile;
using autoscale::test::RunAutoscale;
using autoscale::test::RunResult;
using autoscale::test::SampleModelPath;
using autoscale::test::ScopedEnv;
using autoscale::test::TempDir;
namespace fs = std::filesystem;

namespace {

const std::string kFakes = fs::path(FakePath("atc")).parent_path().string();

// The model files (by extension) in a folder.
std::set<std::string> Files(const std::string& dir, const std::string& extension) {
  std::set<std::string> names;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->path().extension() == extension) names.insert(it->path().filename().string());
  return names;
}

RunResult Convert(const std::string& backend, const std::string& shape, const std::string& out,
                  std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"convert",       "--model_path",  SampleModelPath(),
                                   "--input_shape", shape,           "--backend",
                                   backend,         "--output_path", out};
  args.insert(args.end(), extra.begin(), extra.end());
  return RunAutoscale(args);
}

struct Case {
  std::string shape;
  std::set<std::string> models;  // names without extension
  std::string dynamic_option;    // atc's, as it starts
};

const std::vector<Case> kCases = {
    {"1,3,64,64", {"sample_det_static"}, ""},
    {"-1,3,64,64", {"sample_det_dynamic_bs"}, "--dynamic_batch_size=1,4,8,16,32"},
    {"1,3,-1,-1", {"sample_det_dynamic_hw"}, "--dynamic_image_size="},
    {"1,3,64,-1", {"sample_det_dynamic_hw"}, "--dynamic_dims="},
    {"-1,3,-1,-1",
     {"sample_det_dynamic_bs1_hw", "sample_det_dynamic_bs4_hw", "sample_det_dynamic_bs8_hw",
      "sample_det_dynamic_bs16_hw", "sample_det_dynamic_bs32_hw"},
     "--dynamic_image_size="},
};

std::set<std::string> WithExtension(const std::set<std::string>& names, const std::string& ext) {
  std::set<std::string> files;
  for (const std::string& name : names) files.insert(name + ext);
  return files;
}

}  // namespace

TEST_CASE("convert --backend atc with atc on PATH converts every planned model",
          "[atc][external_cli]") {
  for (const Case& c : kCases) {
    TempDir dir;
    ScopedEnv path("PATH", kFakes + ":/usr/bin:/bin");
    ScopedEnv args_log("FAKE_CONVERTER_ARGS_LOG", dir / "args.jsonl");
    const std::string out = dir / "out 'dir'";
    RunResult r = Convert("atc", c.shape, out, {"-j", "2"});
    INFO(c.shape << "\n" << r.out << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(Files(out, ".om") == WithExtension(c.models, ".om"));
    CHECK(Files(out + "/logs", ".log") == WithExtension(c.models, ".log"));
    std::vector<nlohmann::json> runs = ReadArgsLog(dir / "args.jsonl");
    REQUIRE(runs.size() == c.models.size());
    for (const auto& run : runs) {
      const auto argv = run["argv"].get<std::vector<std::string>>();
      REQUIRE(argv.size() >= 7);
      CHECK(argv[0] == FakePath("atc"));
      CHECK(argv[1] == "--model=" + SampleModelPath());
      CHECK(argv[4] == "--soc_version=Ascend310P3");
      if (c.dynamic_option.empty())
        CHECK(argv.size() == 7);
      else
        CHECK_THAT(argv.back(), Catch::StartsWith(c.dynamic_option));
    }
  }
}

TEST_CASE("convert --backend lite with --lite_path converts every planned model",
          "[lite][external_cli]") {
  for (const Case& c : kCases) {
    TempDir dir;
    ScopedEnv path("PATH", "/usr/bin:/bin");
    const std::string out = dir / "out dir";
    RunResult r = Convert("lite", c.shape, out, {"--lite_path", FakePath("converter_lite")});
    INFO(c.shape << "\n" << r.out << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(Files(out, ".mindir") == WithExtension(c.models, ".mindir"));
    CHECK(Files(out, ".cfg") == WithExtension(c.models, "_lite.cfg"));
  }
  // A width-only model is written for Lite with H and W dynamic, H fixed.
  TempDir dir;
  RunResult r =
      Convert("lite", "1,3,64,-1", dir.path(), {"--lite_path", FakePath("converter_lite")});
  REQUIRE(r.exit_code == 0);
  const std::string config = ReadTextFile(dir / "sample_det_dynamic_hw_lite.cfg");
  const std::string head =
      "[ascend_context]\ninput_format=NCHW\ninput_shape=x:[1,3,-1,-1]\ndynamic_dims=";
  REQUIRE_THAT(config, Catch::StartsWith(head));
  std::string profiles = config.substr(head.size());
  profiles.pop_back();  // the newline
  // Every profile is [64,w].
  CHECK_THAT(profiles, Catch::Matches("\\[64,[0-9]+\\](,\\[64,[0-9]+\\])+"));
}

TEST_CASE("convert with a --soc_version passes it to atc", "[atc][external_cli]") {
  TempDir dir;
  ScopedEnv args_log("FAKE_CONVERTER_ARGS_LOG", dir / "args.jsonl");
  RunResult r = Convert("atc", "-1,3,64,64", dir / "out",
                        {"--atc_path", FakePath("atc"), "--soc_version", "Ascend910B"});
  REQUIRE(r.exit_code == 0);
  std::vector<nlohmann::json> runs = ReadArgsLog(dir / "args.jsonl");
  REQUIRE(runs.size() == 1);
  CHECK(runs[0]["argv"][4] == "--soc_version=Ascend910B");
}

TEST_CASE("convert with no converter binary is one line suggesting --dry-run",
          "[atc][lite][external_cli]") {
  for (const std::string backend : {"atc", "lite"}) {
    TempDir dir;
    ScopedEnv path("PATH", dir.path());
    RunResult r = Convert(backend, "-1,3,64,64", dir / "out");
    INFO(r.err);
    CHECK(r.exit_code != 0);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK_THAT(r.err, Catch::Contains(backend == "atc" ? "atc not found on PATH"
                                                       : "converter_lite not found on PATH"));
    CHECK_THAT(r.err, Catch::Contains("--dry-run"));
    CHECK_FALSE(fs::exists(dir / "out"));  // nothing ran, nothing written
    RunResult given = Convert(backend, "-1,3,64,64", dir / "out",
                              {backend == "atc" ? "--atc_path" : "--lite_path", dir / "nope"});
    CHECK(given.exit_code != 0);
    CHECK_THAT(given.err, Catch::Contains(": no such file; fix the path or use --dry-run"));
  }
}

TEST_CASE("convert with a failing converter shows the log tail and commits no model",
          "[atc][lite][external_cli]") {
  for (const std::string backend : {"atc", "lite"}) {
    TempDir dir;
    ScopedEnv path("PATH", kFakes + ":/usr/bin:/bin");
    ScopedEnv mode("FAKE_CONVERTER_MODE", "fail");
    ScopedEnv only("FAKE_CONVERTER_ONLY", "bs4_hw");
    const std::string out = dir / "out";
    RunResult r = Convert(backend, "-1,3,-1,-1", out);
    INFO(r.out << r.err);
    CHECK(r.exit_code != 0);
    const std::string tool = backend == "atc" ? "atc" : "converter_lite";
    const std::string ext = backend == "atc" ? ".om" : ".mindir";
    CHECK_THAT(r.out, Catch::Contains("FAILED") && Catch::Contains("sample_det_dynamic_bs4_hw") &&
                          Catch::Contains(tool + " exited with code 1") &&
                          Catch::Contains("| " + tool + ": E19999: conversion failed"));
    CHECK_THAT(r.err, Catch::Contains("1 of 5 models failed"));
    CHECK_THAT(r.out, Catch::Contains("the previous files are unchanged"));
    // All or nothing: the four models that converted are not kept either; the logs are.
    CHECK(Files(out, ext).empty());
    CHECK_FALSE(fs::exists(out + "/gears.json"));
    CHECK(fs::exists(out + "/logs/sample_det_dynamic_bs4_hw.log"));
    CHECK(fs::exists(out + "/logs/sample_det_dynamic_bs1_hw.log"));
  }
}

TEST_CASE("convert with a hanging converter times out", "[atc][lite][external_cli]") {
  for (const std::string backend : {"atc", "lite"}) {
    TempDir dir;
    ScopedEnv path("PATH", kFakes + ":/usr/bin:/bin");
    ScopedEnv mode("FAKE_CONVERTER_MODE", "hang");
    const auto start = std::chrono::steady_clock::now();
    RunResult r = Convert(backend, "-1,3,64,64", dir / "out", {"--timeout", "1"});
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    INFO(r.out << r.err);
    CHECK(r.exit_code != 0);
    CHECK_THAT(r.out, Catch::Contains("timed out after 1 s"));
    CHECK(seconds < 30);
    CHECK(Files(dir / "out", backend == "atc" ? ".om" : ".mindir").empty());
  }
}

TEST_CASE("convert with a converter that writes nothing fails", "[atc][external_cli]") {
  TempDir dir;
  ScopedEnv mode("FAKE_CONVERTER_MODE", "no_output");
  RunResult r = Convert("atc", "1,3,-1,-1", dir / "out", {"--atc_path", FakePath("atc")});
  CHECK(r.exit_code != 0);
  CHECK_THAT(r.out,
             Catch::Contains("atc exited 0 but wrote no " + dir / "out/sample_det_dynamic_hw.om"));
}

TEST_CASE("convert accepts atc's <out>_<os>_<arch>.om", "[atc][external_cli]") {
  TempDir dir;
  ScopedEnv mode("FAKE_CONVERTER_MODE", "os_arch");
  RunResult r = Convert("atc", "1,3,-1,-1", dir / "out", {"--atc_path", FakePath("atc")});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK(Files(dir / "out", ".om") ==
        std::set<std::string>{"sample_det_dynamic_hw_linux_x86_64.om"});
}

TEST_CASE("convert --dry-run writes convert.sh and the configs and runs nothing",
          "[atc][lite][external_cli]") {
  for (const std::string backend : {"atc", "lite"}) {
    TempDir dir;
    ScopedEnv path("PATH", dir.path());  // no converter anywhere: not needed
    ScopedEnv args_log("FAKE_CONVERTER_ARGS_LOG", dir / "args.jsonl");
    const std::string out = dir / "out";
    RunResult r = Convert(backend, "-1,3,-1,-1", out, {"--dry-run"});
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    struct stat st;
    REQUIRE(::stat((out + "/convert.sh").c_str(), &st) == 0);
    CHECK((st.st_mode & S_IXUSR) != 0);
    const std::string script = ReadTextFile(out + "/convert.sh");
    const std::string tool = backend == "atc" ? "atc" : "converter_lite";
    for (int b : {1, 4, 8, 16, 32})
      CHECK_THAT(script, Catch::Contains("\n" + tool + " ") &&
                             Catch::Contains("sample_det_dynamic_bs" + std::to_string(b) + "_hw"));
    CHECK(Files(out, backend == "atc" ? ".om" : ".mindir").empty());
    CHECK(Files(out, ".cfg").size() == (backend == "lite" ? 5u : 0u));
    CHECK_FALSE(fs::exists(dir / "args.jsonl"));
    CHECK_FALSE(fs::exists(out + "/logs"));
  }
}
