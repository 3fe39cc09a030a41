// End-to-end tests of `autoscale stats` on inputs that are not plain files
// and folders: standard input, pipes.
#include <catch2/catch.hpp>
#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "support/run_binary.h"

using autoscale::test::BinaryPath;
using autoscale::test::ReadTextFile;
using autoscale::test::RunAutoscale;
using autoscale::test::RunProgram;
using autoscale::test::SourcePath;
using autoscale::test::TempDir;

namespace {

// A shell command line word.
std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

TEST_CASE("stats reads a det label file piped into standard input", "[stats_input_cli]") {
  TempDir dir;
  const std::string labels = SourcePath("data/samples/det_label.txt");
  for (const char* type : {"det_labels", "auto"}) {
    INFO(type);
    const std::string command =
        "cat " + Quote(labels) + " | " + Quote(BinaryPath("bin/autoscale")) +
        " stats --dataset_path - --dataset_type " + type +
        " --input_shape=-1,3,48,-1 --quiet --json " + Quote(dir / "stdin.json");
    auto r = RunProgram({"/bin/sh", "-c", command});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    auto piped = nlohmann::json::parse(ReadTextFile(dir / "stdin.json"));
    auto direct = RunAutoscale({"stats", "--dataset_path", labels, "--input_shape=-1,3,48,-1",
                                "--quiet", "--json", dir / "file.json"});
    REQUIRE(direct.exit_code == 0);
    auto file = nlohmann::json::parse(ReadTextFile(dir / "file.json"));
    CHECK(piped["dataset"]["path"] == "-");
    CHECK(piped["dataset"]["images"] == 10);
    CHECK(piped["dataset"]["boxes"] == 98);
    CHECK(piped["gears"] == file["gears"]);
    CHECK(piped["evaluation"] == file["evaluation"]);
  }
  // An image folder cannot come through a pipe: one line saying so.
  auto r =
      RunProgram({"/bin/sh", "-c",
                  "echo x | " + Quote(BinaryPath("bin/autoscale")) +
                      " stats --dataset_path - --dataset_type images --input_shape=1,3,-1,-1"});
  CHECK(r.exit_code != 0);
  CHECK_THAT(r.err, Catch::Contains("standard input can only hold a det label file"));
}

TEST_CASE("a tampered profile is refused with one line naming the key, exit 2",
          "[stats_input_cli]") {
  TempDir dir;
  auto saved =
      RunAutoscale({"stats", "--dataset_path", SourcePath("data/samples/det_label.txt"),
                    "--input_shape=-1,3,48,-1", "--quiet", "--save_profile", dir / "p.json"});
  REQUIRE(saved.exit_code == 0);
  const nlohmann::json good = nlohmann::json::parse(ReadTextFile(dir / "p.json"));
  nlohmann::json fractional = good, negative = good, huge = good, disagree = good;
  fractional["joint"][0][2] = 99.5;
  negative["dataset"]["images"] = -1;
  huge["joint"][0][1] = uint64_t{1} << 50;
  disagree["samples"] = good["samples"].get<int>() + 1;
  for (const auto& [tampered, key] :
       std::vector<std::pair<nlohmann::json, std::string>>{{fractional, "joint[0][2]"},
                                                           {negative, "dataset.images"},
                                                           {huge, "joint[0][1]"},
                                                           {disagree, "samples"}}) {
    INFO(key);
    autoscale::test::WriteTextFile(dir / "t.json", tampered.dump());
    auto r = RunAutoscale({"stats", "--profile", dir / "t.json", "--json", dir / "out.json"});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("key '" + key + "'"));
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK_FALSE(std::filesystem::exists(dir / "out.json"));
  }
  // The untouched profile still loads.
  auto r = RunAutoscale({"stats", "--profile", dir / "p.json", "--quiet"});
  CHECK(r.exit_code == 0);
}

