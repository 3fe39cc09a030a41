// End-to-end tests of what the command writes: devices, FIFOs and symbolic
// links as targets, "-" for stdout, outputs that would replace inputs or each
// other, output locations checked before any work, and control characters
// from file names kept off the terminal and out of the report.
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <future>
#include <nlohmann/json.hpp>

#include "support/run_binary.h"
#include "support/models.h"

using autoscale::test::ReadTextFile;
using autoscale::test::RunAutoscale;
using autoscale::test::RunResult;
using autoscale::test::SourcePath;
using autoscale::test::TempDir;
using autoscale::test::WriteTextFile;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> Stats(std::vector<std::string> more) {
  std::vector<std::string> args = {"stats", "--dataset_path",
                                   SourcePath("data/samples/det_label.txt"),
                                   "--input_shape=-1,3,48,-1"};
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

std::vector<std::string> Convert(const std::string& model, std::vector<std::string> more) {
  std::vector<std::string> args = {"convert",
                                   "--model_path",
                                   model,
                                   "--input_shape=-1,3,48,-1",
                                   "--dataset_path",
                                   SourcePath("data/samples/det_label.txt")};
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

mode_t TypeOf(const std::string& path) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0 ? (st.st_mode & S_IFMT) : 0;
}

size_t Lines(const std::string& s) { return std::count(s.begin(), s.end(), '\n'); }

}  // namespace

TEST_CASE("a FIFO given as --json receives the JSON and stays a FIFO", "[output_safety]") {
  TempDir dir;
  const std::string fifo = dir / "pipe";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  // Open for reading first, without blocking, so the command's open does not
  // wait; read while it writes (the JSON may be larger than a pipe holds).
  const int reader = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK);
  REQUIRE(reader >= 0);
  auto run = std::async(std::launch::async, [&] {
    return RunAutoscale(Stats({"--json", fifo, "--quiet"}));
  });
  std::string got;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  bool finished = false;
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p = {reader, POLLIN, 0};
    ::poll(&p, 1, 100);
    char buf[1 << 16];
    for (ssize_t n; (n = ::read(reader, buf, sizeof buf)) > 0;) got.append(buf, n);
    if (finished) break;
    // One more pass after the command is done drains what it left.
    finished = run.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
  }
  ::close(reader);
  const RunResult r = run.get();
  INFO(r.err);
  CHECK(r.exit_code == 0);
  REQUIRE_FALSE(got.empty());  // nothing arrives when the FIFO is replaced
  CHECK(nlohmann::json::parse(got)["input_shape"] == "-1,3,48,-1");
  CHECK(TypeOf(fifo) == S_IFIFO);
  CHECK(fs::directory_iterator(dir.path()) != fs::directory_iterator());
  CHECK(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()) == 1);
}

TEST_CASE("a character device given as an output is written, not replaced", "[output_safety]") {
  if (::geteuid() != 0) {
    WARN("not root: mknod needs root, the character device case is skipped");
    return;
  }
  TempDir dir;
  const std::string null = dir / "null";
  REQUIRE(::mknod(null.c_str(), S_IFCHR | 0666, makedev(1, 3)) == 0);  // as /dev/null
  auto r =
      RunAutoscale(Stats({"--json", null, "--report", null, "--save_profile", null, "--quiet"}));
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(TypeOf(null) == S_IFCHR);
  CHECK(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()) == 1);
}

TEST_CASE("a symbolic link given as an output is followed to its target", "[output_safety]") {
  TempDir dir;
  WriteTextFile(dir / "real.html", "old");
  fs::create_symlink("real.html", dir / "report.html");
  fs::create_symlink(dir / "later.json", dir / "profile.json");  // nothing there yet
  auto r = RunAutoscale(
      Stats({"--report", dir / "report.html", "--save_profile", dir / "profile.json", "--quiet"}));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(TypeOf(dir / "report.html") == S_IFLNK);
  CHECK_THAT(ReadTextFile(dir / "real.html"), Catch::StartsWith("<!DOCTYPE html>"));
  CHECK(TypeOf(dir / "profile.json") == S_IFLNK);
  CHECK(nlohmann::json::parse(ReadTextFile(dir / "later.json")).contains("joint"));
}

