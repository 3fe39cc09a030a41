// End-to-end tests of `autoscale run FILE.yaml` with the sample model and data.
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "pipeline/job_options.h"
#include "support/run_binary.h"

using autoscale::test::ReadTextFile;
using autoscale::test::RunAutoscale;
using autoscale::test::RunResult;
using autoscale::test::SourcePath;
using autoscale::test::TempDir;
using autoscale::test::WriteTextFile;
namespace fs = std::filesystem;

namespace {

// Three jobs on the sample model: a detector on the image folder, a
// recognizer on the det labels, and one whose shape the model rejects (C is
// 3 in the model). Paths are relative to the jobs file where they can be.
std::string ThreeJobs() {
  return "defaults:\n"
         "  model_path: " + SourcePath("data/samples/sample_det.onnx") + "\n"
         "  output_path: out\n"
         "  auto_scaling:\n"
         "    max_scaling_num: 8\n"
         "jobs:\n"
         "  - name: det\n"
         "    input_shape: 1,3,-1,-1\n"
         "    dataset_path: " + SourcePath("data/samples/images") + "\n"
         "  - name: rec\n"
         "    input-shape: -1,3,48,-1\n"
         "    data_path: " + SourcePath("data/samples/det_label.txt") + "\n"
         "    auto_scaling:\n"
         "      width_range: [32, 1024]\n"
         "  - name: broken\n"
         "    input_shape: -1,1,48,-1\n"
         "    dataset_path: " + SourcePath("data/samples/det_label.txt") + "\n";
}

// Every file under `root` by relative path, with its bytes.
std::map<std::string, std::string> Tree(const std::string& root) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(root))
    if (e.is_regular_file())
      files[fs::relative(e.path(), root).string()] = ReadTextFile(e.path().string());
  return files;
}

std::vector<std::string> Names(const std::map<std::string, std::string>& tree) {
  std::vector<std::string> names;
  for (const auto& [name, bytes] : tree) names.push_back(name);
  return names;
}

// Runs from another folder than the jobs file's, so relative paths must
// resolve against the file.
RunResult RunJobs(const TempDir& dir, std::vector<std::string> args) {
  args.insert(args.begin(), {"run", dir / "jobs.yaml"});
  return RunAutoscale(args, {}, fs::temp_directory_path().string());
}

}  // namespace

TEST_CASE("run: a broken job fails alone, the others convert, the table and exit say so",
          "[run]") {
  TempDir dir;
  WriteTextFile(dir / "jobs.yaml", ThreeJobs());
  auto r = RunJobs(dir, {"--json", dir / "runs.json"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 1);

  // The table: a row per job, the failure's one-line error, the count.
  CHECK_THAT(r.out, Catch::StartsWith("job "));
  CHECK_THAT(r.out, Catch::Contains("\ndet     ok "));
  CHECK_THAT(r.out, Catch::Contains("\nrec     ok "));
  CHECK_THAT(r.out, Catch::Contains("\nbroken  FAILED "));
  CHECK_THAT(r.out, Catch::Contains("sets C to 1 but the model fixes it to 3"));
  CHECK_THAT(r.out, Catch::EndsWith("2 of 3 jobs ok, 1 failed\n"));
  // A line per start and finish while running.
  CHECK_THAT(r.err, Catch::Contains("det: started (1 of 3)\n"));
  CHECK_THAT(r.err, Catch::Contains("det: ok, "));
  CHECK_THAT(r.err, Catch::Contains("rec: ok, "));
  CHECK_THAT(r.err, Catch::Contains("broken: failed after "));

  // Each job in its own folder beside the jobs file.
  CHECK(fs::is_regular_file(dir / "out/det/sample_det_dynamic_hw.onnx"));
  CHECK(fs::is_regular_file(dir / "out/det/gears.json"));
  CHECK(fs::is_regular_file(dir / "out/rec/gears.json"));
  CHECK(fs::is_regular_file(dir / "out/rec/sample_det_dynamic_bs1_hw.onnx"));
  CHECK_FALSE(fs::exists(dir / "out/broken"));

  auto j = nlohmann::json::parse(ReadTextFile(dir / "runs.json"));
  CHECK(j["ok"] == false);
  CHECK(j["counts"] == nlohmann::json({{"jobs", 3}, {"ok", 2}, {"failed", 1}}));
  REQUIRE(j["jobs"].size() == 3);
  const auto& det = j["jobs"][0];
  CHECK(det["name"] == "det");
  CHECK(det["ok"] == true);
  CHECK(det["error"].is_null());
  CHECK(fs::equivalent(det["output_path"].get<std::string>(), dir / "out/det"));
  CHECK(det["files"].size() == 3);
  for (const auto& f : det["files"]) CHECK(fs::is_regular_file(f.get<std::string>()));
  CHECK(det["gears"]["hw"].get<int>() >= 2);
  CHECK(det["gears"]["hw"].get<int>() <= 8);
  CHECK_FALSE(det["gears"].contains("batch"));
  CHECK(det["report"]["convert"]["ok"] == true);
  CHECK(det["report"]["input_shape"] == "1,3,-1,-1");
  CHECK(det["seconds"].get<double>() >= 0);
  const auto& rec = j["jobs"][1];
  CHECK(rec["ok"] == true);
  CHECK(rec["gears"]["batch"].get<int>() >= 2);
  CHECK(rec["gears"]["w"].get<int>() >= 2);
  // The file's auto_scaling reached the job: widths within its width_range.
  for (int w : rec["report"]["gears"]["width"]) CHECK(w <= 1024);
  const auto& broken = j["jobs"][2];
  CHECK(broken["ok"] == false);
  CHECK_THAT(broken["error"].get<std::string>(), Catch::Contains("sets C to 1"));
  CHECK(broken["report"].is_null());
  CHECK(broken["files"].empty());
}

TEST_CASE("run: --only runs just the named jobs", "[run]") {
  TempDir dir;
  WriteTextFile(dir / "jobs.yaml", ThreeJobs());
  SECTION("one job") {
    auto r = RunJobs(dir, {"--only", "rec"});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::EndsWith("1 of 1 jobs ok\n"));
    CHECK(fs::is_directory(dir / "out/rec"));
    CHECK_FALSE(fs::exists(dir / "out/det"));
    CHECK_FALSE(fs::exists(dir / "out/broken"));
  }
  SECTION("repeated and comma-separated") {
    auto r = RunJobs(dir, {"--only", "broken,det", "--only", "det"});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.out, Catch::EndsWith("1 of 2 jobs ok, 1 failed\n"));
    CHECK(fs::is_directory(dir / "out/det"));
    CHECK_FALSE(fs::exists(dir / "out/rec"));
  }
  SECTION("an unknown name is an error listing the jobs; nothing runs") {
    auto r = RunJobs(dir, {"--only", "det", "--only", "recognition"});
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err == "autoscale run: --only recognition: no such job in " + dir / "jobs.yaml" +
                       " (jobs: det, rec, broken)\n");
    CHECK_FALSE(fs::exists(dir / "out"));
  }
}

