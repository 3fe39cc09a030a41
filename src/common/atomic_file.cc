#include "common/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

namespace autoscale {

namespace {

namespace fs = std::filesystem;

// Links followed before a path is called a loop (as the kernel's ELOOP).
constexpr int kMaxLinks = 40;
// Names tried before CreateTempFile gives up.
constexpr int kTempAttempts = 100;

std::string Why(int error) { return std::strerror(error); }

// "a folder", "a FIFO", ...: what a path that is not a regular file is.
const char* KindOf(mode_t mode) {
  if (S_ISDIR(mode)) return "a folder";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISFIFO(mode)) return "a FIFO";
  return "a special file";
}

// Writes to a device or FIFO as it is: opened, written, closed.
Status WriteInPlace(const std::string& shown, const std::string& path, const std::string& data) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) return Status::Error(shown + ": cannot write: " + Why(errno));
  const bool written = WriteAll(fd, data.data(), data.size());
  const int error = errno;
  const bool closed = ::close(fd) == 0;
  if (!written || !closed)
    return Status::Error(shown + ": cannot write: " + Why(written ? errno : error));
  return Status::Ok();
}

}  // namespace

bool IsStdoutPath(const std::string& path) { return path == "-"; }

bool WriteAll(int fd, const char* data, size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

Result<std::string> ResolveOutputTarget(const std::string& path) {
  fs::path p(path);
  for (int links = 0; links <= kMaxLinks; ++links) {
    struct stat st;
    if (::lstat(p.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) return p.string();
    std::error_code ec;
    const fs::path to = fs::read_symlink(p, ec);
    if (ec) return Status::Error(path + ": cannot read the link: " + ec.message());
    p = to.is_absolute() ? to : p.parent_path() / to;
  }
  return Status::Error(path + ": too many levels of symbolic links");
}

std::string TempPathFor(const std::string& path) {
  static std::atomic<uint64_t> counter{0};
  fs::path p(path);
  // Short enough that the temporary name fits NAME_MAX whatever the name.
  std::string base = p.filename().string().substr(0, 160);
  std::string name =
      "." + base + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter++);
  return (p.parent_path() / name).string();
}

namespace {

// CreateTempFile and CommitTempFile with `shown` naming the file in errors.
Result<TempFile> CreateTemp(const std::string& path, const std::string& shown) {
  std::random_device random;
  for (int attempt = 0; attempt < kTempAttempts; ++attempt) {
    TempFile t;
    t.path = TempPathFor(path);
    // A name taken (by a stale file or a planted link) is skipped; after the
    // first, names carry a random part nobody can plant ahead.
    if (attempt > 0) {
      char suffix[20];
      std::snprintf(suffix, sizeof suffix, ".%08x", static_cast<unsigned>(random()));
      t.path += suffix;
    }
    t.fd = ::open(t.path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (t.fd >= 0) return t;
    if (errno != EEXIST) return Status::Error(shown + ": cannot write: " + Why(errno));
  }
  return Status::Error(shown + ": cannot write: no free temporary name beside it");
}

Status Commit(const std::string& temp_path, const std::string& path, const std::string& shown) {
  auto target = ResolveOutputTarget(path);
  std::string error;
  struct stat st;
  if (!target.ok()) {
    error = target.message();
  } else if (::stat(target->c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    error = shown + ": " + KindOf(st.st_mode) + ", not a file; not replaced";
  } else if (std::rename(temp_path.c_str(), target->c_str()) != 0) {
    error = shown + ": cannot write: " + Why(errno);
  }
  if (error.empty()) return Status::Ok();
  std::remove(temp_path.c_str());
  return Status::Error(error);
}

}  // namespace

Result<TempFile> CreateTempFile(const std::string& path) { return CreateTemp(path, path); }

Status CommitTempFile(const std::string& temp_path, const std::string& path) {
  return Commit(temp_path, path, path);
}

Status WriteFileAtomic(const std::string& path, const std::string& contents) {
  if (IsStdoutPath(path)) {
    std::fflush(stdout);
    if (!WriteAll(STDOUT_FILENO, contents.data(), contents.size()))
      return Status::Error("standard output: cannot write: " + Why(errno));
    return Status::Ok();
  }
  // Devices and FIFOs are opened through `path` itself: links such as
  // /dev/stdout lead through /proc to a pipe that has no name to resolve.
  struct stat st;
  const bool exists = ::stat(path.c_str(), &st) == 0;
  if (exists && (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode)))
    return WriteInPlace(path, path, contents);
  if (exists && !S_ISREG(st.st_mode))
    return Status::Error(path + ": " + KindOf(st.st_mode) + ", not a file; not replaced");
  auto target = ResolveOutputTarget(path);
  if (!target.ok()) return target.status();

  auto temp = CreateTemp(*target, path);
  if (!temp.ok()) return temp.status();
  if (exists) ::fchmod(temp->fd, st.st_mode & 07777);
  const bool written = WriteAll(temp->fd, contents.data(), contents.size());
  const int error = errno;
  if (::close(temp->fd) != 0 || !written) {
    std::remove(temp->path.c_str());
    return Status::Error(path + ": cannot write: " + Why(written ? errno : error));
  }
  return Commit(temp->path, *target, path);
}

Result<std::string> ReadFile(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    return Status::Error(path + ": is a folder, not a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Error(path + ": cannot read: " + std::strerror(errno));
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace autoscale