TEST_CASE("'-' writes an output to stdout and the summary to stderr", "[output_safety]") {
  TempDir dir;
  SECTION("stats --json -") {
    auto r = RunAutoscale(Stats({"--json", "-"}));
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(nlohmann::json::parse(r.out)["input_shape"] == "-1,3,48,-1");
    CHECK_THAT(r.err, Catch::Contains("gears:"));
  }
  SECTION("stats --save_profile -") {
    auto r = RunAutoscale(Stats({"--save_profile", "-", "--json", dir / "a.json"}));
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(nlohmann::json::parse(r.out).contains("joint"));
    CHECK(fs::is_regular_file(dir / "a.json"));
  }
  SECTION("stats --report - --quiet") {
    auto r = RunAutoscale(Stats({"--report", "-", "--quiet"}));
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::StartsWith("<!DOCTYPE html>"));
    CHECK(r.err.empty());
  }
  SECTION("stats --json /dev/stdout --quiet") {
    auto r = RunAutoscale(Stats({"--json", "/dev/stdout", "--quiet"}));
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(nlohmann::json::parse(r.out)["input_shape"] == "-1,3,48,-1");
  }
  SECTION("two outputs on stdout are refused") {
    auto r = RunAutoscale(Stats({"--json", "-", "--report", "-"}));
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err ==
          "autoscale stats: --json and --report both write to standard output (-); give one a "
          "file\n");
  }
  SECTION("convert --json -") {
    auto r = RunAutoscale(
        Convert(autoscale::test::SampleModelPath(), {"--output_path", dir / "out", "--json", "-"}));
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(nlohmann::json::parse(r.out)["convert"]["ok"] == true);
    CHECK_THAT(r.err, Catch::Contains("models converted"));
  }
  SECTION("run --json -") {
    WriteTextFile(dir / "jobs.yaml",
                  "defaults:\n  model_path: " + autoscale::test::SampleModelPath() +
                      "\n  output_path: out\njobs:\n  - name: rec\n"
                      "    input_shape: -1,3,48,-1\n");
    auto r = RunAutoscale({"run", dir / "jobs.yaml", "--json", "-"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(nlohmann::json::parse(r.out)["ok"] == true);
    CHECK_THAT(r.err, Catch::Contains("1 of 1 jobs ok"));
  }
}

TEST_CASE("stats: an output that is an input or another output is refused before any work",
          "[output_safety]") {
  TempDir dir;
  const std::string labels = dir / "labels.txt";
  fs::copy_file(SourcePath("data/samples/det_label.txt"), labels);
  fs::create_directories(dir / "sub");
  const std::string before = ReadTextFile(labels);
  std::vector<std::string> args;
  std::string expected;
  SECTION("--json is the dataset, by another path") {
    args = {"--json", dir / "sub/../labels.txt"};
    expected = "--json " + dir / "sub/../labels.txt" + " is the input --dataset_path " + labels +
               "; writing it would replace it";
  }
  SECTION("--save_profile is the dataset through a link") {
    fs::create_symlink(labels, dir / "link.txt");
    args = {"--save_profile", dir / "link.txt"};
    expected = "--save_profile " + dir / "link.txt" + " is the input --dataset_path " + labels +
               "; writing it would replace it";
  }
  SECTION("--json and --report are one file") {
    args = {"--json", dir / "out.json", "--report", dir / "./out.json"};
    expected = "--json " + dir / "out.json" + " and --report " + dir / "./out.json" +
               " are the same file; give each output its own";
  }
  SECTION("--json in a folder that does not exist") {
    args = {"--json", dir / "nowhere/out.json"};
    expected =
        "--json " + dir / "nowhere/out.json" + ": folder " + dir / "nowhere" + " does not exist";
  }
  SECTION("--report is a folder") {
    args = {"--report", dir / "sub"};
    expected = "--report " + dir / "sub" + ": is a folder, not a file";
  }
  std::vector<std::string> all = {"stats", "--dataset_path", labels, "--input_shape=-1,3,48,-1"};
  all.insert(all.end(), args.begin(), args.end());
  auto r = RunAutoscale(all);
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK(r.err == "autoscale stats: " + expected + "\n");
  CHECK(ReadTextFile(labels) == before);
  CHECK_FALSE(fs::exists(dir / "out.json"));
}

TEST_CASE("convert: outputs over the model or the output folder's files are refused first",
          "[output_safety]") {
  TempDir dir;
  const std::string model = dir / "rec.onnx";
  fs::copy_file(autoscale::test::SampleModelPath(), model);
  const std::string out = dir / "out";
  std::vector<std::string> args;
  std::string expected;
  SECTION("--report on gears.json in the output folder") {
    fs::create_directories(out);
    WriteTextFile(out + "/gears.json", "keep");
    args = {"--report", out + "/gears.json"};
    expected = "--report " + out +
               "/gears.json would replace gears.json, which the conversion "
               "writes in --output_path " +
               out + "; choose another name";
  }
  SECTION("--json on a model file the conversion writes") {
    args = {"--json", out + "/rec_dynamic_bs48_hw.onnx"};
    expected = "--json " + out +
               "/rec_dynamic_bs48_hw.onnx would replace rec_dynamic_bs48_hw.onnx, "
               "which the conversion writes in --output_path " +
               out + "; choose another name";
  }
  SECTION("--json is the model") {
    args = {"--json", model};
    expected =
        "--json " + model + " is the input --model_path " + model + "; writing it would replace it";
  }
  SECTION("--report in a folder that does not exist: found before any model is written") {
    args = {"--report", dir / "nowhere/r.html"};
    expected =
        "--report " + dir / "nowhere/r.html" + ": folder " + dir / "nowhere" + " does not exist";
  }
  const std::string model_bytes = ReadTextFile(model);
  args.insert(args.end(), {"--output_path", out});
  auto r = RunAutoscale(Convert(model, args));
  CHECK(r.exit_code == 2);
  CHECK(r.err == "autoscale convert: " + expected + "\n");
  CHECK(ReadTextFile(model) == model_bytes);
  if (fs::exists(out + "/gears.json"))
    CHECK(ReadTextFile(out + "/gears.json") == "keep");
  else
    CHECK_FALSE(fs::exists(out));
}

TEST_CASE("run: a job's output inside another job's folder is refused before any job runs",
          "[output_safety]") {
  TempDir dir;
  const std::string head = "defaults:\n  model_path: " + autoscale::test::SampleModelPath() +
                           "\n  output_path: out\n  input_shape: -1,3,48,-1\njobs:\n";
  std::string jobs;
  std::string expected;
  std::vector<std::string> args;
  SECTION("json in another job's folder") {
    jobs = "  - name: a\n    json: out/b/report.json\n  - name: b\n";
    expected = "job 'a' json " + dir / "out/b/report.json" + " is inside job 'b' output_path " +
               dir / "out/b" + ", which another job writes; write it elsewhere";
  }
  SECTION("report on a job's own gears.json") {
    jobs = "  - name: a\n    report: out/a/gears.json\n";
    expected = "job 'a' report " + dir / "out/a/gears.json" +
               " would replace gears.json, which the conversion writes in job 'a' output_path " +
               dir / "out/a" + "; choose another name";
  }
  SECTION("the run's --json over a job's file") {
    jobs = "  - name: a\n";
    args = {"--json", dir / "out/a/gears.json"};
    expected = "--json " + dir / "out/a/gears.json" + " is inside job 'a' output_path " +
               dir / "out/a" + ", which another job writes; write it elsewhere";
  }
  SECTION("a job's json over the jobs file") {
    jobs = "  - name: a\n    json: jobs.yaml\n";
    expected = "job 'a' json " + dir / "jobs.yaml" + " is the input jobs file " +
               dir / "jobs.yaml" + "; writing it would replace it";
  }
  WriteTextFile(dir / "jobs.yaml", head + jobs);
  args.insert(args.begin(), {"run", dir / "jobs.yaml"});
  auto r = RunAutoscale(args);
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK(r.err == "autoscale run: " + expected + "\n");
  CHECK_FALSE(fs::exists(dir / "out"));
}

TEST_CASE("control characters in file names reach neither the terminal nor the report",
          "[output_safety]") {
  TempDir dir;
  fs::copy(SourcePath("data/samples/images/words"), dir / "images", fs::copy_options::recursive);
  const std::string evil = "x\x1b[2J\x07\nwarning: forged.jpg";
  WriteTextFile(dir / ("images/" + evil), "not an image");
  auto r = RunAutoscale({"stats", "--dataset_path", dir / "images", "--input_shape=1,3,-1,-1",
                         "--report", dir / "r.html"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const std::string shown = "x\\x1b[2J\\x07\\nwarning: forged.jpg";
  CHECK_THAT(r.out, Catch::Contains(shown));
  CHECK(r.out.find('\x1b') == std::string::npos);
  CHECK(r.out.find('\x07') == std::string::npos);
  CHECK(r.out.find("\nwarning: forged") == std::string::npos);
  const std::string html = ReadTextFile(dir / "r.html");
  CHECK_THAT(html, Catch::Contains(shown));
  CHECK(html.find('\x1b') == std::string::npos);

  // An error line quoting such a name stays one printable line.
  r = RunAutoscale(
      {"stats", "--dataset_path", dir / "no\x1b[31msuch\nfolder", "--input_shape=1,3,-1,-1"});
  CHECK(r.exit_code != 0);
  CHECK(Lines(r.err) == 1);
  CHECK(r.err.find('\x1b') == std::string::npos);
  CHECK_THAT(r.err, Catch::Contains("no\\x1b[31msuch\\nfolder"));
}
