#include "convert/output_set.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <set>

#include <nlohmann/json.hpp>

#include "common/atomic_file.h"
#include "common/json_text.h"

namespace autoscale {
namespace {

namespace fs = std::filesystem;

const char* const kCommitPoints[] = {"gears.json", "scaling_data.json"};

bool IsCommitPoint(const std::string& entry) {
  return std::find(std::begin(kCommitPoints), std::end(kCommitPoints), entry) !=
         std::end(kCommitPoints);
}

bool StartsWith(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

bool ProcessAlive(pid_t pid) { return pid > 0 && (::kill(pid, 0) == 0 || errno == EPERM); }

// The pid in a temporary name ".<name>.tmp.<pid>.<n>", or 0.
pid_t TempOwner(const std::string& name) {
  if (name.empty() || name[0] != '.') return 0;
  const size_t at = name.rfind(".tmp.");
  if (at == std::string::npos) return 0;
  const std::string rest = name.substr(at + 5);
  const size_t dot = rest.find('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == rest.size()) return 0;
  const std::string pid = rest.substr(0, dot), n = rest.substr(dot + 1);
  const auto digits = [](const std::string& s) {
    return s.size() < 10 &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (!digits(pid) || !digits(n)) return 0;
  return static_cast<pid_t>(std::stol(pid));
}

// Entries of an earlier run that died: staging folders (we hold the lock, so
// their owner is gone) and temporaries of processes that no longer run.
void RemoveLeftovers(const std::string& dir) {
  std::error_code ec;
  std::vector<fs::path> stale;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    const pid_t owner = TempOwner(name);
    if (StartsWith(name, OutputSet::kStagingPrefix) ||
        (owner != 0 && owner != ::getpid() && !ProcessAlive(owner)))
      stale.push_back(it->path());
  }
  for (const fs::path& p : stale) fs::remove_all(p, ec);
}

bool SafeEntry(const std::string& entry) {
  if (entry.empty() || entry[0] == '/' || entry == OutputSet::kLockName ||
      entry == OutputSet::kManifestName || StartsWith(entry, OutputSet::kStagingPrefix))
    return false;
  for (const auto& part : fs::path(entry)) {
    if (part == ".." || part == ".") return false;
  }
  return true;
}

Status WriteManifest(const std::string& dir, const std::vector<std::string>& entries,
                     const std::string& state) {
  nlohmann::json j = {{"written_by", "autoscale convert"}, {"state", state}, {"files", entries}};
  return WriteFileAtomic((fs::path(dir) / OutputSet::kManifestName).string(),
                         JsonText(j, 2) + "\n");
}

}  // namespace

Result<std::unique_ptr<OutputSet>> OutputSet::Open(const std::string& dir, bool stage) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Status::Error("--output_path " + dir + ": cannot create: " + ec.message());
  const std::string lock_path = (fs::path(dir) / kLockName).string();
  const int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd < 0) return Status::Error(lock_path + ": cannot open: " + std::strerror(errno));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    ::close(fd);
    if (err != EWOULDBLOCK)
      return Status::Error(lock_path + ": cannot lock: " + std::strerror(err));
    return Status::Error("--output_path " + dir +
                         ": another autoscale is converting into this folder (it holds " +
                         kLockName + "); wait for it to finish or choose another --output_path");
  }
  std::unique_ptr<OutputSet> set(new OutputSet(dir, fd));
  RemoveLeftovers(dir);
  set->staging_ = dir;
  if (stage) {
    set->staging_ = (fs::path(dir) / (kStagingPrefix + std::to_string(::getpid()))).string();
    fs::create_directory(set->staging_, ec);
    if (ec) return Status::Error(set->staging_ + ": cannot create: " + ec.message());
  }
  return set;
}

OutputSet::~OutputSet() {
  if (!committed_ && staging_ != dir_) {
    std::error_code ec;
    fs::remove_all(staging_, ec);
  }
  if (lock_fd_ >= 0) ::close(lock_fd_);  // releases the lock
}

