#include "convert/output_set.h"

#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "support/run_binary.h"

using autoscale::test::ReadTextFile;
using autoscale::test::TempDir;
using autoscale::test::WriteTextFile;
namespace fs = std::filesystem;

namespace autoscale {
namespace {

std::unique_ptr<OutputSet> OpenSet(const std::string& dir, bool stage = true) {
  auto set = OutputSet::Open(dir, stage);
  INFO(set.message());
  REQUIRE(set.ok());
  return std::move(set).value();
}

// A pid no process has any more.
pid_t DeadPid() {
  const pid_t pid = ::fork();
  if (pid == 0) ::_exit(0);
  ::waitpid(pid, nullptr, 0);
  return pid;
}

std::vector<std::string> Hidden(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (name[0] == '.' && name != OutputSet::kLockName && name != OutputSet::kManifestName)
      names.push_back(name);
  }
  return names;
}

}  // namespace

TEST_CASE("output set: a second run into a locked folder is refused", "[output_set]") {
  TempDir dir;
  auto first = OpenSet(dir / "out");
  auto second = OutputSet::Open(dir / "out", true);
  REQUIRE_FALSE(second.ok());
  CHECK(second.message() == "--output_path " + dir / "out" +
                                ": another autoscale is converting into this folder (it holds "
                                ".autoscale.lock); wait for it to finish or choose another "
                                "--output_path");
  first.reset();
  CHECK(OutputSet::Open(dir / "out", true).ok());
}

TEST_CASE("output set: nothing reaches the folder before Commit, and an abandoned staging goes",
          "[output_set]") {
  TempDir dir;
  WriteTextFile(dir / "out/gears.json", "old");
  {
    auto set = OpenSet(dir / "out");
    CHECK(fs::path(set->staging()).parent_path() == fs::path(dir / "out"));
    WriteTextFile(set->staging() + "/gears.json", "new");
    WriteTextFile(set->staging() + "/m.om", "new model");
    CHECK(ReadTextFile(dir / "out/gears.json") == "old");
    CHECK_FALSE(fs::exists(dir / "out/m.om"));
  }
  CHECK(ReadTextFile(dir / "out/gears.json") == "old");
  CHECK(Hidden(dir / "out").empty());
}

TEST_CASE("output set: Commit replaces the set and removes only what the last one wrote",
          "[output_set]") {
  TempDir dir;
  const std::string out = dir / "out";
  WriteTextFile(out + "/notes.txt", "the user's");
  {
    auto set = OpenSet(out);
    WriteTextFile(set->staging() + "/gears.json", "1");
    WriteTextFile(set->staging() + "/a.om", "a1");
    WriteTextFile(set->staging() + "/b_gears/b_1.onnx", "b1");
    WriteTextFile(set->staging() + "/logs/a.log", "log a1");
    CHECK(set->Final(set->staging() + "/a.om") == out + "/a.om");
    REQUIRE(set->Commit().ok());
  }
  CHECK(OutputSet::ManifestEntries(out) ==
        std::vector<std::string>{"a.om", "b_gears", "gears.json", "logs/a.log"});
  WriteTextFile(out + "/c.om", "not in the manifest");
  {
    auto set = OpenSet(out);
    WriteTextFile(set->staging() + "/gears.json", "2");
    WriteTextFile(set->staging() + "/b_gears/b_2.onnx", "b2");
    WriteTextFile(set->staging() + "/logs/b.log", "log b2");
    REQUIRE(set->Commit().ok());
  }
  CHECK(ReadTextFile(out + "/gears.json") == "2");
  CHECK_FALSE(fs::exists(out + "/a.om"));
  CHECK_FALSE(fs::exists(out + "/logs/a.log"));
  CHECK_FALSE(fs::exists(out + "/b_gears/b_1.onnx"));  // the folder is replaced as a whole
  CHECK(ReadTextFile(out + "/b_gears/b_2.onnx") == "b2");
  CHECK(ReadTextFile(out + "/c.om") == "not in the manifest");
  CHECK(ReadTextFile(out + "/notes.txt") == "the user's");
  CHECK(Hidden(out).empty());
  CHECK_THAT(ReadTextFile(out + "/" + OutputSet::kManifestName),
             Catch::Contains("\"state\": \"complete\""));
}

TEST_CASE("output set: CommitLogs keeps the previous set and adds the logs", "[output_set]") {
  TempDir dir;
  const std::string out = dir / "out";
  {
    auto set = OpenSet(out);
    WriteTextFile(set->staging() + "/gears.json", "1");
    WriteTextFile(set->staging() + "/a.om", "a1");
    REQUIRE(set->Commit().ok());
  }
  {
    auto set = OpenSet(out);
    WriteTextFile(set->staging() + "/gears.json", "2");
    WriteTextFile(set->staging() + "/b.om", "b2");
    WriteTextFile(set->staging() + "/logs/b.log", "why b failed");
    REQUIRE(set->CommitLogs().ok());
  }
  CHECK(ReadTextFile(out + "/gears.json") == "1");
  CHECK(ReadTextFile(out + "/a.om") == "a1");
  CHECK_FALSE(fs::exists(out + "/b.om"));
  CHECK(ReadTextFile(out + "/logs/b.log") == "why b failed");
  CHECK(OutputSet::ManifestEntries(out) ==
        std::vector<std::string>{"a.om", "gears.json", "logs/b.log"});
  CHECK(Hidden(out).empty());
}

TEST_CASE("output set: a manifest cannot make it remove anything outside the folder",
          "[output_set]") {
  TempDir dir;
  const std::string out = dir / "out";
  WriteTextFile(dir / "precious", "keep");
  WriteTextFile(out + "/" + OutputSet::kManifestName,
                R"({"files": ["../precious", ")" + dir / "precious" +
                    R"(", "sub/../../precious", ".autoscale.lock", "ok.om", 3]})");
  CHECK(OutputSet::ManifestEntries(out) == std::vector<std::string>{"ok.om"});
  WriteTextFile(out + "/" + OutputSet::kManifestName, "not json");
  CHECK(OutputSet::ManifestEntries(out).empty());
  auto set = OpenSet(out);
  WriteTextFile(set->staging() + "/gears.json", "1");
  REQUIRE(set->Commit().ok());
  CHECK(ReadTextFile(dir / "precious") == "keep");
}

TEST_CASE("output set: staging folders and temporaries of dead runs are removed", "[output_set]") {
  TempDir dir;
  const std::string out = dir / "out";
  const std::string dead = std::to_string(DeadPid());
  const std::string alive = std::to_string(::getppid());
  WriteTextFile(out + "/.autoscale-staging." + dead + "/m.om", "half");
  WriteTextFile(out + "/.m_gears.tmp." + dead + ".0/m_1x3x32x32.onnx", "half");
  WriteTextFile(out + "/.gears.json.tmp." + dead + ".3", "half");
  WriteTextFile(out + "/.gears.json.tmp." + alive + ".1", "another process is writing it");
  WriteTextFile(out + "/.hidden.tmp.notes", "the user's");
  auto set = OpenSet(out, false);
  CHECK(set->staging() == out);
  std::vector<std::string> left = Hidden(out);
  std::sort(left.begin(), left.end());
  CHECK(left == std::vector<std::string>{".gears.json.tmp." + alive + ".1", ".hidden.tmp.notes"});
}

}  // namespace autoscale
