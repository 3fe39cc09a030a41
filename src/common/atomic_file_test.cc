#include "common/atomic_file.h"

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <vector>

#include "support/run_binary.h"

using namespace autoscale;

namespace {

// The names in `dir`, sorted.
std::vector<std::string> Entries(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

TEST_CASE("atomic writes leave no temporary file behind", "[atomic_file]") {
  test::TempDir dir;
  REQUIRE(WriteFileAtomic(dir / "a.json", "{}\n").ok());
  CHECK(test::ReadTextFile(dir / "a.json") == "{}\n");
  int entries = 0;
  for (auto& e : std::filesystem::directory_iterator(dir.path())) (void)e, ++entries;
  CHECK(entries == 1);
}

TEST_CASE("a write into a missing folder fails with the path and leaves nothing", "[atomic_file]") {
  test::TempDir dir;
  Status s = WriteFileAtomic(dir / "no/such/dir/a.json", "x");
  REQUIRE_FALSE(s.ok());
  CHECK_THAT(s.message(), Catch::Contains("no/such/dir/a.json: cannot write"));
  CHECK(Entries(dir.path()).empty());
}

TEST_CASE("a write that cannot be renamed into place leaves no temporary file", "[atomic_file]") {
  test::TempDir dir;
  // The target is a folder that is not empty: the rename fails.
  std::filesystem::create_directories(dir / "out.json/inside");
  Status s = WriteFileAtomic(dir / "out.json", "{}\n");
  REQUIRE_FALSE(s.ok());
  CHECK_THAT(s.message(), Catch::Contains("out.json: cannot write"));
  CHECK(Entries(dir.path()) == std::vector<std::string>{"out.json"});
}

TEST_CASE("a write that fails half-way keeps the old file and leaves no temporary file",
          "[atomic_file]") {
  test::TempDir dir;
  const std::string path = dir / "a.json";
  REQUIRE(WriteFileAtomic(path, "old\n").ok());
  // A child process whose files may not grow beyond 16 bytes: the write of
  // 64 KiB fails as on a full disk.
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::signal(SIGXFSZ, SIG_IGN);
    struct rlimit limit = {16, 16};
    ::setrlimit(RLIMIT_FSIZE, &limit);
    Status failed = WriteFileAtomic(path, std::string(64 << 10, 'x'));
    ::_exit(failed.ok() ? 1 : 0);
  }
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(test::ReadTextFile(path) == "old\n");
  CHECK(Entries(dir.path()) == std::vector<std::string>{"a.json"});
}

TEST_CASE("a temporary file given up on is removed by a failed commit", "[atomic_file]") {
  test::TempDir dir;
  std::filesystem::create_directories(dir / "target/inside");
  const std::string temp = TempPathFor(dir / "target");
  std::ofstream(temp) << "partial";
  REQUIRE(std::filesystem::exists(temp));
  REQUIRE_FALSE(CommitTempFile(temp, dir / "target").ok());
  CHECK(Entries(dir.path()) == std::vector<std::string>{"target"});
}

TEST_CASE("ReadFile names the path it cannot read", "[atomic_file]") {
  test::TempDir dir;
  auto r = ReadFile(dir / "missing");
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.message(), Catch::Contains("missing: cannot read"));
  r = ReadFile(dir.path());
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.message(), Catch::Contains("is a folder"));
}
