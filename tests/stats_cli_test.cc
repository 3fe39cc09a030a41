// End-to-end tests of `autoscale stats` on data/samples.
#include <catch2/catch.hpp>
#include <filesystem>
#include <set>
#include <sstream>
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
  // Cost as the runtime's router splits each image: the documented keys,
  // and no independent batch/width overhead.
  const auto& cost = j["evaluation"]["cost"];
  for (const char* k : {"total", "unit", "calls", "per_image", "per_box", "padding",
                        "saving_vs_static", "coverage", "shrunk"}) {
    INFO(k);
    CHECK(cost.contains(k));
  }
  CHECK(cost["unit"] == "px");
  CHECK(cost["total"].get<double>() > 0);
  CHECK(cost["per_box"].get<double>() == Approx(cost["total"].get<double>() / 98));
  CHECK(cost["per_image"].get<double>() == Approx(cost["total"].get<double>() / 10));
  CHECK_FALSE(j["evaluation"].contains("batch"));
  for (const char* d : {"width", "hw"}) {
    INFO(d);
    REQUIRE(j["evaluation"].contains(d));
    CHECK(j["evaluation"][d].contains("coverage"));
    CHECK_FALSE(j["evaluation"][d].contains("overhead"));
  }
  double gear_total = 0;
  uint64_t gear_runs = 0;
  for (const auto& g : j["evaluation"]["gear_cost"]) {
    gear_total += g["cost"].get<double>();
    gear_runs += g["runs"].get<uint64_t>();
  }
  CHECK(gear_total == Approx(cost["total"].get<double>()));
  CHECK(gear_runs == cost["calls"].get<uint64_t>());
  CHECK(j["profile"]["format"] == "autoscale-profile");
  CHECK(j["profile"]["image_boxes"].size() == 10);
  for (const char* s : {"mean_std", "max_min", "optimal", "static"}) {
    INFO(s);
    REQUIRE(j["comparison"].contains(s));
    CHECK(j["comparison"][s]["cost"].contains("total"));
    CHECK_FALSE(j["comparison"][s].contains("gear_cost"));
  }
  CHECK(j["comparison"]["optimal"]["cost"] == cost);
  CHECK(j["comparison"]["static"]["cost"]["saving_vs_static"] == 0.0);
  CHECK(j["comparison"]["static"]["cost"]["total"].get<double>() ==
        Approx(cost["total"].get<double>() / (1 - cost["saving_vs_static"].get<double>())));
  // The summary shows the cost and the comparison in cost terms.
  CHECK_THAT(r.out, Catch::Contains("cost on the dataset (px, call overhead 15360 px)"));
  CHECK_THAT(r.out, Catch::Contains("static "));
  // Where more gears stop paying: one point per gear count up to the budget,
  // never rising, the last no dearer than the chosen gears.
  const auto& curve = j["cost_curve"];
  REQUIRE(curve.size() == 100u);  // max_scaling_num in the shipped config
  for (size_t k = 1; k < curve.size(); ++k) {
    CHECK(curve[k]["gears"] == k + 1);
    CHECK(curve[k]["cost"].get<double>() <= curve[k - 1]["cost"].get<double>());
  }
  CHECK(curve.back()["cost"].get<double>() <= cost["total"].get<double>() * (1 + 1e-9));
  CHECK(j["cost_model"]["kind"] == "pixels");
}

