// End-to-end tests of `autoscale stats` on data/samples.
#include <catch2/catch.hpp>
#include <filesystem>
#include <set>
#include <nlohmann/json.hpp>

#include "support/run_binary.h"

using autoscale::test::ReadTextFile;
using autoscale::test::RunAutoscale;
using autoscale::test::SourcePath;
using autoscale::test::TempDir;
using autoscale::test::WriteTextFile;
namespace fs = std::filesystem;

TEST_CASE("stats on the sample det labels writes the documented JSON", "[stats_cli]") {
  TempDir dir;
  auto r = RunAutoscale({"stats", "--dataset_path", SourcePath("data/samples/det_label.txt"),
                         "--input_shape=-1,3,48,-1", "--json", dir / "out.json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("gears:"));
  CHECK_THAT(r.out, Catch::Contains("width"));
  auto j = nlohmann::json::parse(ReadTextFile(dir / "out.json"));
  CHECK(j["dataset"]["type"] == "det_labels");
  CHECK(j["dataset"]["images"] == 10);
  CHECK(j["dataset"]["boxes"] == 98);
  for (const char* k : {"non_image", "corrupt", "degenerate_box", "bad_line"})
    CHECK(j["dataset"]["skipped"].contains(k));
  CHECK(j["input_shape"] == "-1,3,48,-1");
  CHECK(j["gears"]["batch_size"].size() >= 2);
  CHECK(j["gears"]["width"].size() >= 2);
  CHECK(j["gears"]["height"].empty());
  // `width` lists every width any model uses: the shared pairs and each
  // batch gear's own.
  std::set<int64_t> widths;
  for (const auto& pair : j["gears"]["hw"]) {
    CHECK(pair[0] == 48);
    widths.insert(pair[1].get<int64_t>());
  }
  for (const auto& [batch, pairs] : j["gears"]["hw_per_batch"].items()) {
    INFO(batch);
    CHECK(pairs.size() <= 100);
    for (const auto& pair : pairs) widths.insert(pair[1].get<int64_t>());
  }
  CHECK(j["gears"]["width"] == nlohmann::json(std::vector<int64_t>(widths.begin(), widths.end())));
  for (const char* d : {"batch", "width", "hw"}) {
    INFO(d);
    REQUIRE(j["evaluation"].contains(d));
    CHECK(j["evaluation"][d].contains("coverage"));
    CHECK(j["evaluation"][d].contains("overhead"));
    CHECK(j["evaluation"][d].contains("saving_vs_static"));
  }
  CHECK(j["evaluation"]["batch"].contains("runs"));
  CHECK(j["profile"]["format"] == "autoscale-profile");
  for (const char* s : {"mean_std", "max_min", "static"}) CHECK(j["comparison"].contains(s));
}

TEST_CASE("stats on the sample image folder counts the non-image file", "[stats_cli]") {
  TempDir dir;
  auto r = RunAutoscale({"stats", "--data_path", SourcePath("data/samples/images"),
                         "--input-shape", "1,3,-1,-1", "--json", dir / "out.json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(ReadTextFile(dir / "out.json"));
  CHECK(j["dataset"]["type"] == "images");
  CHECK(j["dataset"]["images"] == 12);
  CHECK(j["dataset"]["skipped"]["non_image"] == 1);
  CHECK(j["gears"]["batch_size"].empty());
  CHECK(j["gears"]["hw"].size() >= 2);
  for (const auto& pair : j["gears"]["hw"]) {
    CHECK(pair[0].get<int>() % 32 == 0);
    CHECK(pair[1].get<int>() % 32 == 0);
    CHECK(pair[0].get<int>() <= 1280);
  }
}

TEST_CASE("the ICDAR gt folder gives the same profile as the det label file", "[stats_cli]") {
  TempDir dir;
  auto a = RunAutoscale({"stats", "--dataset_path", SourcePath("data/samples/det_label.txt"),
                         "--input_shape=-1,3,48,-1", "--quiet", "--save_profile", dir / "a.json"});
  auto b = RunAutoscale({"stats", "--dataset_path", SourcePath("data/samples/icdar_gt"),
                         "--input_shape=-1,3,48,-1", "--quiet", "--save_profile", dir / "b.json"});
  REQUIRE(a.exit_code == 0);
  REQUIRE(b.exit_code == 0);
  CHECK(a.out.empty());
  auto ja = nlohmann::json::parse(ReadTextFile(dir / "a.json"));
  auto jb = nlohmann::json::parse(ReadTextFile(dir / "b.json"));
  CHECK(jb["dataset"]["type"] == "icdar");
  CHECK(ja["joint"] == jb["joint"]);
  CHECK(ja["batch"] == jb["batch"]);
}

TEST_CASE("a saved profile gives the same gears as the dataset", "[stats_cli]") {
  TempDir dir;
  auto a = RunAutoscale({"stats", "--dataset_path", SourcePath("data/samples/det_label.txt"),
                         "--input_shape=-1,3,48,-1", "--save_profile", dir / "p.json", "--json",
                         dir / "a.json"});
  REQUIRE(a.exit_code == 0);
  auto b = RunAutoscale({"stats", "--profile", dir / "p.json", "--json", dir / "b.json"});
  INFO(b.err);
  REQUIRE(b.exit_code == 0);
  auto ja = nlohmann::json::parse(ReadTextFile(dir / "a.json"));
  auto jb = nlohmann::json::parse(ReadTextFile(dir / "b.json"));
  CHECK(ja["gears"] == jb["gears"]);
  CHECK(ja["evaluation"] == jb["evaluation"]);
  auto c = RunAutoscale({"stats", "--profile", dir / "p.json", "--input_shape", "1,3,-1,-1"});
  CHECK(c.exit_code != 0);
  CHECK_THAT(c.err, Catch::Contains("was built for input shape -1,3,48,-1"));
}

TEST_CASE("config overrides change the gears", "[stats_cli]") {
  TempDir dir;
  auto r = RunAutoscale({"stats", "--dataset_path", SourcePath("data/samples/det_label.txt"),
                         "--input_shape=1,3,48,-1", "--set", "strategy=max_min", "--set",
                         "max_scaling_num=3", "--set", "interval=16", "--json", dir / "o.json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(ReadTextFile(dir / "o.json"));
  CHECK(j["strategy"] == "max_min");
  CHECK(j["gears"]["width"].size() <= 3);
  for (const auto& w : j["gears"]["width"]) CHECK(w.get<int>() % 16 == 0);
  CHECK(j["gears"]["batch_size"].empty());
}

TEST_CASE("no dataset uses default_scaling, capped", "[stats_cli]") {
  TempDir dir;
  auto r = RunAutoscale({"stats", "--input_shape=1,3,-1,-1", "--json", dir / "o.json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(ReadTextFile(dir / "o.json"));
  CHECK(j["strategy"] == "default_scaling");
  CHECK(j["gears"]["hw"].size() <= 100);
  CHECK(j["gears"]["hw"].size() >= 2);
  CHECK(j["dataset"].is_null());
}

TEST_CASE("a static shape needs no gears", "[stats_cli]") {
  auto r = RunAutoscale({"stats", "--input_shape=1,3,48,192"});
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("static"));
}

TEST_CASE("bad input gives one clear line and a non-zero exit", "[stats_cli]") {
  TempDir dir;
  fs::create_directories(dir / "empty");
  WriteTextFile(dir / "empty/notes.txt", "not an image\n");
  WriteTextFile(dir / "bad_labels.txt", "a.jpg\t[not json\nb.jpg\t{}\n");
  WriteTextFile(dir / "bad.yaml", "auto_scaling:\n  intervall: 32\n");
  struct Case { std::vector<std::string> args; const char* message; };
  const std::string shape = "--input_shape=-1,3,48,-1";
  const std::vector<Case> cases = {
      {{"stats", "--dataset_path", dir / "nope", shape}, "nope"},
      {{"stats", "--dataset_path", dir / "empty", "--input_shape=1,3,-1,-1"}, "empty"},
      {{"stats", "--dataset_path", dir / "bad_labels.txt", shape}, "bad_labels.txt"},
      {{"stats", "--dataset_path", SourcePath("data/samples/det_label.txt"), "--input_shape=1,3,48"},
       "--input_shape"},
      {{"stats", "--input_shape=1,-1,48,-1"}, "channel"},
      {{"stats", shape, "--config", dir / "bad.yaml"}, "intervall"},
      {{"stats", shape, "--config", dir / "missing.yaml"}, "missing.yaml"},
      {{"stats", shape, "--set", "interval=x"}, "interval"},
      {{"stats", "--dataset_path", SourcePath("data/samples/det_label.txt")}, "--input_shape"},
      {{"stats", shape, "--bogus"}, "bogus"},
      {{"stats", shape, "--dataset_type", "lmdb", "--dataset_path", dir / "empty"}, "lmdb"},
  };
  for (const Case& c : cases) {
    auto r = RunAutoscale(c.args);
    INFO(c.args[c.args.size() - 1] << " -> " << r.err);
    CHECK(r.exit_code != 0);
    CHECK_THAT(r.err, Catch::Contains(c.message));
    // One line.
    CHECK(r.err.find('\n') == r.err.size() - 1);
    CHECK(r.out.empty());
  }
}

TEST_CASE("no output file is left behind when the run fails", "[stats_cli]") {
  TempDir dir;
  auto r = RunAutoscale({"stats", "--dataset_path", dir / "nope", "--input_shape=-1,3,48,-1",
                         "--json", dir / "o.json", "--save_profile", dir / "p.json"});
  CHECK(r.exit_code != 0);
  CHECK_FALSE(fs::exists(dir / "o.json"));
  CHECK_FALSE(fs::exists(dir / "p.json"));
}