TEST_CASE("run: -j 2 writes the same files as a sequential run", "[run]") {
  TempDir dir;
  WriteTextFile(dir / "jobs.yaml", ThreeJobs());
  auto sequential = RunJobs(dir, {"--quiet"});
  CHECK(sequential.exit_code == 1);
  const auto first = Tree(dir / "out");
  fs::remove_all(dir / "out");
  auto parallel = RunJobs(dir, {"-j", "2", "--quiet"});
  CHECK(parallel.exit_code == 1);
  const auto second = Tree(dir / "out");
  CHECK(Names(first) == Names(second));
  CHECK(first.size() >= 6);
  for (const auto& [name, bytes] : first) {
    INFO(name);
    auto it = second.find(name);
    REQUIRE(it != second.end());
    CHECK(bytes == it->second);
  }
  // The same single failure, reported once each way.
  CHECK(sequential.out.empty());
  CHECK(sequential.err == parallel.err);
  CHECK_THAT(sequential.err, Catch::StartsWith("autoscale run: job 'broken': "));
}

TEST_CASE("run: a bad jobs file or argument runs nothing", "[run]") {
  TempDir dir;
  std::string text = ThreeJobs();
  std::vector<std::string> args;
  std::string expected;
  SECTION("an unknown key in the last job") {
    text += "    input_shap: 1\n";
    expected = dir / "jobs.yaml" +
               ":18: job 'broken': unknown key 'input_shap' (did you mean 'input_shape'?)";
  }
  SECTION("two jobs writing the same folder") {
    text += "    output_path: out/det\n";
    expected = dir / "jobs.yaml" + ":15: job 'broken': output folder " + dir / "out/det" +
               " is also the output folder of job 'det' (line 7); give each job its own "
               "output_path";
  }
  SECTION("a bad config key in a job") {
    text += "    auto_scaling:\n      strategy: fastest\n";
    expected = dir / "jobs.yaml" +
               ":19: job 'broken': auto_scaling: key 'strategy': expected one of mean_std, "
               "max_min, optimal, got 'fastest'";
  }
  SECTION("a bad --set") {
    args = {"--set", "max_scaling_num=500"};
    expected = "--set max_scaling_num=500: key 'max_scaling_num': must be from 1 to 100, got 500";
  }
  SECTION("a --set that clashes with a job's config") {
    args = {"--set", "interval=2048"};
    // Fine for the detector (ranges up to 8192), not for the recognizer,
    // whose ranges the file narrows.
    text.replace(text.find("      width_range: [32, 1024]\n"), 30,
                 "      width_range: [32, 1024]\n      height_range: [1, 1024]\n");
    expected = dir / "jobs.yaml" +
               ":10: job 'rec': --set interval=2048: key 'interval': 2048 is larger "
               "than both width_range and height_range";
  }
  SECTION("a missing jobs file") {
    fs::remove(dir / "jobs.yaml");
    args = {"--only", "det"};
    text.clear();
    expected = dir / "jobs.yaml" + ": cannot read: No such file or directory";
  }
  SECTION("a --json folder that does not exist") {
    args = {"--json", dir / "nowhere/runs.json"};
    expected = "--json " + dir / "nowhere/runs.json" + ": folder " + dir / "nowhere" +
               " does not exist";
  }
  if (!text.empty()) WriteTextFile(dir / "jobs.yaml", text);
  auto r = RunJobs(dir, args);
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK(r.err == "autoscale run: " + expected + "\n");
  CHECK_FALSE(fs::exists(dir / "out"));
}