TEST_CASE("samples no gear can hold: a warning, and no saving claimed", "[stats_input_cli]") {
  TempDir dir;
  auto r = RunAutoscale({"stats", "--dataset_path", SourcePath("data/samples/det_label.txt"),
                         "--input_shape=1,3,1048576,-1", "--json", dir / "out.json", "--report",
                         dir / "r.html"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("saving vs one static shape n/a"));
  CHECK_THAT(r.out, Catch::Contains("warning: 98 of 98 samples are larger in model space"));
  // Every comparison line ends with n/a instead of a saving.
  std::istringstream lines(r.out.substr(r.out.find("comparison at the same budget")));
  std::string line;
  std::getline(lines, line);
  int compared = 0;
  while (std::getline(lines, line) && line.rfind("  ", 0) == 0) {
    CHECK_THAT(line, Catch::EndsWith(", n/a"));
    ++compared;
  }
  CHECK(compared == 4);
  auto j = nlohmann::json::parse(ReadTextFile(dir / "out.json"));
  CHECK(j["samples_beyond_gears"] == 98);
  REQUIRE(j["warnings"].size() == 1);
  // The JSON and the report claim no saving either.
  CHECK(j["evaluation"]["cost"]["saving_vs_static"].is_null());
  for (const auto& [name, row] : j["comparison"].items())
    if (row.contains("cost")) CHECK(row["cost"]["saving_vs_static"].is_null());
  const std::string html = ReadTextFile(dir / "r.html");
  CHECK_THAT(html, Catch::Contains("id=\"figure-warnings\""));
  CHECK_THAT(html, Catch::Contains("<td>n/a</td>"));
  CHECK_THAT(html, Catch::Contains("<div class=\"card-value\">n/a</div>"));
  // A sensible shape: nothing beyond the gears, no warning, a saving shown.
  r = RunAutoscale({"stats", "--dataset_path", SourcePath("data/samples/det_label.txt"),
                    "--input_shape=-1,3,48,-1", "--json", dir / "out.json"});
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, !Catch::Contains("warning:"));
  CHECK_THAT(r.out, !Catch::Contains("n/a"));
  j = nlohmann::json::parse(ReadTextFile(dir / "out.json"));
  CHECK(j["samples_beyond_gears"] == 0);
  CHECK(j["evaluation"]["cost"]["saving_vs_static"].is_number());
  CHECK(j["warnings"].empty());
}

TEST_CASE("too few batch_choices under optimal names batch_choices", "[stats_input_cli]") {
  auto r = RunAutoscale({"stats", "--dataset_path", SourcePath("data/samples/det_label.txt"),
                         "--input_shape=-1,3,48,320", "--set", "batch_choices=[7]"});
  CHECK(r.exit_code != 0);
  CHECK_THAT(r.err, Catch::Contains("key 'batch_choices'"));
  CHECK_THAT(r.err, !Catch::Contains("max_batch_num"));
}

TEST_CASE("broken and looping links are counted in skipped", "[stats_input_cli]") {
  TempDir dir;
  namespace fs = std::filesystem;
  fs::create_directories(dir / "images");
  fs::copy_file(SourcePath("data/samples/images/scenes/s01.jpg"), dir / "images/a.jpg");
  fs::create_symlink("nowhere.jpg", dir / "images/broken.jpg");
  fs::create_symlink("loop.jpg", dir / "images/loop.jpg");
  auto r = RunAutoscale({"stats", "--dataset_path", dir / "images", "--input_shape=1,3,-1,-1",
                         "--json", dir / "out.json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("1 broken links"));
  CHECK_THAT(r.out, Catch::Contains("1 looping links"));
  auto j = nlohmann::json::parse(ReadTextFile(dir / "out.json"));
  CHECK(j["dataset"]["skipped"]["broken_link"] == 1);
  CHECK(j["dataset"]["skipped"]["link_loop"] == 1);
  CHECK(j["dataset"]["skipped"]["path_too_long"] == 0);
}