TEST_CASE("stats on the sample image folder counts the non-image file", "[stats_cli]") {
  TempDir dir;
  auto r = RunAutoscale({"stats", "--data_path", SourcePath("data/samples/images"), "--input-shape",
                         "1,3,-1,-1", "--json", dir / "out.json"});
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
  struct Case {
    std::vector<std::string> args;
    const char* message;
  };
  const std::string shape = "--input_shape=-1,3,48,-1";
  const std::vector<Case> cases = {
      {{"stats", "--dataset_path", dir / "nope", shape}, "nope"},
      {{"stats", "--dataset_path", dir / "empty", "--input_shape=1,3,-1,-1"}, "empty"},
      {{"stats", "--dataset_path", dir / "bad_labels.txt", shape}, "bad_labels.txt"},
      {{"stats", "--dataset_path", SourcePath("data/samples/det_label.txt"),
        "--input_shape=1,3,48"},
       "--input_shape"},
      {{"stats", "--input_shape=1,-1,48,-1"}, "channel"},
      {{"stats", shape, "--config", dir / "bad.yaml"}, "intervall"},
      {{"stats", shape, "--config", dir / "missing.yaml"}, "missing.yaml"},
      {{"stats", shape, "--set", "interval=x"}, "interval"},
      {{"stats", "--dataset_path", SourcePath("data/samples/det_label.txt")}, "--input_shape"},
      {{"stats", shape, "--bogus"}, "bogus"},
      {{"stats", shape, "--dataset_type", "voc", "--dataset_path", dir / "empty"}, "voc"},
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

TEST_CASE("stats --cost_plan lists the shapes to measure, and filled in it is a cost table",
          "[stats_cli]") {
  TempDir dir;
  const std::string labels = SourcePath("data/samples/det_label.txt");
  auto r = RunAutoscale({"stats", "--dataset_path", labels, "--input_shape=-1,3,48,-1", "-q",
                         "--cost_plan", dir / "plan.csv", "--json", dir / "px.json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const std::string plan = ReadTextFile(dir / "plan.csv");
  std::istringstream lines(plan);
  std::string line;
  std::getline(lines, line);
  CHECK(line == "batch,height,width");
  std::set<int64_t> batches, widths;
  std::string table = "batch,height,width,ms\n";
  while (std::getline(lines, line)) {
    int64_t b = 0, h = 0, w = 0;
    char c1 = 0, c2 = 0;
    std::istringstream row(line);
    REQUIRE((row >> b >> c1 >> h >> c2 >> w));
    CHECK(h == 48);
    CHECK(w % 32 == 0);
    batches.insert(b);
    widths.insert(w);
    // A device where a call costs 0.2 ms plus 1 ns per pixel.
    table += line + "," + std::to_string(0.2 + 1e-6 * static_cast<double>(b * h * w)) + "\n";
  }
  CHECK(batches == std::set<int64_t>{1, 4, 8, 16, 32, 64});  // batch_choices
  CHECK(widths.size() >= 2);
  CHECK(widths.size() <= 12);
  // The data's smallest and largest widths, as gears, are both listed.
  const auto px = nlohmann::json::parse(ReadTextFile(dir / "px.json"));
  const auto& w = px["profile"]["width"];
  CHECK(widths.count(((w["min"].get<int64_t>() + 31) / 32) * 32) == 1);
  CHECK(widths.count(((w["max"].get<int64_t>() + 31) / 32) * 32) == 1);

  WriteTextFile(dir / "costs.csv", table);
  r = RunAutoscale({"stats", "--dataset_path", labels, "--input_shape=-1,3,48,-1", "--cost_table",
                    dir / "costs.csv", "--json", dir / "ms.json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("cost on the dataset (ms, cost table"));
  const auto ms = nlohmann::json::parse(ReadTextFile(dir / "ms.json"));
  CHECK(ms["evaluation"]["cost"]["unit"] == "ms");
  CHECK(ms["comparison"]["static"]["cost"]["unit"] == "ms");
  CHECK(ms["evaluation"]["cost"]["total"].get<double>() > 0);
  // The table's fit and its error are shown: exact data, so the fit finds
  // the device's 0.2 ms per call and 1e-6 ms per pixel with no error.
  CHECK_THAT(r.out, Catch::Contains("shapes measured, others fitted as"));
  CHECK_THAT(r.out, Catch::Contains("(largest error 0.0%)"));
  const auto& fit = ms["cost_model"]["fit"];
  CHECK(ms["cost_model"]["kind"] == "table");
  CHECK(fit["a"].get<double>() + fit["b"].get<double>() == Approx(0.2).epsilon(1e-3));
  CHECK(fit["c"].get<double>() == Approx(1e-6).epsilon(1e-3));
  CHECK(fit["max_relative_error"].get<double>() < 1e-3);
  CHECK(px["cost_model"]["kind"] == "pixels");

  // optimal.batch_candidates=any: the powers of two up to 2048.
  r = RunAutoscale({"stats", "--dataset_path", labels, "--input_shape=-1,3,48,-1", "-q", "--set",
                    "optimal.batch_candidates=any", "--cost_plan", dir / "any.csv"});
  REQUIRE(r.exit_code == 0);
  const std::string any = ReadTextFile(dir / "any.csv");
  CHECK_THAT(any, Catch::Contains("\n2048,48,"));
  CHECK_THAT(any, Catch::Contains("\n128,48,"));
  CHECK_FALSE(Catch::Contains("\n3,48,").match(any));
}

TEST_CASE("a bad cost table is one line naming its file and line", "[stats_cli]") {
  TempDir dir;
  const std::string labels = SourcePath("data/samples/det_label.txt");
  WriteTextFile(dir / "bad.csv", "batch,height,width,ms\n1,48,320,1.5\n4,48,x,2\n");
  WriteTextFile(dir / "conf/c.yaml", "auto_scaling:\n  cost:\n    table: t.csv\n");
  WriteTextFile(dir / "conf/t.csv", "# measured\nbatch,height,width,ms\n1,48,320,-3\n");
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"--set", "cost.table=" + dir / "bad.csv"}, dir / "bad.csv:3:"},
      {{"--cost_table", dir / "bad.csv"}, dir / "bad.csv:3:"},
      // Relative to the config file that names it.
      {{"--config", dir / "conf/c.yaml"}, dir / "conf/t.csv:3:"},
      {{"--cost_table", dir / "none.csv"}, dir / "none.csv"},
      {{"--set", "cost.call_overhead=-5"}, "cost.call_overhead"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> args = {"stats",  "--dataset_path", labels, "--input_shape=-1,3,48,-1",
                                     "--json", dir / "out.json"};
    args.insert(args.end(), c.args.begin(), c.args.end());
    auto r = RunAutoscale(args);
    INFO(c.args.back() << " -> " << r.err);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains(c.message));
    CHECK(r.err.find('\n') == r.err.size() - 1);
    CHECK(r.out.empty());
    CHECK_FALSE(fs::exists(dir / "out.json"));
  }
}

TEST_CASE("names that are not UTF-8 are written to the JSON as U+FFFD", "[stats_cli]") {
  TempDir dir;
  const std::string bad = "\xff";
  const std::string replaced = "\xEF\xBF\xBD";
  // An image folder whose own name and one file's name are not UTF-8.
  const std::string images = dir / ("img" + bad);
  fs::create_directories(images);
  fs::copy(SourcePath("data/samples/images/words"), images);
  WriteTextFile(images + "/b" + bad + ".jpg", "x");
  auto r = RunAutoscale({"stats", "--dataset_path", images, "--input_shape=1,3,-1,-1", "--json",
                         dir / "images.json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const std::string text = ReadTextFile(dir / "images.json");
  auto j = nlohmann::json::parse(text);
  CHECK(j["dataset"]["skipped"]["corrupt"] == 1);
  CHECK_THAT(j["dataset"]["path"].get<std::string>(), Catch::Contains("img" + replaced));
  CHECK_THAT(text, Catch::Contains("b" + replaced + ".jpg"));

  // A bad ICDAR line whose quoted token is not UTF-8.
  const std::string gt = dir / "gt";
  fs::create_directories(gt);
  fs::copy(SourcePath("data/samples/icdar_gt"), gt);
  WriteTextFile(gt + "/gt_img_99.txt", "1,2," + bad + ",4,5,6,7,8,word\n");
  r = RunAutoscale(
      {"stats", "--dataset_path", gt, "--input_shape=-1,3,48,-1", "--json", dir / "icdar.json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  j = nlohmann::json::parse(ReadTextFile(dir / "icdar.json"));
  CHECK(j["dataset"]["skipped"]["bad_line"] == 1);
  CHECK_THAT(j["dataset"]["warnings"].dump(), Catch::Contains("'" + replaced + "'"));
}

TEST_CASE("optimal gears cost no more than the range strategies' at full coverage", "[stats_cli]") {
  TempDir dir;
  const std::string labels = SourcePath("data/samples/det_label.txt");
  const auto cost_of = [](const nlohmann::json& j, const char* name) {
    return j["comparison"][name]["cost"]["total"].get<double>();
  };
  const auto full = [](const nlohmann::json& j, const char* name) {
    return j["comparison"][name]["cost"]["coverage"].get<double>() == 1.0;
  };
  // A small gear budget: the range strategies pad more than the joint search.
  auto r = RunAutoscale({"stats", "--dataset_path", labels, "--input_shape=-1,3,48,-1", "-q",
                         "--set", "max_scaling_num=4", "--json", dir / "small.json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(ReadTextFile(dir / "small.json"));
  CHECK(j["gears"]["batch_size"].size() >= 2);
  for (const char* other : {"mean_std", "max_min"}) {
    INFO(other);
    if (full(j, other)) CHECK(cost_of(j, "optimal") <= 0.95 * cost_of(j, other));
  }
  // Free batch gears: at least 5% under both at the default budget.
  r = RunAutoscale({"stats", "--dataset_path", labels, "--input_shape=-1,3,48,-1", "-q", "--set",
                    "optimal.batch_candidates=any", "--set", "optimal.max_batch_num=12", "--json",
                    dir / "any.json"});
  REQUIRE(r.exit_code == 0);
  j = nlohmann::json::parse(ReadTextFile(dir / "any.json"));
  CHECK(j["comparison"]["optimal"]["cost"]["coverage"] == 1.0);
  for (const char* other : {"mean_std", "max_min"}) {
    INFO(other);
    CHECK(cost_of(j, "optimal") <= 0.95 * cost_of(j, other));
  }
}
