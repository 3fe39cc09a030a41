// End-to-end tests of several sources (repeated --dataset_path / --profile,
// `autoscale merge`), of judging given gears (--gears) and of --holdout.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <nlohmann/json.hpp>

#include "support/models.h"
#include "support/run_binary.h"

using autoscale::test::ReadTextFile;
using autoscale::test::RunAutoscale;
using autoscale::test::RunResult;
using autoscale::test::SourcePath;
using autoscale::test::TempDir;
using autoscale::test::WriteTextFile;
using json = nlohmann::json;

namespace {

const char kRec[] = "--input_shape=-1,3,48,-1";

// The sample det labels split in two files: lines [0, 5) and [5, 10).
void SplitLabels(const TempDir& dir) {
  std::ifstream in(SourcePath("data/samples/det_label.txt"));
  std::string line, first, second;
  for (int i = 0; std::getline(in, line); ++i) (i < 5 ? first : second) += line + "\n";
  WriteTextFile(dir / "a.txt", first);
  WriteTextFile(dir / "b.txt", second);
}

json Profile(const std::string& path) {
  json j = json::parse(ReadTextFile(path));
  j.erase("dataset");  // where it came from, not what it holds
  return j;
}

RunResult Stats(std::vector<std::string> args) {
  args.insert(args.begin(), "stats");
  args.push_back("--config");
  args.push_back(SourcePath("configs/auto_scaling.yaml"));
  return RunAutoscale(args);
}

}  // namespace

