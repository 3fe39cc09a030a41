#include "pipeline/config_yaml.h"
#include "pipeline/jobs_file.h"

#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>

#include "stats/core/scaling_config.h"
#include "support/run_binary.h"

namespace autoscale {
namespace {

Result<JobsFile> Parse(const std::string& text, const std::string& path = "proj/jobs.yaml") {
  return ParseJobsFile(text, path);
}

// The one-line error of a file that must not validate.
std::string ErrorOf(const std::string& text) {
  auto r = Parse(text);
  REQUIRE_FALSE(r.ok());
  CHECK(r.message().find('\n') == std::string::npos);
  return r.message();
}

const Job& Named(const JobsFile& f, const std::string& name) {
  for (const Job& j : f.jobs)
    if (j.name == name) return j;
  FAIL("no job " << name);
  throw 0;
}

ScalingConfig ConfigOf(const Job& job) {
  ScalingConfig c;
  for (const auto& [origin, text] : job.pipeline.yaml_overrides)
    REQUIRE(ApplyConfigYaml(text, origin, &c).ok());
  for (const auto& a : job.pipeline.overrides) REQUIRE(ApplyConfigOverride(a, &c).ok());
  return c;
}

const char* kTwoJobs = R"(defaults:
  input_shape: -1,3,48,-1
  dataset_path: data/labels.txt
  backend: onnx
  auto_scaling:
    strategy: max_min
    mean_std:
      n_std: 2
jobs:
  - name: rec
    model_path: models/rec.onnx
    auto_scaling:
      strategy: optimal
      width_range: [32, 2048]
  - name: cls
    model-path: models/cls.onnx
    input-shape: [-1, 3, 48, 192]
    data_path: /abs/images
    dry-run: true
    converter_jobs: 3
    timeout: 60
)";

TEST_CASE("jobs file: defaults apply to every job and a job overrides them", "[jobs]") {
  auto f = Parse(kTwoJobs);
  REQUIRE(f.ok());
  REQUIRE(f->jobs.size() == 2);
  CHECK(f->jobs[0].name == "rec");
  CHECK(f->jobs[1].name == "cls");
  CHECK(f->jobs[0].line == 10);
  CHECK(f->jobs[1].line == 15);

  const Job& rec = Named(*f, "rec");
  CHECK(rec.pipeline.input_shape == "-1,3,48,-1");
  CHECK(rec.pipeline.dataset_path == "proj/data/labels.txt");
  CHECK(rec.convert.model_path == "proj/models/rec.onnx");
  CHECK(rec.convert.backend == "onnx");
  CHECK_FALSE(rec.convert.dry_run);

  const Job& cls = Named(*f, "cls");
  CHECK(cls.pipeline.input_shape == "-1,3,48,192");   // a YAML list is accepted
  CHECK(cls.pipeline.dataset_path == "/abs/images");  // absolute paths stay
  CHECK(cls.convert.model_path == "proj/models/cls.onnx");
  CHECK(cls.convert.dry_run);
  CHECK(cls.convert.jobs == 3);
  CHECK(cls.convert.timeout_seconds == 60);
}

TEST_CASE("jobs file: a job's auto_scaling applies after the defaults'", "[jobs]") {
  auto f = Parse(kTwoJobs);
  REQUIRE(f.ok());
  const Job& rec = Named(*f, "rec");
  REQUIRE(rec.pipeline.yaml_overrides.size() == 2);
  CHECK(rec.pipeline.yaml_overrides[0].first == "proj/jobs.yaml");
  ScalingConfig rc = ConfigOf(rec);
  CHECK(rc.strategy == "optimal");
  CHECK(rc.n_std == 2.0);
  CHECK(rc.width_min == 32);
  CHECK(rc.width_max == 2048);

  ScalingConfig cc = ConfigOf(Named(*f, "cls"));
  CHECK(cc.strategy == "max_min");
  CHECK(cc.n_std == 2.0);
  CHECK(cc.width_max == ScalingConfig().width_max);
}

TEST_CASE("jobs file: each job writes into <output_path>/<name> unless it sets its own", "[jobs]") {
  SECTION("default output folder, beside the jobs file") {
    auto f = Parse(kTwoJobs);
    REQUIRE(f.ok());
    CHECK(f->jobs[0].convert.output_path == "proj/output/rec");
    CHECK(f->jobs[1].convert.output_path == "proj/output/cls");
  }
  SECTION("defaults output_path is the parent; a job's own is used as is") {
    auto f = Parse(R"(defaults:
  output_path: ../converted/
  input_shape: 1,3,-1,-1
  model_path: m.onnx
jobs:
  - name: a
  - name: b
    output_path: elsewhere/b_out
)");
    REQUIRE(f.ok());
    CHECK(f->jobs[0].convert.output_path == "converted/a");
    CHECK(f->jobs[1].convert.output_path == "proj/elsewhere/b_out");
  }
}

TEST_CASE("jobs file: relative paths resolve against the file's folder", "[jobs]") {
  const std::string fixed =
      "defaults:\n  input_shape: 1,3,-1,-1\njobs:\n  - name: a\n    model_path: ./m/a.onnx\n"
      "    dataset_path: ../data/imgs\n    config: cfg/auto.yaml\n    json: a.json\n"
      "    report: r/a.html\n    save_profile: p.json\n    atc_path: bin/atc\n"
      "    lite_path: converter_lite\n    cost_table: m/costs.csv\n    cost_plan: plan.csv\n";

  SECTION("file in a folder") {
    auto f = Parse(fixed, "/srv/proj/jobs.yaml");
    REQUIRE(f.ok());
    const Job& a = f->jobs[0];
    CHECK(a.convert.model_path == "/srv/proj/m/a.onnx");
    CHECK(a.pipeline.dataset_path == "/srv/data/imgs");
    CHECK(a.pipeline.config_path == "/srv/proj/cfg/auto.yaml");
    CHECK(a.pipeline.json_path == "/srv/proj/a.json");
    CHECK(a.pipeline.report_path == "/srv/proj/r/a.html");
    CHECK(a.pipeline.save_profile_path == "/srv/proj/p.json");
    CHECK(a.pipeline.cost_table_path == "/srv/proj/m/costs.csv");
    CHECK(a.pipeline.cost_plan_path == "/srv/proj/plan.csv");
    CHECK(a.convert.atc_path == "/srv/proj/bin/atc");
    CHECK(a.convert.lite_path == "converter_lite");  // a bare name is looked up on PATH
    CHECK(a.convert.output_path == "/srv/proj/output/a");
  }
  SECTION("file in the working folder") {
    auto f = Parse(fixed, "jobs.yaml");
    REQUIRE(f.ok());
    CHECK(f->jobs[0].convert.model_path == "m/a.onnx");
    CHECK(f->jobs[0].pipeline.dataset_path == "../data/imgs");
    CHECK(f->jobs[0].convert.output_path == "output/a");
  }
}

TEST_CASE("jobs file: every option is accepted in snake_case and kebab-case", "[jobs]") {
  for (const char* sep : {"_", "-"}) {
    auto k = [&](std::string key) {
      for (char& c : key)
        if (c == '_') c = sep[0];
      return key;
    };
    std::string text = "jobs:\n  - name: j\n";
    auto add = [&](const std::string& key, const std::string& value) {
      text += "    " + k(key) + ": " + value + "\n";
    };
    add("model_path", "m.onnx");
    add("input_shape", "'-1,3,32,-1'");
    add("input_name", "x");
    add("dataset_path", "d");
    add("dataset_type", "det_labels");
    add("image_root", "imgs");
    add("samples", "boxes");
    add("save_profile", "p.json");
    add("config", "c.yaml");
    add("json", "j.json");
    add("report", "r.html");
    add("threads", "2");
    add("output_path", "o");
    add("backend", "atc");
    add("soc_version", "Ascend910B");
    add("atc_path", "/opt/atc");
    add("lite_path", "/opt/lite");
    add("converter_jobs", "2");
    add("timeout_seconds", "10");
    add("dry_run", "yes");
    add("static_per_gear", "true");
    add("trtexec_path", "/opt/trtexec");
    add("trt_profiles", "ranges");
    add("rknn_target_platform", "rk3566");
    add("rknn_python", "/opt/python3");
    add("ovc_path", "ovc");
    auto f = Parse(text, "jobs.yaml");
    INFO(text);
    REQUIRE(f.ok());
    const Job& j = f->jobs[0];
    CHECK(j.convert.input_name == "x");
    CHECK(j.pipeline.dataset_type == "det_labels");
    CHECK(j.pipeline.samples == "boxes");
    CHECK(j.pipeline.image_root == "imgs");
    CHECK(j.pipeline.threads == 2);
    CHECK(j.convert.backend == "atc");
    CHECK(j.convert.soc_version == "Ascend910B");
    CHECK(j.convert.atc_path == "/opt/atc");
    CHECK(j.convert.lite_path == "/opt/lite");
    CHECK(j.convert.jobs == 2);
    CHECK(j.convert.timeout_seconds == 10);
    CHECK(j.convert.dry_run);
    CHECK(j.convert.static_per_gear);
    CHECK(j.convert.trtexec_path == "/opt/trtexec");
    CHECK(j.convert.trt_profiles == "ranges");
    CHECK(j.convert.rknn_target_platform == "rk3566");
    CHECK(j.convert.rknn_python == "/opt/python3");
    CHECK(j.convert.ovc_path == "ovc");
    CHECK(j.convert.output_path == "o");
  }
}

TEST_CASE("jobs file: a profile stands in for input_shape", "[jobs]") {
  auto f = Parse("jobs:\n  - name: a\n    model_path: m.onnx\n    profile: p.json\n");
  REQUIRE(f.ok());
  CHECK(f->jobs[0].pipeline.profile_path == "proj/p.json");
  CHECK(f->jobs[0].pipeline.input_shape.empty());
}

TEST_CASE("jobs file: unknown keys name the file, line, job and key", "[jobs]") {
  CHECK(ErrorOf(R"(defaults:
  model_path: m.onnx
jobs:
  - name: det
    input_shape: 1,3,-1,-1
  - name: rec
    input_shap: -1,3,48,-1
)") == "proj/jobs.yaml:7: job 'rec': unknown key 'input_shap' (did you mean 'input_shape'?)");
  CHECK(ErrorOf("defaults:\n  outptu_path: x\njobs:\n  - name: a\n") ==
        "proj/jobs.yaml:2: defaults: unknown key 'outptu_path' (did you mean 'output_path'?)");
  CHECK(ErrorOf("defaults:\n  colour: blue\njobs:\n  - name: a\n") ==
        "proj/jobs.yaml:2: defaults: unknown key 'colour'");
  CHECK(ErrorOf("job:\n  - name: a\n") ==
        "proj/jobs.yaml:1: unknown key 'job' (a jobs file has defaults: and jobs:)");
  CHECK(ErrorOf("defaults:\n  name: x\njobs:\n  - name: a\n") ==
        "proj/jobs.yaml:2: defaults: key 'name' belongs in a job, not in defaults");
  CHECK(ErrorOf("jobs:\n  - name: a\n    <<: {model_path: m}\n").find("merge keys") !=
        std::string::npos);
}

TEST_CASE("jobs file: wrong types name the key and what was expected", "[jobs]") {
  const std::string head =
      "defaults:\n  model_path: m.onnx\n  input_shape: 1,3,-1,-1\njobs:\n"
      "  - name: a\n";
  CHECK(ErrorOf(head + "    dry_run: maybe\n") ==
        "proj/jobs.yaml:6: job 'a': key 'dry_run': expected true or false, got 'maybe'");
  CHECK(ErrorOf(head + "    threads: many\n") ==
        "proj/jobs.yaml:6: job 'a': key 'threads': expected an integer, got 'many'");
  CHECK(ErrorOf(head + "    converter-jobs: 0\n") ==
        "proj/jobs.yaml:6: job 'a': key 'converter-jobs': must be from 1 to 256, got 0");
  CHECK(ErrorOf(head + "    rknn_target_platform: RK3588\n") ==
        "proj/jobs.yaml:6: job 'a': key 'rknn_target_platform': rknn.target_platform "
        "(--rknn_target_platform) 'RK3588': expected lowercase letters and digits, e.g. rk3588");
  CHECK(ErrorOf(head + "    trt_profiles: loose\n") ==
        "proj/jobs.yaml:6: job 'a': key 'trt_profiles': expected one of exact, ranges, got "
        "'loose'");
  CHECK(ErrorOf(head + "    backend: tensorrt\n") ==
        "proj/jobs.yaml:6: job 'a': key 'backend': expected one of onnx, atc, lite, trt, rknn, "
        "openvino, got "
        "'tensorrt'");
  CHECK(ErrorOf(head + "    dataset_type: voc\n").find("key 'dataset_type': expected one of") !=
        std::string::npos);
  CHECK(ErrorOf(head + "    model_path: [a, b]\n") ==
        "proj/jobs.yaml:6: job 'a': key 'model_path': expected a path, got a list");
  CHECK(ErrorOf(head + "    output_path:\n") ==
        "proj/jobs.yaml:6: job 'a': key 'output_path': expected a path, got nothing");
  CHECK(ErrorOf(head + "    input_shape: 1,3,-1\n")
            .rfind("proj/jobs.yaml:6: job 'a': key 'input_shape': ", 0) == 0);
  CHECK(ErrorOf(head + "    input_shape: [1, [3], -1, -1]\n")
            .rfind("proj/jobs.yaml:6: job 'a': key 'input_shape': ", 0) == 0);
  CHECK(ErrorOf(head + "    model_path: a.onnx\n    model-path: b.onnx\n") ==
        "proj/jobs.yaml:7: job 'a': key 'model-path' given twice (first on line 6)");
  CHECK(ErrorOf("defaults: [1]\njobs:\n  - name: a\n") ==
        "proj/jobs.yaml:1: defaults: expected a mapping of job options, got a list");
  CHECK(ErrorOf("jobs:\n  name: a\n") ==
        "proj/jobs.yaml:2: jobs: expected a list of jobs, got a mapping");
  CHECK(ErrorOf("jobs:\n  - a.onnx\n") ==
        "proj/jobs.yaml:2: jobs entry 1: expected a mapping with name and options, got 'a.onnx'");
  CHECK(ErrorOf("- jobs\n") ==
        "proj/jobs.yaml:1: expected a mapping with defaults: and jobs:, got a list");
  // A value with line breaks is quoted on one line.
  CHECK(ErrorOf(head + "    backend: \"on\\nnx\"\n") ==
        "proj/jobs.yaml:6: job 'a': key 'backend': expected one of onnx, atc, lite, trt, rknn, "
        "openvino, got "
        "'on\\nnx'");
  CHECK(ErrorOf(head + "    auto_scaling:\n      strategy: |\n        mean\n        std\n") ==
        "proj/jobs.yaml:7: job 'a': auto_scaling: key 'strategy': expected one of mean_std, "
        "max_min, optimal, got 'mean\\nstd\\n'");
  CHECK(ErrorOf("jobs: [\n").rfind("proj/jobs.yaml:", 0) == 0);
  CHECK(ErrorOf("jobs: [\n").find("not valid YAML") != std::string::npos);
}

TEST_CASE("jobs file: names must be present, safe folder names and unique", "[jobs]") {
  const std::string head = "defaults:\n  model_path: m.onnx\n  input_shape: 1,3,-1,-1\njobs:\n";
  CHECK(ErrorOf(head + "  - name: a\n  - model_path: b.onnx\n") ==
        "proj/jobs.yaml:6: jobs entry 2: no name (each job needs one; it names its output "
        "folder)");
  CHECK(ErrorOf(head + "  - name: [a]\n") ==
        "proj/jobs.yaml:5: jobs entry 1: key 'name': expected a folder name, got a list");
  for (const char* bad : {"../up", "a b", ".hidden", "-x", "a/b", "'..'", "'.'", "é"}) {
    INFO(bad);
    CHECK(ErrorOf(head + "  - name: " + bad + "\n").find("name must be letters, digits") !=
          std::string::npos);
  }
  CHECK(ErrorOf(head + "  - name: rec\n  - name: det\n  - name: rec\n") ==
        "proj/jobs.yaml:7: job 'rec': name already used by the job on line 5");
  auto ok = Parse(head + "  - name: ch_PP-OCRv4.rec_2\n");
  CHECK(ok.ok());
}

TEST_CASE("jobs file: every job needs a model and an input shape", "[jobs]") {
  CHECK(ErrorOf("defaults:\n  input_shape: 1,3,-1,-1\njobs:\n  - name: det\n") ==
        "proj/jobs.yaml:4: job 'det': no model_path (set it in the job or in defaults)");
  CHECK(ErrorOf("defaults:\n  model_path: m.onnx\njobs:\n  - name: det\n") ==
        "proj/jobs.yaml:4: job 'det': no input_shape (set it in the job or in defaults, or give "
        "a profile)");
}

TEST_CASE("jobs file: an empty or missing jobs list is an error", "[jobs]") {
  CHECK(ErrorOf("") == "proj/jobs.yaml: empty; expected defaults: and jobs:");
  CHECK(ErrorOf("jobs: []\n") == "proj/jobs.yaml: no jobs (the jobs: list is empty)");
  CHECK(ErrorOf("defaults:\n  model_path: m.onnx\n").rfind("proj/jobs.yaml: no jobs", 0) == 0);
  CHECK(ErrorOf("jobs:\n").rfind("proj/jobs.yaml: no jobs", 0) == 0);
}

TEST_CASE("jobs file: two jobs may not write the same folder or file", "[jobs]") {
  const std::string head = "defaults:\n  model_path: m.onnx\n  input_shape: 1,3,-1,-1\njobs:\n";
  CHECK(ErrorOf(head + "  - name: a\n  - name: b\n    output_path: output/a/\n") ==
        "proj/jobs.yaml:6: job 'b': output folder proj/output/a/ is also the output folder of "
        "job 'a' (line 5); give each job its own output_path");
  CHECK(ErrorOf(head + "  - name: a\n    output_path: x\n  - name: b\n    output_path: ./y/../x\n")
            .find("job 'b': output folder proj/x is also the output folder of job 'a'") !=
        std::string::npos);
  // A json file in defaults would be written by every job.
  CHECK(ErrorOf("defaults:\n  model_path: m.onnx\n  input_shape: 1,3,-1,-1\n  json: r.json\n"
                "jobs:\n  - name: a\n  - name: b\n") ==
        "proj/jobs.yaml:7: job 'b': json file proj/r.json is also the json file of job 'a' "
        "(line 6); give each job its own file");
  CHECK(ErrorOf(head + "  - name: a\n    report: output/b\n  - name: b\n")
            .find("job 'b': output folder proj/output/b is also the report file of job 'a'") !=
        std::string::npos);
  // Different folders, and one inside another, are fine.
  CHECK(Parse(head + "  - name: a\n    output_path: o\n  - name: b\n    output_path: o/b\n").ok());
}

TEST_CASE("jobs file: auto_scaling keys are checked with the jobs file's line", "[jobs]") {
  const std::string head = "defaults:\n  model_path: m.onnx\n  input_shape: 1,3,-1,-1\n";
  CHECK(ErrorOf(head + "jobs:\n  - name: rec\n    auto_scaling:\n      strategy: max_min\n"
                       "      max_min:\n        expand_ratio: lots\n") ==
        "proj/jobs.yaml:9: job 'rec': auto_scaling: key 'max_min.expand_ratio': expected a "
        "number, got 'lots'");
  CHECK(ErrorOf(head + "  auto_scaling:\n\n    interval: 32\n    widht_range: [1, 2]\n"
                       "jobs:\n  - name: a\n") ==
        "proj/jobs.yaml:7: defaults: auto_scaling: key 'widht_range': unknown key");
  CHECK(ErrorOf(head + "jobs:\n  - name: a\n    auto_scaling: {interval: 32, colour: red}\n") ==
        "proj/jobs.yaml:6: job 'a': auto_scaling: key 'colour': unknown key");
  CHECK(ErrorOf(head + "jobs:\n  - name: a\n    auto_scaling:\n      batch_choices:\n"
                       "        - 1\n        - 4\n      interval: 0\n") ==
        "proj/jobs.yaml:10: job 'a': auto_scaling: key 'interval': must be from 1 to 4096, got 0");
  CHECK(ErrorOf(head + "jobs:\n  - name: a\n    auto_scaling: optimal\n") ==
        "proj/jobs.yaml:6: job 'a': key 'auto_scaling': expected a mapping of config keys, got "
        "'optimal'");
  // Inconsistent within the mapping itself.
  CHECK(ErrorOf(head + "jobs:\n  - name: a\n    auto_scaling:\n      interval: 64\n"
                       "      width_range: [1, 32]\n      height_range: [1, 32]\n")
            .rfind("proj/jobs.yaml:6: job 'a': auto_scaling: key 'interval'", 0) == 0);
  // An empty mapping is nothing to apply.
  auto f = Parse(head + "jobs:\n  - name: a\n    auto_scaling:\n");
  REQUIRE(f.ok());
  CHECK(f->jobs[0].pipeline.yaml_overrides.empty());
}

// Nine levels of ten aliases each: 10^9 nodes once expanded.
std::string BillionLaughs(const std::string& indent) {
  std::string text = indent + "batch_choices: [&l0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]";
  for (int level = 1; level <= 9; ++level) {
    text += ", &l" + std::to_string(level) + " [";
    for (int i = 0; i < 10; ++i) text += (i ? ", *l" : "*l") + std::to_string(level - 1);
    text += "]";
  }
  return text + "]\n";
}

TEST_CASE("jobs file: an alias inside its own anchor is refused, naming file and line", "[jobs]") {
  const std::string job =
      "jobs:\n  - name: a\n    model_path: m.onnx\n"
      "    input_shape: 1,3,-1,-1\n";
  std::string m = ErrorOf(job + "    auto_scaling: &x {mean_std: *x}\n");
  CHECK_THAT(m, Catch::StartsWith("proj/jobs.yaml:5: "));
  CHECK_THAT(m, Catch::Contains("nested deeper than 64 levels"));
  m = ErrorOf("defaults:\n  auto_scaling: &x {mean_std: *x}\n" + job);
  CHECK_THAT(m, Catch::StartsWith("proj/jobs.yaml:2: "));
  CHECK_THAT(m, Catch::Contains("nested deeper than 64 levels"));
  m = ErrorOf("defaults: &d {auto_scaling: *d}\n" + job);
  CHECK_THAT(m, Catch::StartsWith("proj/jobs.yaml:1: "));
}

TEST_CASE("jobs file: aliases that expand past the bound are refused at once", "[jobs]") {
  const std::string text =
      "jobs:\n  - name: a\n    model_path: m.onnx\n"
      "    input_shape: 1,3,-1,-1\n    auto_scaling:\n" +
      BillionLaughs("      ");
  const auto start = std::chrono::steady_clock::now();
  const std::string m = ErrorOf(text);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
  CHECK_THAT(m, Catch::StartsWith("proj/jobs.yaml:6: "));
  CHECK_THAT(m, Catch::Contains("aliases expand to more than 100000 nodes"));
}

TEST_CASE("jobs file: SelectJobs picks named jobs in file order", "[jobs]") {
  auto f = Parse(
      "defaults:\n  model_path: m.onnx\n  input_shape: 1,3,-1,-1\njobs:\n"
      "  - name: det\n  - name: cls\n  - name: rec\n");
  REQUIRE(f.ok());
  auto names = [](const std::vector<Job>& jobs) {
    std::string s;
    for (const Job& j : jobs) s += j.name + " ";
    return s;
  };
  CHECK(names(*SelectJobs(*f, {})) == "det cls rec ");
  CHECK(names(*SelectJobs(*f, {"rec", "det"})) == "det rec ");
  CHECK(names(*SelectJobs(*f, {"rec, cls", "rec"})) == "cls rec ");
  auto bad = SelectJobs(*f, {"det", "reg"});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.message() == "--only reg: no such job in proj/jobs.yaml (jobs: det, cls, rec)");
  CHECK_FALSE(SelectJobs(*f, {"det,,rec"}).ok());
}

TEST_CASE("jobs file: CheckJobConfig combines config file, auto_scaling and --set", "[jobs]") {
  test::TempDir dir;
  test::WriteTextFile(dir / "small.yaml",
                      "auto_scaling:\n  width_range: [1, 32]\n  height_range: [1, 32]\n"
                      "  interval: 8\n");
  const std::string jobs = dir / "jobs.yaml";
  auto f = Parse(
      "defaults:\n  model_path: m.onnx\n  input_shape: 1,3,-1,-1\n"
      "  config: small.yaml\njobs:\n  - name: fine\n"
      "  - name: clash\n    auto_scaling:\n      interval: 64\n"
      "  - name: noconfig\n    config: missing.yaml\n",
      jobs);
  REQUIRE(f.ok());
  CHECK(CheckJobConfig(f->jobs[0], jobs).ok());
  Status clash = CheckJobConfig(f->jobs[1], jobs);
  REQUIRE_FALSE(clash.ok());
  CHECK(clash.message().rfind(jobs + ":7: job 'clash': key 'interval'", 0) == 0);
  Status missing = CheckJobConfig(f->jobs[2], jobs);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.message() ==
        jobs + ":10: job 'noconfig': config " + dir.path() + "/missing.yaml: no such file");

