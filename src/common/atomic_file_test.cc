#include "common/atomic_file.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
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
  CHECK_THAT(s.message(), Catch::Contains("out.json: a folder, not a file; not replaced"));
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

TEST_CASE("a link planted at the temporary name is never written through", "[atomic_file]") {
  test::TempDir dir;
  const std::string victim = test::WriteTextFile(dir / "victim", "keep\n");
  // The names the next writes would take: "<dir>/.a.json.tmp.<pid>.<n>".
  const std::string next = TempPathFor(dir / "a.json");
  const std::string prefix = next.substr(0, next.rfind('.') + 1);
  const int n = std::stoi(next.substr(next.rfind('.') + 1));
  for (int i = n; i < n + 50; ++i)
    std::filesystem::create_symlink(victim, prefix + std::to_string(i));
  REQUIRE(WriteFileAtomic(dir / "a.json", "{}\n").ok());
  CHECK(test::ReadTextFile(victim) == "keep\n");
  CHECK(std::filesystem::is_regular_file(std::filesystem::symlink_status(dir / "a.json")));
  CHECK(test::ReadTextFile(dir / "a.json") == "{}\n");
}

TEST_CASE("CreateTempFile skips a taken name and never follows a link", "[atomic_file]") {
  test::TempDir dir;
  const std::string victim = test::WriteTextFile(dir / "victim", "keep\n");
  const std::string next = TempPathFor(dir / "out");
  const std::string prefix = next.substr(0, next.rfind('.') + 1);
  const int n = std::stoi(next.substr(next.rfind('.') + 1));
  std::filesystem::create_symlink(victim, prefix + std::to_string(n + 1));
  auto temp = CreateTempFile(dir / "out");
  REQUIRE(temp.ok());
  CHECK(temp->path != prefix + std::to_string(n + 1));
  CHECK(WriteAll(temp->fd, "new", 3));
  ::close(temp->fd);
  REQUIRE(CommitTempFile(temp->path, dir / "out").ok());
  CHECK(test::ReadTextFile(dir / "out") == "new");
  CHECK(test::ReadTextFile(victim) == "keep\n");
}

TEST_CASE("a write onto a symbolic link writes its target and keeps the link", "[atomic_file]") {
  test::TempDir dir;
  test::WriteTextFile(dir / "real.json", "old\n");
  std::filesystem::create_symlink("real.json", dir / "link.json");
  REQUIRE(WriteFileAtomic(dir / "link.json", "new\n").ok());
  CHECK(std::filesystem::is_symlink(dir / "link.json"));
  CHECK(test::ReadTextFile(dir / "real.json") == "new\n");
  // A link to a file not there yet creates the file.
  std::filesystem::create_symlink(dir / "later.json", dir / "dangling.json");
  REQUIRE(WriteFileAtomic(dir / "dangling.json", "x").ok());
  CHECK(std::filesystem::is_symlink(dir / "dangling.json"));
  CHECK(test::ReadTextFile(dir / "later.json") == "x");
  // A loop is an error naming the path.
  std::filesystem::create_symlink("loop2", dir / "loop1");
  std::filesystem::create_symlink("loop1", dir / "loop2");
  Status s = WriteFileAtomic(dir / "loop1", "x");
  REQUIRE_FALSE(s.ok());
  CHECK_THAT(s.message(), Catch::Contains("loop1: too many levels of symbolic links"));
}

TEST_CASE("a rewritten file keeps its permission bits", "[atomic_file]") {
  test::TempDir dir;
  const std::string path = test::WriteTextFile(dir / "a.json", "old");
  ::chmod(path.c_str(), 0640);
  REQUIRE(WriteFileAtomic(path, "new").ok());
  struct stat st;
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0640);
}

TEST_CASE("a FIFO is written in place, not replaced", "[atomic_file]") {
  test::TempDir dir;
  const std::string fifo = dir / "pipe";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  // Opened for reading first (without blocking) so the write does not wait.
  const int reader = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK);
  REQUIRE(reader >= 0);
  REQUIRE(WriteFileAtomic(fifo, "through\n").ok());
  char buf[32] = {};
  const ssize_t n = ::read(reader, buf, sizeof buf);
  ::close(reader);
  CHECK(std::string(buf, n > 0 ? n : 0) == "through\n");
  struct stat st;
  REQUIRE(::lstat(fifo.c_str(), &st) == 0);
  CHECK(S_ISFIFO(st.st_mode));
  CHECK(Entries(dir.path()) == std::vector<std::string>{"pipe"});
}

TEST_CASE("a link through /proc to a pipe (as /dev/stdout) writes into the pipe", "[atomic_file]") {
  test::TempDir dir;
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  std::filesystem::create_symlink("/proc/self/fd/" + std::to_string(fds[1]), dir / "out");
  Status s = WriteFileAtomic(dir / "out", "piped\n");
  ::close(fds[1]);
  CHECK(s.ok());
  char buf[32] = {};
  const ssize_t n = ::read(fds[0], buf, sizeof buf);
  ::close(fds[0]);
  CHECK(std::string(buf, n > 0 ? n : 0) == "piped\n");
  CHECK(std::filesystem::is_symlink(dir / "out"));
}