TEST_CASE("run: --dry-run and --set reach every job, after the file", "[run]") {
  TempDir dir;
  WriteTextFile(dir / "jobs.yaml",
                "defaults:\n"
                "  model_path: " + SourcePath("data/samples/sample_det.onnx") + "\n"
                "  backend: atc\n"
                "  atc_path: /nonexistent/atc\n"
                "  auto_scaling: {max_scaling_num: 6}\n"
                "jobs:\n"
                "  - name: det\n"
                "    input_shape: 1,3,-1,-1\n"
                "    dataset_path: " + SourcePath("data/samples/images") + "\n"
                "    output_path: det_out\n"
                "  - name: rec\n"
                "    input_shape: -1,3,48,-1\n"
                "    dataset_path: " + SourcePath("data/samples/det_label.txt") + "\n"
                "    auto_scaling: {max_scaling_num: 5}\n");
  SECTION("without --dry-run the missing converter fails each job") {
    auto r = RunJobs(dir, {});
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.out, Catch::Contains("0 of 2 jobs ok, 2 failed"));
  }
  SECTION("with --dry-run every job writes its script") {
    auto r = RunJobs(dir, {"--dry-run", "--set", "max_scaling_num=3", "--json", dir / "r.json"});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK(fs::is_regular_file(dir / "det_out/convert.sh"));
    CHECK(fs::is_regular_file(dir / "output/rec/convert.sh"));
    auto j = nlohmann::json::parse(ReadTextFile(dir / "r.json"));
    REQUIRE(j["jobs"].size() == 2);
    CHECK(j["jobs"][0]["report"]["convert"]["dry_run"] == true);
    CHECK(j["jobs"][0]["gears"]["hw"].get<int>() <= 3);
    // Each per-batch model of rec gets its own widths: the budget holds per
    // model, not for the union the table counts.
    auto rec = nlohmann::json::parse(ReadTextFile(dir / "output/rec/gears.json"));
    REQUIRE(rec["models"].size() >= 2);
    for (const auto& model : rec["models"]) CHECK(model["gears"].size() <= 3);
    // Files listed are files on disk: a dry run writes no model.
    for (const auto& job : j["jobs"])
      for (const auto& f : job["files"]) CHECK(fs::is_regular_file(f.get<std::string>()));
  }
}

TEST_CASE("run: --quiet prints only the failures", "[run]") {
  TempDir dir;
  WriteTextFile(dir / "jobs.yaml", ThreeJobs());
  auto r = RunJobs(dir, {"--quiet", "--only", "det,broken"});
  CHECK(r.exit_code == 1);
  CHECK(r.out.empty());
  CHECK_THAT(r.err, Catch::StartsWith("autoscale run: job 'broken': "));
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
}

TEST_CASE("run: the example jobs file validates (its models may be absent)", "[run]") {
  // --only with a bad name stops after validation, so nothing is converted
  // and the message proves the whole file parsed.
  auto r = RunAutoscale({"run", SourcePath("configs/jobs.example.yaml"), "--only", "none"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::EndsWith("(jobs: det, cls, rec)\n"));
}

TEST_CASE("every jobs-file option is a convert option of the same name", "[run]") {
  const RunResult help = RunAutoscale({"convert", "--help"});
  REQUIRE(help.exit_code == 0);
  for (const std::string& name : autoscale::JobOptionNames()) {
    if (name == "converter_jobs") continue;  // `convert -j`, named apart from `run -j`
    CAPTURE(name);
    CHECK(help.out.find("--" + name) != std::string::npos);
  }
}
