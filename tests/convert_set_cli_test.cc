// End-to-end tests of what a convert leaves in its output folder: the set is
// replaced as a whole or not at all, a second run into the folder is
// refused, SIGINT/SIGTERM stop the converters and keep the previous set, and
// the progress lines. The converter is a stand-in shell script that leaves a
// grandchild in its process group, as real converters do.
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "support/models.h"
#include "support/run_binary.h"

using autoscale::test::BinaryPath;
using autoscale::test::ReadTextFile;
using autoscale::test::RunAutoscale;
using autoscale::test::RunResult;
using autoscale::test::SampleModelPath;
using autoscale::test::TempDir;
using autoscale::test::WriteTextFile;
namespace fs = std::filesystem;

extern char** environ;

namespace {

// The stand-in atc: writes "IMOD<name>" to <--output>.om. It leaves a
// `sleep` grandchild in its group (its pid in <marks>/<name>.grandchild),
// writes <marks>/<name>.pid when running (each file whole, by rename),
// and with HOLD set, models whose name contains HOLD wait for
// <marks>/release. STANDIN_OUTPUT=empty writes an empty file, =folder a
// folder at the model's name.
std::string WriteStandIn(const TempDir& dir) {
  fs::create_directories(dir / "marks");
  const std::string script =
      "#!/bin/sh\n"
      "for a in \"$@\"; do case \"$a\" in --output=*) out=\"${a#--output=}\";; "
      "esac; done\n"
      "name=$(basename \"$out\")\n"
      "marks='" +
      dir / "marks" +
      "'\n"
      "sleep 300 &\n"
      "echo $! > \"$marks/.g.$name\"; mv \"$marks/.g.$name\" \"$marks/$name.grandchild\"\n"
      "echo \"compiling $name\"\n"
      "echo $$ > \"$marks/.p.$name\"; mv \"$marks/.p.$name\" \"$marks/$name.pid\"\n"
      "if [ -n \"$HOLD\" ]; then\n"
      "  case \"$name\" in *$HOLD*) while [ ! -e \"$marks/release\" ]; do "
      "sleep 0.05; done;; esac\n"
      "fi\n"
      "case \"$STANDIN_OUTPUT\" in\n"
      "  empty) : > \"$out.om\";;\n"
      "  folder) mkdir \"$out.om\"; echo x > \"$out.om/x\";;\n"
      "  *) printf 'IMOD%s' \"$name\" > \"$out.om\";;\n"
      "esac\n";
  const std::string path = WriteTextFile(dir / "atc", script);
  fs::permissions(path, fs::perms::owner_all);
  return path;
}

std::vector<std::string> ConvertArgs(const std::string& atc, const std::string& shape,
                                     const std::string& out, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"convert",
                                   "--model_path",
                                   SampleModelPath(),
                                   "--input_shape",
                                   shape,
                                   "--backend",
                                   "atc",
                                   "--atc_path",
                                   atc,
                                   "--output_path",
                                   out};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

// An autoscale running in the background; its stdout and stderr go to files.
struct Background {
  pid_t pid = -1;
  std::string out_path, err_path;
};

Background Start(const TempDir& dir, const std::string& tag, const std::vector<std::string>& args,
                 const std::vector<std::string>& env = {}) {
  Background b;
  b.out_path = dir / (tag + ".stdout");
  b.err_path = dir / (tag + ".stderr");
  std::vector<std::string> argv = {BinaryPath("bin/autoscale")};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<std::string> envs;
  for (char** e = environ; *e; ++e) envs.push_back(*e);
  envs.insert(envs.end(), env.begin(), env.end());
  std::vector<char*> cargv, cenv;
  for (std::string& a : argv) cargv.push_back(&a[0]);
  for (std::string& e : envs) cenv.push_back(&e[0]);
  cargv.push_back(nullptr);
  cenv.push_back(nullptr);
  b.pid = ::fork();
  if (b.pid == 0) {
    const int out = ::open(b.out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err = ::open(b.err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(out, 1);
    ::dup2(err, 2);
    ::execve(cargv[0], cargv.data(), cenv.data());
    ::_exit(127);
  }
  REQUIRE(b.pid > 0);
  return b;
}

// `exited`: the process ended by exit(), not killed by a signal.
RunResult Wait(const Background& b, bool* exited = nullptr) {
  int status = 0;
  while (::waitpid(b.pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (exited != nullptr) *exited = WIFEXITED(status);
  RunResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = ReadTextFile(b.out_path);
  r.err = ReadTextFile(b.err_path);
  return r;
}

bool WaitFor(const std::function<bool()>& condition, double seconds = 60) {
  const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < end) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return condition();
}

// True once `pid` is gone or a zombie (the container's init may not reap).
bool ProcessEnded(pid_t pid) {
  return WaitFor(
      [pid] {
        std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
        std::string line;
        if (!stat || !std::getline(stat, line)) return true;
        const size_t paren = line.rfind(')');
        return paren != std::string::npos && line.size() > paren + 2 && line[paren + 2] == 'Z';
      },
      5);
}

// Every entry under `root` (hidden ones too): files with their bytes,
// folders as "<dir>"; without `staging`, what a running convert stages.
std::map<std::string, std::string> Snapshot(const std::string& root, bool staging = true) {
  std::map<std::string, std::string> entries;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    const std::string name = fs::relative(e.path(), root).string();
    if (!staging && name.rfind(".autoscale-staging.", 0) == 0) continue;
    entries[name] = e.is_directory() ? "<dir>" : ReadTextFile(e.path().string());
  }
  return entries;
}

// The .om files in a folder.
std::set<std::string> Models(const std::string& dir) {
  std::set<std::string> names;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".om") names.insert(e.path().filename().string());
  return names;
}

// gears.json names exactly the model files beside it, and each holds what
// the stand-in wrote for its name.
void CheckConsistent(const std::string& dir) {
  const nlohmann::json g = nlohmann::json::parse(ReadTextFile(dir + "/gears.json"));
  std::set<std::string> listed;
  for (const nlohmann::json& m : g["models"]) {
    listed.insert(m["file"].get<std::string>());
    CHECK(ReadTextFile(dir + "/" + m["file"].get<std::string>()) ==
          "IMOD" + m["name"].get<std::string>());
  }
  CHECK(g["failed"].empty());
  CHECK(listed == Models(dir));
}

const std::string kFive = "-1,3,-1,-1";  // five models, one per batch gear
const std::string kOne = "1,3,-1,-1";    // one model: sample_det_dynamic_hw

}  // namespace

TEST_CASE("convert: a re-run replaces the set as a whole and other files stay", "[convert_set]") {
  TempDir dir;
  const std::string atc = WriteStandIn(dir), out = dir / "out";
  RunResult r = RunAutoscale(ConvertArgs(atc, kFive, out));
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(Models(out).size() == 5);
  CheckConsistent(out);
  WriteTextFile(out + "/notes.txt", "the user's");
  WriteTextFile(out + "/mine.om", "the user's model");

  r = RunAutoscale(ConvertArgs(atc, kOne, out));
  REQUIRE(r.exit_code == 0);
  // The earlier run's five models and their logs are gone; what it did not write stays.
  CHECK(Models(out) == std::set<std::string>{"mine.om", "sample_det_dynamic_hw.om"});
  CHECK(ReadTextFile(out + "/notes.txt") == "the user's");
  CHECK_FALSE(fs::exists(out + "/logs/sample_det_dynamic_bs1_hw.log"));
  CHECK(fs::exists(out + "/logs/sample_det_dynamic_hw.log"));
  const nlohmann::json g = nlohmann::json::parse(ReadTextFile(out + "/gears.json"));
  REQUIRE(g["models"].size() == 1);
  CHECK(g["models"][0]["file"] == "sample_det_dynamic_hw.om");
  CHECK(nlohmann::json::parse(ReadTextFile(out + "/.autoscale-manifest.json"))["files"] ==
        nlohmann::json::parse(
            R"(["gears.json", "logs/sample_det_dynamic_hw.log", "sample_det_dynamic_hw.om",
                "scaling_data.json"])"));
}

TEST_CASE("convert: an empty output or a folder is a failure and the previous set stays",
          "[convert_set]") {
  for (const std::string mode : {"empty", "folder"}) {
    TempDir dir;
    const std::string atc = WriteStandIn(dir), out = dir / "out";
    RunResult r = RunAutoscale(ConvertArgs(atc, kOne, out));
    REQUIRE(r.exit_code == 0);
    auto before = Snapshot(out);
    r = RunAutoscale(ConvertArgs(atc, kFive, out), {"STANDIN_OUTPUT=" + mode});
    INFO(mode << "\n" << r.out << r.err);
    CHECK(r.exit_code == 1);
    const std::string why = mode == "empty" ? " is empty" : " is not a regular file";
    CHECK_THAT(r.err,
               Catch::Contains("atc exited 0 but " + out + "/sample_det_dynamic_bs1_hw.om" + why));
    CHECK_THAT(r.out, Catch::Contains("the previous files are unchanged"));
    auto after = Snapshot(out);
    // Only the logs of the failed run were added.
    for (auto it = after.begin(); it != after.end();)
      it = it->first.rfind("logs/sample_det_dynamic_bs", 0) == 0 ? after.erase(it) : std::next(it);
    before.erase(".autoscale-manifest.json");
    after.erase(".autoscale-manifest.json");
    CHECK(after == before);
    CheckConsistent(out);
  }
}

TEST_CASE("convert: a second run into a folder being converted is refused", "[convert_set]") {
  TempDir dir;
  const std::string atc = WriteStandIn(dir), out = dir / "out";
  REQUIRE(RunAutoscale(ConvertArgs(atc, kOne, out)).exit_code == 0);
  const auto before = Snapshot(out);
  Background first = Start(dir, "first", ConvertArgs(atc, kFive, out), {"HOLD=bs4"});
  REQUIRE(WaitFor([&] { return fs::exists(dir / "marks/sample_det_dynamic_bs4_hw.pid"); }));
  RunResult second = RunAutoscale(ConvertArgs(atc, kOne, out));
  CHECK(second.exit_code == 1);
  CHECK(second.err == "autoscale convert: --output_path " + out +
                          ": another autoscale is converting into this folder (it holds "
                          ".autoscale.lock); wait for it to finish or choose another "
                          "--output_path\n");
  CHECK(Snapshot(out, false) == before);  // the first run has not committed yet
  WriteTextFile(dir / "marks/release", "");
  RunResult r = Wait(first);
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK(Models(out).size() == 5);
  CheckConsistent(out);
}

TEST_CASE("convert: SIGINT and SIGTERM stop every converter and keep the previous set",
          "[convert_set]") {
  struct Point {
    std::string what;
    std::vector<std::string> extra;
    std::string hold;
    std::vector<std::string> running;  // the models to wait for before the signal
  };
  const std::vector<Point> points = {
      {"the first converter runs", {}, "bs", {"bs1"}},
      {"two models done, the third runs", {}, "bs8", {"bs8"}},
      {"-j 2, two converters run", {"-j", "2"}, "bs", {"bs1", "bs4"}},
  };
  for (const int signal : {SIGINT, SIGTERM}) {
    for (const Point& point : points) {
      TempDir dir;
      const std::string atc = WriteStandIn(dir), out = dir / "out";
      REQUIRE(RunAutoscale(ConvertArgs(atc, kOne, out)).exit_code == 0);
      const auto before = Snapshot(out);
      Background run =
          Start(dir, "run", ConvertArgs(atc, kFive, out, point.extra), {"HOLD=" + point.hold});
      for (const std::string& model : point.running)
        REQUIRE(WaitFor(
            [&] { return fs::exists(dir / ("marks/sample_det_dynamic_" + model + "_hw.pid")); }));
      ::kill(run.pid, signal);
      bool exited = false;
      RunResult r = Wait(run, &exited);
      INFO(point.what << ", signal " << signal << "\n" << r.out << r.err);
      CHECK(exited);
      CHECK(r.exit_code == 128 + signal);
      CHECK_THAT(r.err, Catch::EndsWith(std::string("autoscale: interrupted by ") +
                                        (signal == SIGINT ? "SIGINT" : "SIGTERM") + "\n"));
      // No converter, no grandchild left.
      for (const auto& e : fs::directory_iterator(dir / "marks")) {
        if (e.path().filename().string()[0] == '.') continue;  // not yet renamed
        INFO(e.path());
        CHECK(ProcessEnded(std::stoi(ReadTextFile(e.path().string()))));
      }
      // The previous set, untouched; nothing hidden left behind.
      CHECK(Snapshot(out) == before);
      CheckConsistent(out);
      // Nothing written late either.
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      CHECK(Snapshot(out) == before);
    }
  }
}

TEST_CASE("convert: staging and temporaries of a run that died are removed", "[convert_set]") {
  TempDir dir;
  const std::string atc = WriteStandIn(dir), out = dir / "out";
  const pid_t dead = ::fork();
  if (dead == 0) ::_exit(0);
  ::waitpid(dead, nullptr, 0);
  const std::string pid = std::to_string(dead);
  WriteTextFile(out + "/.autoscale-staging." + pid + "/sample_det_dynamic_hw.om", "half");
  WriteTextFile(out + "/.sample_det_dynamic_hw_gears.tmp." + pid + ".0/g.onnx", "half");
  WriteTextFile(out + "/.gears.json.tmp." + pid + ".2", "half");
  RunResult r = RunAutoscale(ConvertArgs(atc, kOne, out));
  REQUIRE(r.exit_code == 0);
  for (const auto& [name, bytes] : Snapshot(out)) {
    INFO(name);
    CHECK((name[0] != '.' || name == ".autoscale.lock" || name == ".autoscale-manifest.json"));
  }
}

TEST_CASE("convert: the plan first, then a line as each model starts and ends, in order",
          "[convert_set]") {
  TempDir dir;
  const std::string atc = WriteStandIn(dir), out = dir / "out";
  RunResult r = RunAutoscale(ConvertArgs(atc, kFive, out, {"-j", "2"}));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  std::vector<std::string> lines;
  std::istringstream in(r.err);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  REQUIRE(lines.size() == 1 + 5 + 10);
  CHECK_THAT(lines[0], Catch::StartsWith("plan: 5 models of " + SampleModelPath() +
                                         " (backend atc, -j 2) into " + out));
  const std::regex planned(R"(  sample_det_dynamic_bs[0-9]+_hw: [0-9]+,3,-1,-1, 96 gears: .*)");
  const std::regex start(R"(\[([1-5])/5\] (sample_det_dynamic_bs[0-9]+_hw): converting)");
  const std::regex end(R"(\[([1-5])/5\] (sample_det_dynamic_bs[0-9]+_hw): ok, [0-9.]+ s)");
  int started = 0, ended = 0;
  std::set<std::string> running;
  for (size_t i = 1; i < lines.size(); ++i) {
    INFO(lines[i]);
    std::smatch m;
    if (i <= 5) {
      CHECK(std::regex_match(lines[i], planned));
    } else if (std::regex_match(lines[i], m, start)) {
      CHECK(std::stoi(m[1]) == ++started);
      CHECK(running.insert(m[2]).second);
      CHECK(running.size() <= 2);
    } else {
      REQUIRE(std::regex_match(lines[i], m, end));
      CHECK(std::stoi(m[1]) == ++ended);
      CHECK(running.erase(m[2]) == 1);  // ends after its start
    }
  }
  CHECK(ended == 5);

  RunResult quiet = RunAutoscale(ConvertArgs(atc, kFive, out, {"-j", "2", "--quiet"}));
  CHECK(quiet.exit_code == 0);
  CHECK(quiet.err.empty());
  CHECK(quiet.out.empty());
}

TEST_CASE("run: SIGTERM stops the job's converter, keeps its folder, writes no --json",
          "[convert_set]") {
  TempDir dir;
  const std::string atc = WriteStandIn(dir);
  WriteTextFile(dir / "jobs.yaml", "defaults:\n  backend: atc\n  atc_path: " + atc +
                                       "\n  output_path: " + dir / "out" +
                                       "\njobs:\n  - name: det\n    model_path: " +
                                       SampleModelPath() + "\n    input_shape: " + kFive + "\n");
  RunResult first = RunAutoscale({"run", dir / "jobs.yaml"});
  INFO(first.out << first.err);
  REQUIRE(first.exit_code == 0);
  const auto before = Snapshot(dir / "out");
  fs::remove_all(dir / "marks");
  fs::create_directories(dir / "marks");
  Background run =
      Start(dir, "run", {"run", dir / "jobs.yaml", "--json", dir / "r.json"}, {"HOLD=bs4"});
  REQUIRE(WaitFor([&] { return fs::exists(dir / "marks/sample_det_dynamic_bs4_hw.pid"); }));
  ::kill(run.pid, SIGTERM);
  bool exited = false;
  RunResult r = Wait(run, &exited);
  CHECK(exited);
  CHECK(r.exit_code == 143);
  for (const auto& e : fs::directory_iterator(dir / "marks"))
    if (e.path().filename().string()[0] != '.')
      CHECK(ProcessEnded(std::stoi(ReadTextFile(e.path().string()))));
  CHECK(Snapshot(dir / "out") == before);
  CHECK_FALSE(fs::exists(dir / "r.json"));
}

TEST_CASE("stats: SIGINT during the scan exits 130 and writes nothing", "[convert_set]") {
  TempDir dir;
  // A label file that is a FIFO nobody writes: the scan waits on it.
  REQUIRE(::mkfifo((dir / "labels").c_str(), 0644) == 0);
  fs::create_directories(dir / "out");
  Background stats = Start(dir, "stats",
                           {"stats", "--dataset_path", dir / "labels", "--input_shape",
                            "-1,3,48,-1", "--json", dir / "out/stats.json"});
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  ::kill(stats.pid, SIGINT);
  bool exited = false;
  RunResult r = Wait(stats, &exited);
  CHECK(exited);
  CHECK(r.exit_code == 130);
  CHECK_THAT(r.err, Catch::EndsWith("autoscale: interrupted by SIGINT\n"));
  CHECK(fs::is_empty(dir / "out"));
}