  Job with_set = f->jobs[0];
  with_set.pipeline.overrides = {"interval=64"};
  Status set = CheckJobConfig(with_set, jobs);
  REQUIRE_FALSE(set.ok());
  CHECK(set.message().rfind(jobs + ":6: job 'fine': --set interval=64: ", 0) == 0);
  with_set.pipeline.overrides = {"interval=16"};
  CHECK(CheckJobConfig(with_set, jobs).ok());
}

TEST_CASE("jobs file: --set assignments are checked on their own", "[jobs]") {
  CHECK(CheckConfigOverrides({}).ok());
  // Small ranges may suit the interval of a job's config file: not an error here.
  CHECK(CheckConfigOverrides({"width_range=[1,16]", "height_range=[1,16]"}).ok());
  CHECK_FALSE(
      CheckConfigOverrides({"interval=64", "width_range=[1,16]", "height_range=[1,16]"}).ok());
  Status bad = CheckConfigOverrides({"strategy=optimal", "colour=red"});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.message() == "--set colour=red: key 'colour': unknown key");
  CHECK_FALSE(CheckConfigOverrides({"max_scaling_num=0"}).ok());
}

TEST_CASE("jobs file: LoadJobsFile names a missing file", "[jobs]") {
  auto r = LoadJobsFile("/nonexistent/jobs.yaml");
  REQUIRE_FALSE(r.ok());
  CHECK(r.message().rfind("/nonexistent/jobs.yaml: ", 0) == 0);
}