TEST_CASE("merge of two halves' profiles equals the profile of the whole", "[sources_cli]") {
  TempDir dir;
  SplitLabels(dir);
  for (const char* part : {"a", "b"}) {
    auto r = Stats({"-q", kRec, "--dataset_path", dir / (std::string(part) + ".txt"),
                    "--save_profile", dir / (std::string(part) + ".json")});
    REQUIRE(r.exit_code == 0);
  }
  REQUIRE(Stats({"-q", kRec, "--dataset_path", SourcePath("data/samples/det_label.txt"),
                 "--save_profile", dir / "whole.json"})
              .exit_code == 0);
  auto r = RunAutoscale({"merge", dir / "a.json", dir / "b.json", "-o", dir / "merged.json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("merged 2 profiles"));
  CHECK_THAT(r.out, Catch::Contains("98 boxes"));
  CHECK(Profile(dir / "merged.json") == Profile(dir / "whole.json"));
  const json merged = json::parse(ReadTextFile(dir / "merged.json"));
  CHECK(merged["dataset"]["images"] == 10);
  CHECK(merged["dataset"]["boxes"] == 98);

  // Both halves given to stats at once: the same gears as the whole.
  auto both = Stats({kRec, "--dataset_path", dir / "a.txt", "--dataset_path", dir / "b.txt",
                     "--json", dir / "both.json", "--save_profile", dir / "both_profile.json"});
  auto whole = Stats({kRec, "--profile", dir / "whole.json", "--json", dir / "whole_out.json"});
  REQUIRE(both.exit_code == 0);
  REQUIRE(whole.exit_code == 0);
  const json b = json::parse(ReadTextFile(dir / "both.json"));
  const json w = json::parse(ReadTextFile(dir / "whole_out.json"));
  CHECK(b["gears"] == w["gears"]);
  CHECK(b["evaluation"] == w["evaluation"]);
  // --save_profile writes the merged profile.
  CHECK(Profile(dir / "both_profile.json") == Profile(dir / "whole.json"));
}

TEST_CASE("datasets and profiles mix, and the JSON lists each source with its counts",
          "[sources_cli]") {
  TempDir dir;
  SplitLabels(dir);
  REQUIRE(Stats({"-q", kRec, "--dataset_path", dir / "b.txt", "--save_profile", dir / "b.json"})
              .exit_code == 0);
  auto r =
      Stats({kRec, "--profile", dir / "b.json", "--dataset_path", dir / "a.txt", "--dataset_path",
             SourcePath("data/samples/icdar_gt"), "--json", dir / "out.json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("3 sources merged:"));
  const json j = json::parse(ReadTextFile(dir / "out.json"));
  const json& s = j["sources"];
  REQUIRE(s.size() == 3);
  // Datasets first, then profiles, each in the order given.
  CHECK(s[0]["kind"] == "dataset");
  CHECK(s[0]["path"] == dir / "a.txt");
  CHECK(s[0]["images"] == 5);
  CHECK(s[1]["type"] == "icdar");
  CHECK(s[2]["kind"] == "profile");
  CHECK(s[2]["path"] == dir / "b.json");
  CHECK(s[2]["images"] == 5);
  uint64_t boxes = 0;
  for (const json& source : s) boxes += source["boxes"].get<uint64_t>();
  CHECK(j["dataset"]["boxes"] == boxes);
  CHECK(j["dataset"]["type"] == "mixed");
  CHECK(j["profile"]["samples"] == boxes);

  // A profile of another shape names its file and nothing is written.
  REQUIRE(Stats({"-q", "--input_shape=-1,3,32,-1", "--dataset_path", dir / "a.txt",
                 "--save_profile", dir / "h32.json"})
              .exit_code == 0);
  auto bad = Stats({kRec, "--profile", dir / "b.json", "--profile", dir / "h32.json", "--json",
                    dir / "bad.json"});
  CHECK(bad.exit_code != 0);
  CHECK_THAT(bad.err, Catch::Contains("h32.json"));
  CHECK(!std::filesystem::exists(dir / "bad.json"));
}

TEST_CASE("merge refuses profiles of another shape or limit_side_len with exit 2",
          "[sources_cli]") {
  TempDir dir;
  const std::string images = SourcePath("data/samples/images/receipts");
  const std::string det = "--input_shape=1,3,-1,-1";
  REQUIRE(
      Stats({"-q", det, "--dataset_path", images, "--save_profile", dir / "a.json"}).exit_code ==
      0);
  REQUIRE(Stats({"-q", det, "--dataset_path", images, "--set", "limit_side_len=960",
                 "--save_profile", dir / "b.json"})
              .exit_code == 0);
  auto r = RunAutoscale({"merge", dir / "a.json", dir / "b.json", "-o", dir / "m.json"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("b.json: built with limit_side_len 960, not 1280"));
  CHECK(!std::filesystem::exists(dir / "m.json"));
  REQUIRE(Stats({"-q", kRec, "--dataset_path", SourcePath("data/samples/det_label.txt"),
                 "--save_profile", dir / "rec.json"})
              .exit_code == 0);
  r = RunAutoscale({"merge", dir / "a.json", dir / "rec.json", "-o", dir / "m.json"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("rec.json: built for input shape -1,3,48,-1"));
  // A file that is no profile cannot be read: exit 1, naming it.
  WriteTextFile(dir / "junk.json", "{}");
  r = RunAutoscale({"merge", dir / "a.json", dir / "junk.json", "-o", dir / "m.json"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("junk.json"));
  CHECK(RunAutoscale({"merge", dir / "a.json"}).exit_code == 2);  // no -o
}

TEST_CASE("stats --gears on a conversion's gears reproduces that conversion's evaluation",
          "[sources_cli]") {
  TempDir dir;
  const std::string labels = SourcePath("data/samples/det_label.txt");
  auto c =
      RunAutoscale({"convert", "-q", "--model_path", autoscale::test::SampleModelPath(), kRec,
                    "--dataset_path", labels, "--output_path", dir / "out", "--json",
                    dir / "convert.json", "--config", SourcePath("configs/auto_scaling.yaml")});
  INFO(c.err);
  REQUIRE(c.exit_code == 0);
  const json converted = json::parse(ReadTextFile(dir / "convert.json"));
  for (const char* file : {"gears.json", "scaling_data.json"}) {
    INFO(file);
    auto r = Stats({kRec, "--dataset_path", labels, "--gears", dir / "out/" + file, "--json",
                    dir / "judged.json", "--report", dir / "judged.html"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("strategy gears_file"));
    CHECK_THAT(r.out, Catch::Contains("gears_file (chosen)"));
    const json j = json::parse(ReadTextFile(dir / "judged.json"));
    CHECK(j["strategy"] == "gears_file");
    CHECK(j["gears_file"]["format"] ==
          (std::string(file) == "gears.json" ? "gears.json" : "scaling_data.json"));
    CHECK(j["gears"] == converted["gears"]);
    CHECK(j["evaluation"] == converted["evaluation"]);
    CHECK(j["shrink"]["shrunk"] == 0);
    CHECK(std::filesystem::file_size(dir / "judged.html") > 0);
  }
}

TEST_CASE("stats --gears flags the samples no gear holds and how much they shrink",
          "[sources_cli]") {
  TempDir dir;
  // Two widths only, the largest 256: every wider box is shrunk.
  WriteTextFile(dir / "small.yaml", "batch_size: [1, 8]\nwidth: [128, 256]\n");
  auto r = Stats({kRec, "--dataset_path", SourcePath("data/samples/det_label.txt"), "--gears",
                  dir / "small.yaml", "--json", dir / "out.json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("not held by any gear:"));
  const json j = json::parse(ReadTextFile(dir / "out.json"));
  CHECK(j["gears"]["width"] == json({128, 256}));
  CHECK(j["gears"]["batch_size"] == json({1, 8}));
  const json& s = j["shrink"];
  CHECK(s["shrunk"].get<uint64_t>() > 0);
  CHECK(s["shrunk"] == j["evaluation"]["cost"]["shrunk"]);
  CHECK(s["min_scale"].get<double>() < 1);
  CHECK(s["min_scale"].get<double>() <= s["mean_scale"].get<double>());
  CHECK(s["worst"][0]["w"].get<int64_t>() > 256);

  // A list of shapes is read too; a shape against a fixed dim names the file and line.
  WriteTextFile(dir / "list.json", "[[1, 3, 48, 320], [4, 3, 48, 640]]");
  CHECK(Stats({"-q", kRec, "--dataset_path", SourcePath("data/samples/det_label.txt"), "--gears",
               dir / "list.json"})
            .exit_code == 0);
  WriteTextFile(dir / "wrong.yaml", "- [1, 3, 48, 320]\n- [1, 3, 32, 320]\n");
  auto bad = Stats({kRec, "--dataset_path", SourcePath("data/samples/det_label.txt"), "--gears",
                    dir / "wrong.yaml", "--json", dir / "bad.json"});
  CHECK(bad.exit_code == 1);
  CHECK_THAT(bad.err, Catch::Contains("wrong.yaml:2: gear [1, 3, 32, 320]: H is fixed at 48"));
  CHECK(!std::filesystem::exists(dir / "bad.json"));
  // --gears needs data to judge the gears on.
  auto none = Stats({kRec, "--gears", dir / "small.yaml"});
  CHECK(none.exit_code == 2);
  CHECK_THAT(none.err, Catch::Contains("--gears needs"));
}

TEST_CASE("stats --holdout judges the gears on the held-out images, the same for the same seed",
          "[sources_cli]") {
  TempDir dir;
  const std::string labels = SourcePath("data/samples/det_label.txt");
  auto run = [&](const std::string& seed, const std::string& out) {
    return Stats(
        {kRec, "--dataset_path", labels, "--holdout", "0.25", "--seed", seed, "--json", dir / out});
  };
  auto a = run("5", "a.json");
  INFO(a.err);
  REQUIRE(a.exit_code == 0);
  CHECK_THAT(a.out, Catch::Contains("holdout 25.0% (seed 5): gears chosen on"));
  REQUIRE(run("5", "b.json").exit_code == 0);
  const json ja = json::parse(ReadTextFile(dir / "a.json"));
  const json jb = json::parse(ReadTextFile(dir / "b.json"));
  CHECK(ja == jb);
  const json& h = ja["holdout"];
  CHECK(h["fraction"] == 0.25);
  CHECK(h["seed"] == 5);
  const uint64_t kept = h["chosen_on"]["samples"], held = h["judged_on"]["samples"];
  CHECK(kept + held == 98);
  CHECK(h["chosen_on"]["images"].get<uint64_t>() + h["judged_on"]["images"].get<uint64_t>() == 10);
  CHECK(held > 0);
  // The evaluation is on the held-out part; the gears' own part is beside it.
  CHECK(ja["evaluation"]["cost"]["calls"].get<uint64_t>() <= held);
  CHECK(h["chosen_on_evaluation"]["cost"]["coverage"] == 1.0);
  CHECK(ja["shrink"]["samples"] == held);
  // Savings are against the static shape of the judged part, as its row shows.
  CHECK(ja["comparison"]["static"]["cost"]["saving_vs_static"] == 0.0);

  // Another seed draws another split.
  bool differs = false;
  for (const char* seed : {"1", "2", "3", "4"}) {
    REQUIRE(run(seed, "c.json").exit_code == 0);
    const json jc = json::parse(ReadTextFile(dir / "c.json"));
    differs = differs || jc["holdout"]["chosen_on_evaluation"] != h["chosen_on_evaluation"];
  }
  CHECK(differs);
  // The report is on the held-out part and says so.
  REQUIRE(Stats({"-q", kRec, "--dataset_path", labels, "--holdout", "0.25", "--seed", "5",
                 "--report", dir / "r.html"})
              .exit_code == 0);
  CHECK_THAT(ReadTextFile(dir / "r.html"), Catch::Contains("held-out 25.0%, seed 5"));

  // A share too small for the data leaves nothing to judge: one line, exit 1.
  auto empty = Stats({kRec, "--dataset_path", labels, "--holdout", "0.01"});
  CHECK(empty.exit_code == 1);
  CHECK_THAT(empty.err, Catch::Contains("--holdout 0.01 leaves nothing to judge them on"));

  auto bad = Stats({kRec, "--dataset_path", labels, "--holdout", "1.5"});
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Catch::Contains("--holdout"));
}

TEST_CASE("convert --gears converts to the given gears, checked as chosen ones are",
          "[sources_cli]") {
  TempDir dir;
  WriteTextFile(dir / "gears.yaml", "batch_size: [1, 8]\nwidth: [128, 320]\n");
  WriteTextFile(dir / "off.yaml", "batch_size: [1, 8]\nwidth: [100, 320]\n");
  auto convert = [&](const std::string& gears, const std::string& out) {
    return RunAutoscale({"convert", "-q", "--model_path", autoscale::test::SampleModelPath(), kRec,
                         "--dataset_path", SourcePath("data/samples/det_label.txt"), "--gears",
                         dir / gears, "--output_path", dir / out, "--config",
                         SourcePath("configs/auto_scaling.yaml")});
  };
  auto r = convert("gears.yaml", "ok");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const json scaling = json::parse(ReadTextFile(dir / "ok/scaling_data.json"));
  CHECK(scaling["dyn_input1"] == json::parse("[[1,3,48,128],[1,3,48,320]]"));
  CHECK(scaling["dyn_input2"] == json::parse("[[8,3,48,128],[8,3,48,320]]"));
  auto off = convert("off.yaml", "off");
  CHECK(off.exit_code == 1);
  CHECK_THAT(off.err, Catch::Contains("--gears " + dir / "off.yaml" + ": "));
  CHECK_THAT(off.err, Catch::Contains("100"));
  CHECK(!std::filesystem::exists(dir / "off/gears.json"));
}

TEST_CASE("a jobs file lists several datasets for one job", "[sources_cli]") {
  TempDir dir;
  SplitLabels(dir);
  WriteTextFile(dir / "jobs.yaml",
                "jobs:\n"
                "  - name: rec\n"
                "    model_path: " +
                    autoscale::test::SampleModelPath() +
                    "\n"
                    "    input_shape: -1,3,48,-1\n"
                    "    dataset_path: [a.txt, b.txt]\n"
                    "    json: rec.json\n"
                    "    output_path: out\n");
  auto r = RunAutoscale({"run", dir / "jobs.yaml"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  const json j = json::parse(ReadTextFile(dir / "rec.json"));
  REQUIRE(j["sources"].size() == 2);
  CHECK(j["sources"][0]["path"] == dir / "a.txt");
  CHECK(j["sources"][1]["path"] == dir / "b.txt");
  CHECK(j["dataset"]["boxes"] == 98);
}