std::vector<std::string> OutputSet::ManifestEntries(const std::string& dir) {
  std::vector<std::string> entries;
  Result<std::string> text = ReadFile((fs::path(dir) / kManifestName).string());
  if (!text.ok()) return entries;
  const nlohmann::json j = nlohmann::json::parse(*text, nullptr, false);
  if (!j.is_object() || !j.contains("files") || !j["files"].is_array()) return entries;
  for (const nlohmann::json& e : j["files"]) {
    if (e.is_string() && SafeEntry(e.get<std::string>())) entries.push_back(e.get<std::string>());
  }
  return entries;
}

std::vector<std::string> OutputSet::StagedEntries(bool logs_only) const {
  std::vector<std::string> entries;
  std::error_code ec;
  for (fs::directory_iterator it(staging_, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name == "logs" && it->is_directory()) {
      std::error_code log_ec;
      for (fs::directory_iterator log(it->path(), log_ec), log_end; !log_ec && log != log_end;
           log.increment(log_ec))
        entries.push_back("logs/" + log->path().filename().string());
    } else if (!logs_only) {
      entries.push_back(name);
    }
  }
  std::sort(entries.begin(), entries.end());
  return entries;
}

Status OutputSet::MoveIn(const std::string& entry) {
  const fs::path from = fs::path(staging_) / entry, to = fs::path(dir_) / entry;
  std::error_code ec;
  fs::create_directories(to.parent_path(), ec);
  const fs::file_status target = fs::symlink_status(to, ec);
  // rename() replaces a file but not a folder: a folder in the way is moved
  // aside into the staging folder first and removed with it.
  if (fs::is_directory(target) || (fs::exists(target) && fs::is_directory(from))) {
    const fs::path aside = fs::path(staging_) / (".replaced." + to.filename().string());
    fs::rename(to, aside, ec);
    if (ec) return Status::Error(to.string() + ": cannot replace: " + ec.message());
  }
  fs::rename(from, to, ec);
  if (ec) return Status::Error(to.string() + ": cannot write: " + ec.message());
  return Status::Ok();
}

Status OutputSet::Commit() {
  if (staging_ == dir_) return Status::Ok();
  const std::vector<std::string> old = ManifestEntries(dir_);
  const std::vector<std::string> added = StagedEntries(false);
  std::set<std::string> both(old.begin(), old.end());
  both.insert(added.begin(), added.end());
  Status s = WriteManifest(dir_, std::vector<std::string>(both.begin(), both.end()), "committing");
  if (!s.ok()) return s;
  // gears.json goes first and comes back last.
  std::error_code ec;
  for (const char* name : kCommitPoints) {
    const bool ours = std::find(old.begin(), old.end(), name) != old.end();
    const bool replaced = std::find(added.begin(), added.end(), name) != added.end();
    if (ours || replaced) fs::remove((fs::path(dir_) / name), ec);
  }
  for (const std::string& entry : added) {
    if (IsCommitPoint(entry)) continue;
    s = MoveIn(entry);
    if (!s.ok()) return s;
  }
  const std::set<std::string> now(added.begin(), added.end());
  for (const std::string& entry : old) {
    if (!now.count(entry)) fs::remove_all(fs::path(dir_) / entry, ec);
  }
  for (const std::string& entry : added) {
    if (!IsCommitPoint(entry)) continue;
    s = MoveIn(entry);
    if (!s.ok()) return s;
  }
  s = WriteManifest(dir_, added, "complete");
  if (!s.ok()) return s;
  committed_ = true;
  fs::remove_all(staging_, ec);
  return Status::Ok();
}

Status OutputSet::CommitLogs() {
  if (staging_ == dir_) return Status::Ok();
  const std::vector<std::string> logs = StagedEntries(true);
  if (logs.empty()) return Status::Ok();
  std::vector<std::string> entries = ManifestEntries(dir_);
  entries.insert(entries.end(), logs.begin(), logs.end());
  std::sort(entries.begin(), entries.end());
  entries.erase(std::unique(entries.begin(), entries.end()), entries.end());
  Status s = WriteManifest(dir_, entries, "complete");
  if (!s.ok()) return s;
  for (const std::string& entry : logs) {
    s = MoveIn(entry);
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

std::string OutputSet::Final(const std::string& path) const {
  if (staging_ == dir_) return path;
  const fs::path relative = fs::path(path).lexically_relative(staging_);
  if (relative.empty() || *relative.begin() == "..") return path;
  return (fs::path(dir_) / relative).string();
}

}  // namespace autoscale