TEST_CASE("jobs file: configs/jobs.example.yaml parses and validates", "[jobs]") {
  const std::string path = std::string(AUTOSCALE_SOURCE_DIR) + "/configs/jobs.example.yaml";
  auto f = LoadJobsFile(path);
  INFO(f.message());
  REQUIRE(f.ok());
  REQUIRE(f->jobs.size() == 3);
  CHECK(f->jobs[0].name == "det");
  CHECK(f->jobs[1].name == "cls");
  CHECK(f->jobs[2].name == "rec");
  const std::string root = std::filesystem::path(AUTOSCALE_SOURCE_DIR).lexically_normal().string();
  for (const Job& job : f->jobs) {
    INFO(job.name);
    CHECK(CheckJobConfig(job, path).ok());
    CHECK(job.convert.model_path.rfind(root + "/cache/models/", 0) == 0);
    CHECK(job.pipeline.dataset_path.rfind(root + "/data/samples/", 0) == 0);
  }
  CHECK(f->jobs[0].pipeline.input_shape == "1,3,-1,-1");
  CHECK(f->jobs[1].pipeline.input_shape == "-1,3,48,192");
  CHECK(f->jobs[2].pipeline.input_shape == "-1,3,48,-1");
}

}  // namespace
}  // namespace autoscale

