#include "convert/external_runner.h"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <regex>
#include <thread>

#include "common/interrupt.h"
#include "support/converter_fixtures.h"
#include "support/run_binary.h"

using autoscale::test::ReadTextFile;
using autoscale::test::ScopedEnv;
using autoscale::test::TempDir;
using autoscale::test::WriteTextFile;
namespace fs = std::filesystem;

namespace autoscale {

namespace {

// A job that runs a /bin/sh script (the script is this test's, the runner
// itself never uses a shell); "$0" is the expected output path.
ExternalJob ShellJob(const TempDir& dir, const std::string& name, const std::string& script) {
  ExternalJob job;
  job.name = name;
  job.output.path = dir / (name + ".om");
  job.argv = {"/bin/sh", "-c", script, job.output.path};
  job.log_path = dir / ("logs/" + name + ".log");
  return job;
}

ModelOutcome RunOne(const ExternalJob& job, RunnerOptions options = {}) {
  std::vector<ModelOutcome> outcomes = RunExternalJobs({job}, options);
  REQUIRE(outcomes.size() == 1);
  return outcomes[0];
}

// True once `pid` is gone or a zombie (the container's init may not reap).
bool ProcessEnded(pid_t pid) {
  for (int i = 0; i < 200; ++i) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!stat || !std::getline(stat, line)) return true;
    const size_t paren = line.rfind(')');
    if (paren != std::string::npos && line.size() > paren + 2 && line[paren + 2] == 'Z')
      return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

}  // namespace

TEST_CASE("runner: success captures stdout and stderr in the log", "[external_runner]") {
  TempDir dir;
  ModelOutcome outcome =
      RunOne(ShellJob(dir, "m", "echo to-stdout; echo to-stderr >&2; printf model > \"$0\""));
  INFO(outcome.error);
  REQUIRE(outcome.ok);
  CHECK(outcome.name == "m");
  CHECK(outcome.files == std::vector<std::string>{dir / "m.om"});
  CHECK(outcome.error.empty());
  CHECK(outcome.log_tail.empty());
  CHECK(outcome.log_path == dir / "logs/m.log");
  const std::string log = ReadTextFile(outcome.log_path);
  CHECK_THAT(log, Catch::StartsWith("$ /bin/sh -c "));
  CHECK_THAT(log, Catch::Contains("to-stdout\nto-stderr\n"));
  CHECK(ReadTextFile(dir / "m.om") == "model");
  CHECK(outcome.seconds >= 0);
}

TEST_CASE("runner: inputs written for the job are listed after the model", "[external_runner]") {
  TempDir dir;
  ExternalJob job = ShellJob(dir, "m", "printf model > \"$0\"");
  job.inputs = {dir / "m_lite.cfg"};
  ModelOutcome outcome = RunOne(job);
  REQUIRE(outcome.ok);
  CHECK(outcome.files == std::vector<std::string>{dir / "m.om", dir / "m_lite.cfg"});
}

TEST_CASE("runner: a non-zero exit fails with the log tail and removes what it wrote",
          "[external_runner]") {
  TempDir dir;
  ModelOutcome outcome = RunOne(
      ShellJob(dir, "m",
               "printf half > \"$0\"; for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 "
               "21 22; do echo line$i; done; echo 'E10001: bad' >&2; exit 3"));
  CHECK_FALSE(outcome.ok);
  CHECK(outcome.error == "sh exited with code 3");
  CHECK(outcome.files.empty());
  CHECK_FALSE(fs::exists(dir / "m.om"));
  CHECK_THAT(outcome.log_tail, Catch::EndsWith("line22\nE10001: bad"));
  CHECK_THAT(outcome.log_tail, !Catch::Contains("line2\n"));  // 20 lines only
  // The log says why it ended.
  CHECK_THAT(ReadTextFile(outcome.log_path), Catch::EndsWith("autoscale: sh exited with code 3\n"));
}

TEST_CASE("runner: a converter killed by a signal fails", "[external_runner]") {
  TempDir dir;
  ModelOutcome outcome = RunOne(ShellJob(dir, "m", "printf x > \"$0\"; kill -SEGV $$"));
  CHECK_FALSE(outcome.ok);
  CHECK_THAT(outcome.error, Catch::StartsWith("sh was killed by signal 11"));
  CHECK_FALSE(fs::exists(dir / "m.om"));
}

TEST_CASE("runner: exit 0 without the output file fails", "[external_runner]") {
  TempDir dir;
  ModelOutcome outcome = RunOne(ShellJob(dir, "m", "echo done"));
  CHECK_FALSE(outcome.ok);
  CHECK(outcome.error == "sh exited 0 but wrote no " + dir / "m.om");
  CHECK(outcome.log_tail == "done");  // the command line is in the log, not the tail
  CHECK_THAT(ReadTextFile(outcome.log_path), Catch::StartsWith("$ /bin/sh -c 'echo done' "));
  ModelOutcome silent = RunOne(ShellJob(dir, "quiet", "exit 4"));
  CHECK(silent.log_tail.empty());
}

TEST_CASE("runner: exit 0 with an empty file or a folder at the output's name fails",
          "[external_runner]") {
  TempDir dir;
  ModelOutcome empty = RunOne(ShellJob(dir, "m", ": > \"$0\""));
  CHECK_FALSE(empty.ok);
  CHECK(empty.error == "sh exited 0 but " + dir / "m.om" + " is empty");
  CHECK_FALSE(fs::exists(dir / "m.om"));
  ModelOutcome folder = RunOne(ShellJob(dir, "d", "mkdir \"$0\"; echo x > \"$0/x\""));
  CHECK_FALSE(folder.ok);
  CHECK(folder.error == "sh exited 0 but " + dir / "d.om" + " is not a regular file");
  CHECK_FALSE(fs::exists(dir / "d.om"));
  ModelOutcome link = RunOne(
      ShellJob(dir, "l",
               "printf IMODx > " + dir / "elsewhere" + "; ln -s " + dir / "elsewhere" + " \"$0\""));
  CHECK_FALSE(link.ok);
  CHECK_THAT(link.error, Catch::EndsWith("is not a regular file"));
}

TEST_CASE("runner: an .om must start with the magic IMOD", "[external_runner]") {
  CHECK(ModelFileMagic(".om") == "IMOD");
  CHECK(ModelFileMagic(".mindir").empty());
  CHECK(ModelFileMagic(".onnx").empty());
  TempDir dir;
  ExternalJob bad = ShellJob(dir, "m", "printf 'not a model' > \"$0\"");
  bad.output.magic = ModelFileMagic(".om");
  ModelOutcome outcome = RunOne(bad);
  CHECK_FALSE(outcome.ok);
  CHECK(outcome.error == "sh exited 0 but " + dir / "m.om" +
                             " does not start with the format's magic bytes \"IMOD\"");
  CHECK_FALSE(fs::exists(dir / "m.om"));
  ExternalJob short_file = ShellJob(dir, "s", "printf IM > \"$0\"");
  short_file.output.magic = "IMOD";
  CHECK_FALSE(RunOne(short_file).ok);
  ExternalJob good = ShellJob(dir, "g", "printf 'IMOD model' > \"$0\"");
  good.output.magic = "IMOD";
  CHECK(RunOne(good).ok);
}

TEST_CASE("runner: an output file the run did not touch does not count and is kept",
          "[external_runner]") {
  TempDir dir;
  WriteTextFile(dir / "m.om", "from an earlier run");
  ModelOutcome outcome = RunOne(ShellJob(dir, "m", "exit 0"));
  CHECK_FALSE(outcome.ok);
  CHECK_THAT(outcome.error, Catch::Contains("exited 0 but wrote no"));
  CHECK(ReadTextFile(dir / "m.om") == "from an earlier run");
  // Rewritten by the run: counts.
  ModelOutcome rewritten = RunOne(ShellJob(dir, "m", "printf new-model > \"$0\""));
  CHECK(rewritten.ok);
}

TEST_CASE("runner: ATC's <out>_<os>_<arch>.om is accepted only when allowed", "[external_runner]") {
  TempDir dir;
  ExternalJob job = ShellJob(dir, "m", "printf x > \"${0%.om}_linux_x86_64.om\"");
  ModelOutcome refused = RunOne(job);
  CHECK_FALSE(refused.ok);
  CHECK(fs::exists(dir / "m_linux_x86_64.om"));  // not its output: left alone
  fs::remove(dir / "m_linux_x86_64.om");
  job.output.allow_platform_suffix = true;
  ModelOutcome accepted = RunOne(job);
  INFO(accepted.error);
  CHECK(accepted.ok);
  CHECK(accepted.files == std::vector<std::string>{dir / "m_linux_x86_64.om"});
  // A name that only shares the prefix without the '_' is not it.
  ExternalJob other = ShellJob(dir, "m", "printf x > \"${0%.om}x.om\"");
  other.output.allow_platform_suffix = true;
  CHECK_FALSE(RunOne(other).ok);
  CHECK(fs::exists(dir / "mx.om"));
}

TEST_CASE("runner: a timeout kills the whole process group and removes partial output",
          "[external_runner]") {
  TempDir dir;
  RunnerOptions options;
  options.timeout_seconds = 0.5;
  const std::string pid_file = dir / "child.pid";
  ExternalJob job = ShellJob(
      dir, "m", "printf half > \"$0\"; sleep 30 & echo $! > " + pid_file + "; echo started; wait");
  const auto start = std::chrono::steady_clock::now();
  ModelOutcome outcome = RunOne(job, options);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK_FALSE(outcome.ok);
  CHECK(outcome.error == "sh timed out after 0.5 s");
  CHECK(seconds < 10);
  CHECK_FALSE(fs::exists(dir / "m.om"));
  CHECK_THAT(outcome.log_tail, Catch::Contains("started"));
  const pid_t child = std::stoi(ReadTextFile(pid_file));
  CHECK(ProcessEnded(child));
}

TEST_CASE("runner: a converter that ignores SIGTERM is killed after the grace period",
          "[external_runner]") {
  TempDir dir;
  RunnerOptions options;
  options.timeout_seconds = 0.3;
  options.kill_grace_seconds = 0.3;
  const auto start = std::chrono::steady_clock::now();
  ModelOutcome outcome = RunOne(ShellJob(dir, "m", "trap '' TERM; sleep 30; sleep 30"), options);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(outcome.error == "sh timed out after 0.3 s");
  CHECK(seconds < 10);
}

TEST_CASE("runner: -j bounds how many run at once", "[external_runner]") {
  for (int jobs : {1, 2}) {
    TempDir dir;
    fs::create_directories(dir / "running");
    // Each job counts the jobs running beside it while it sleeps.
    const std::string script = "touch " + dir / "running/$$" + "; ls " + dir / "running" +
                               " | wc -l >> " + dir / "counts" + "; sleep 0.3; rm " +
                               dir / "running/$$" + "; printf x > \"$0\"";
    std::vector<ExternalJob> list;
    for (int i = 0; i < 4; ++i) list.push_back(ShellJob(dir, "m" + std::to_string(i), script));
    RunnerOptions options;
    options.jobs = jobs;
    std::vector<ModelOutcome> outcomes = RunExternalJobs(list, options);
    REQUIRE(outcomes.size() == 4);
    for (int i = 0; i < 4; ++i) {
      CHECK(outcomes[i].ok);
      CHECK(outcomes[i].name == "m" + std::to_string(i));  // job order
    }
    int most = 0;
    std::istringstream counts(ReadTextFile(dir / "counts"));
    for (int n; counts >> n;) most = std::max(most, n);
    INFO("-j " << jobs);
    CHECK(most == jobs);
  }
}

TEST_CASE("runner: one failed job does not stop the others", "[external_runner]") {
  TempDir dir;
  std::vector<ExternalJob> list = {ShellJob(dir, "a", "exit 1"),
                                   ShellJob(dir, "b", "printf x > \"$0\"")};
  RunnerOptions options;
  options.jobs = 2;
  std::vector<ModelOutcome> outcomes = RunExternalJobs(list, options);
  CHECK_FALSE(outcomes[0].ok);
  CHECK(outcomes[1].ok);
}

TEST_CASE("runner: arguments reach the program untouched, no shell in between",
          "[external_runner]") {
  TempDir dir;
  const std::vector<std::string> odd = {"a b", "it's", "say \"hi\"", "$HOME",     "`id`",
                                        "x;y", "*",    "",           "two\nlines"};
  const std::string folder = dir / "odd 'dir' $x";
  ExternalJob job;
  job.name = "m";
  job.argv = {"/usr/bin/printf", "[%s]\\n"};
  job.argv.insert(job.argv.end(), odd.begin(), odd.end());
  job.log_path = folder + "/logs/m \"q\".log";
  job.output.path = folder + "/m.om";
  ModelOutcome outcome = RunOne(job);
  CHECK(outcome.error == "printf exited 0 but wrote no " + folder + "/m.om");
  std::string expected;
  for (const std::string& word : odd) expected += "[" + word + "]\n";
  const std::string log = ReadTextFile(job.log_path);
  CHECK_THAT(log, Catch::Contains("\n" + expected));

  // And a program writing to an odd path succeeds.
  const std::string source = WriteTextFile(folder + "/in $1 'x'.onnx", "model");
  ExternalJob copy;
  copy.name = "copy";
  copy.output.path = folder + "/out; rm -rf x.om";
  copy.argv = {"/bin/cp", source, copy.output.path};
  copy.log_path = folder + "/logs/copy.log";
  ModelOutcome copied = RunOne(copy);
  INFO(copied.error);
  CHECK(copied.ok);
  CHECK(ReadTextFile(copy.output.path) == "model");
}

TEST_CASE("runner: a program that cannot be run fails with why", "[external_runner]") {
  TempDir dir;
  ExternalJob job = ShellJob(dir, "m", "");
  job.argv = {dir / "missing"};
  CHECK(RunOne(job).error == "cannot run " + dir / "missing" + ": No such file or directory");
  job.argv = {WriteTextFile(dir / "not-executable", "#!/bin/sh\n")};
  CHECK_THAT(RunOne(job).error, Catch::EndsWith("Permission denied"));
  job.argv.clear();
  CHECK(RunOne(job).error == "no command to run");
}

TEST_CASE("runner: a log that cannot be written fails the job before it runs",
          "[external_runner]") {
  TempDir dir;
  WriteTextFile(dir / "logs", "a file where the log folder should be");
  ExternalJob job = ShellJob(dir, "m", "printf x > \"$0\"");
  ModelOutcome outcome = RunOne(job);
  CHECK_FALSE(outcome.ok);
  CHECK_THAT(outcome.error, Catch::StartsWith(dir / "logs/m.log: cannot write:"));
  CHECK_FALSE(fs::exists(dir / "m.om"));
}

TEST_CASE("runner: FileTail keeps the last lines", "[external_runner]") {
  TempDir dir;
  CHECK(FileTail(WriteTextFile(dir / "a", "1\n2\n3\n4\n"), 2) == "3\n4");
  CHECK(FileTail(WriteTextFile(dir / "b", "1\n2"), 5) == "1\n2");
  CHECK(FileTail(dir / "missing", 5).empty());
  // A log the converter has not written to yet, or only newlines.
  CHECK(FileTail(WriteTextFile(dir / "empty", ""), 1).empty());
  CHECK(FileTail(WriteTextFile(dir / "newlines", "\n\n"), 1).empty());
  CHECK(FileTail(WriteTextFile(dir / "one", "x"), 1) == "x");
  std::string big;
  for (int i = 0; i < 20000; ++i) big += "line " + std::to_string(i) + "\n";
  CHECK(FileTail(WriteTextFile(dir / "c", big), 2) == "line 19998\nline 19999");
  CHECK(FileTail(dir / "c", 100000).rfind("line 19999") != std::string::npos);
}

TEST_CASE("runner: --jobs and --timeout must be at least 1", "[external_runner]") {
  ConvertOptions options;
  CHECK(CheckRunnerOptions(options).ok());
  options.jobs = 0;
  CHECK(CheckRunnerOptions(options).message() == "--jobs 0: must be at least 1");
  options.jobs = 2;
  options.timeout_seconds = 0;
  CHECK(CheckRunnerOptions(options).message() == "--timeout 0: must be at least 1 second");
  options.timeout_seconds = 7;
  RunnerOptions runner = RunnerOptionsFrom(options);
  CHECK(runner.jobs == 2);
  CHECK(runner.timeout_seconds == 7);
}

TEST_CASE("runner: the converter binary is found on PATH or at the given path",
          "[external_runner]") {
  TempDir dir;
  const std::string tool = WriteTextFile(dir / "bin/mytool", "#!/bin/sh\n");
  ::chmod(tool.c_str(), 0755);
  WriteTextFile(dir / "bin/plain", "not executable");
  ConverterBinary binary{"mytool", "", "--mytool_path", "install mytool"};
  {
    ScopedEnv path("PATH", "/nonexistent:" + dir / "bin");
    Result<std::string> found = FindConverter(binary);
    REQUIRE(found.ok());
    CHECK(*found == tool);
    binary.explicit_path = "mytool";  // a bare name is looked up on PATH too
    CHECK(FindConverter(binary).ok());
    binary.explicit_path = "";
  }
  {
    ScopedEnv path("PATH", dir.path());
    CHECK(FindConverter(binary).message() ==
          "mytool not found on PATH: install mytool, pass --mytool_path, or use --dry-run to "
          "write the commands to convert.sh without running them");
    binary.explicit_path = tool;
    CHECK(*FindConverter(binary) == tool);
    binary.explicit_path = dir / "bin/missing";
    CHECK(FindConverter(binary).message() ==
          "--mytool_path " + dir / "bin/missing" +
              ": no such file; fix the path or use --dry-run to write the commands to convert.sh "
              "without running them");
    binary.explicit_path = dir / "bin/plain";
    CHECK_THAT(FindConverter(binary).message(), Catch::Contains(": not an executable file;"));
    binary.explicit_path = dir / "bin";
    CHECK_THAT(FindConverter(binary).message(), Catch::Contains(": not an executable file;"));
  }
  CHECK(ScriptBinary({"atc", "", "--atc_path", ""}) == "atc");
  CHECK(ScriptBinary({"atc", "/opt/atc", "--atc_path", ""}) == "/opt/atc");
}

namespace {

// Keeps the lines a runner reports, in order.
class RecordedProgress : public ProgressSink {
 public:
  void Begin(const std::string&, uint64_t) override {}
  void Advance(uint64_t) override {}
  void End() override {}
  void Line(const std::string& text) override {
    std::lock_guard<std::mutex> lock(mutex);
    lines.push_back(text);
  }
  void SetStatus(const std::string& text) override {
    std::lock_guard<std::mutex> lock(mutex);
    if (!text.empty()) statuses.push_back(text);
  }
  std::mutex mutex;
  std::vector<std::string> lines;
  std::vector<std::string> statuses;
};

}  // namespace

TEST_CASE("runner: a line when each job starts and ends, and the running jobs' status",
          "[external_runner]") {
  TempDir dir;
  std::vector<ExternalJob> list = {ShellJob(dir, "a", "echo step-a; sleep 0.5; printf x > \"$0\""),
                                   ShellJob(dir, "b", "echo step-b; sleep 0.5; exit 2"),
                                   ShellJob(dir, "c", "printf x > \"$0\"")};
  RecordedProgress progress;
  RunnerOptions options;
  options.jobs = 2;
  options.progress = &progress;
  RunExternalJobs(list, options);
  REQUIRE(progress.lines.size() == 6);
  const std::regex start(R"(\[[1-3]/3\] [abc]: converting)");
  const std::regex end(R"(\[[1-3]/3\] [abc]: (ok|FAILED), [0-9]+\.[0-9] s(: .*)?)");
  int started = 0, ended = 0;
  for (const std::string& line : progress.lines) {
    INFO(line);
    if (std::regex_match(line, start)) {
      CHECK(line.rfind("[" + std::to_string(++started) + "/3]", 0) == 0);
    } else {
      CHECK(std::regex_match(line, end));
      CHECK(line.rfind("[" + std::to_string(++ended) + "/3]", 0) == 0);
    }
  }
  CHECK(started == 3);
  // Each job's end comes after its start.
  for (const std::string name : {"a", "b", "c"}) {
    size_t s = 0, e = 0;
    for (size_t i = 0; i < progress.lines.size(); ++i) {
      if (progress.lines[i].find("] " + name + ": converting") != std::string::npos) s = i + 1;
      if (progress.lines[i].find("] " + name + ": ok") != std::string::npos ||
          progress.lines[i].find("] " + name + ": FAILED") != std::string::npos)
        e = i + 1;
    }
    CHECK(s > 0);
    CHECK(e > s);
  }
  bool failed_line = false;
  for (const std::string& line : progress.lines)
    failed_line = failed_line || (line.find("] b: FAILED, ") != std::string::npos &&
                                  line.find(": sh exited with code 2") != std::string::npos);
  CHECK(failed_line);
  // The status line named the running jobs, their time and their log's last line.
  bool seen = false;
  for (const std::string& status : progress.statuses)
    seen = seen ||
           (status.find("a ") != std::string::npos &&
            status.find(": step-a") != std::string::npos && status.find(" s") != std::string::npos);
  CHECK(seen);
}

TEST_CASE("runner: after an interrupt the running converter's group is stopped, no job starts",
          "[external_runner]") {
  TempDir dir;
  // The converter leaves a grandchild in its group and waits.
  const std::string script =
      "sleep 300 & echo $! > " + dir / "grandchild" + "; printf half > \"$0\"; sleep 300";
  std::vector<ExternalJob> list = {ShellJob(dir, "a", script), ShellJob(dir, "b", script)};
  RunnerOptions options;
  options.kill_grace_seconds = 0.5;
  std::thread interrupt([&] {
    for (int i = 0; i < 500 && !fs::exists(dir / "a.om"); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    SetInterruptForTest(SIGINT);
  });
  const auto start = std::chrono::steady_clock::now();
  std::vector<ModelOutcome> outcomes = RunExternalJobs(list, options);
  interrupt.join();
  SetInterruptForTest(0);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(30));
  REQUIRE(outcomes.size() == 2);
  CHECK_FALSE(outcomes[0].ok);
  CHECK(outcomes[0].error == "sh stopped: autoscale was interrupted");
  CHECK_FALSE(outcomes[1].ok);
  CHECK(outcomes[1].error == "not started: autoscale was interrupted");
  CHECK_FALSE(fs::exists(dir / "a.om"));
  CHECK_FALSE(fs::exists(dir / "b.om"));
  const pid_t grandchild = std::stoi(ReadTextFile(dir / "grandchild"));
  CHECK(ProcessEnded(grandchild));
}

}  // namespace autoscale