namespace autoscale {
namespace {

TEST_CASE("jobs file: dataset_path and profile take lists, gears and holdout are options",
          "[jobs]") {
  auto f = ParseJobsFile(
      "jobs:\n  - name: a\n    model_path: m.onnx\n    input_shape: -1,3,48,-1\n"
      "    dataset_path: [d1.txt, /abs/d2]\n    profile: [p1.json, p2.json, p3.json]\n"
      "    gears: g.yaml\n    holdout: 0.2\n    seed: 9\n",
      "proj/jobs.yaml");
  INFO(f.message());
  REQUIRE(f.ok());
  const PipelineOptions& p = f->jobs[0].pipeline;
  CHECK(p.dataset_path == "proj/d1.txt");
  CHECK(p.more_dataset_paths == std::vector<std::string>{"/abs/d2"});
  CHECK(DatasetPaths(p) == std::vector<std::string>{"proj/d1.txt", "/abs/d2"});
  CHECK(ProfilePaths(p) ==
        std::vector<std::string>{"proj/p1.json", "proj/p2.json", "proj/p3.json"});
  CHECK(p.gears_path == "proj/g.yaml");
  CHECK(p.holdout == 0.2);
  CHECK(p.seed == 9);
  auto bad = ParseJobsFile(
      "jobs:\n  - name: a\n    model_path: m.onnx\n    input_shape: -1,3,48,-1\n"
      "    dataset_path: [d1.txt, [x]]\n",
      "jobs.yaml");
  REQUIRE(!bad.ok());
  CHECK_THAT(bad.message(), Catch::Contains("expected a path or a list of paths"));
  CHECK_THAT(bad.message(), Catch::Contains("jobs.yaml:5"));
}

TEST_CASE("jobs: every converter option in defaults and per job, files from the file's folder",
          "[jobs]") {
  test::TempDir dir;
  std::filesystem::create_directories(dir / "conf");
  test::WriteTextFile(dir / "conf/aipp.cfg", "aipp_op {\n}\n");
  test::WriteTextFile(dir / "conf/lite_aipp.cfg", "aipp_op {\n}\n");
  const std::string path = dir / "jobs.yaml";
  auto file = ParseJobsFile(R"(defaults:
  input_shape: -1,3,48,-1
  backend: atc
  atc_mode: dims
  atc.args: [--precision_mode=force_fp16, --insert_op_conf=conf/aipp.cfg]
  copy_model: true
jobs:
  - name: rec
    model_path: rec.onnx
  - name: det
    model_path: det.onnx
    backend: lite
    atc_mode: native
    lite_args: --device=Ascend
    lite.config:
      ascend_context.precision_mode: enforce_fp16
      ascend_context.insert_op_config_file_path: conf/lite_aipp.cfg
)",
                            path);
  REQUIRE(file.ok());
  const Job& rec = file->jobs[0];
  CHECK(rec.convert.atc_mode == "dims");
  CHECK(rec.convert.copy_model);
  CHECK(rec.convert.atc_args ==
        std::vector<std::string>{"--precision_mode=force_fp16",
                                 "--insert_op_conf=" + dir / "conf/aipp.cfg"});
  const Job& det = file->jobs[1];
  CHECK(det.convert.backend == "lite");
  CHECK(det.convert.atc_mode == "native");
  CHECK(det.convert.lite_args == std::vector<std::string>{"--device=Ascend"});
  CHECK(det.convert.lite_config ==
        std::vector<std::string>{
            "ascend_context.precision_mode=enforce_fp16",
            "ascend_context.insert_op_config_file_path=" + dir / "conf/lite_aipp.cfg"});
}

TEST_CASE("jobs: converter options autoscale sets, missing files and newlines are refused",
          "[jobs]") {
  const std::string head =
      "jobs:\n  - name: rec\n    model_path: m.onnx\n    input_shape: 1,3,48,320\n";
  CHECK(ErrorOf(head + "    atc_args: [--soc_version=Ascend910]\n") ==
        "proj/jobs.yaml:5: job 'rec': key 'atc_args': '--soc_version=Ascend910': autoscale sets "
        "--soc_version from --soc_version");
  CHECK(ErrorOf(head + "    atc_args: [--insert_op_conf=none.cfg]\n") ==
        "proj/jobs.yaml:5: job 'rec': key 'atc_args': '--insert_op_conf=proj/none.cfg': "
        "'proj/none.cfg': no such file");
  CHECK(ErrorOf(head + "    lite_config: {ascend_context.dynamic_dims: '[1],[2]'}\n") ==
        "proj/jobs.yaml:5: job 'rec': key 'lite_config': 'ascend_context.dynamic_dims=[1],[2]': "
        "autoscale sets [ascend_context] dynamic_dims from --input_shape and the gears");
  CHECK(ErrorOf(head + "    lite_config: {ascend_context.precision_mode: \"a\\n[registry]\"}\n") ==
        "proj/jobs.yaml:5: job 'rec': key 'lite_config': "
        "'ascend_context.precision_mode=a\\n[registry]': the value holds a newline");
  CHECK_THAT(ErrorOf(head + "    atc_mode: nd\n"), Catch::Contains("key 'atc_mode'"));
}

}  // namespace
}  // namespace autoscale
