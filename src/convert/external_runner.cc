#include "convert/external_runner.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include "common/interrupt.h"
#include "common/parallel_workers.h"
#include "convert/dry_run_script.h"

namespace autoscale {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::string SecondsText(double seconds) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g s", seconds);
  return buf;
}

bool StartsWith(const std::string& s, const std::string& prefix) {
  return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool MatchesOutput(const ExpectedOutput& out, const std::string& file_name) {
  const fs::path path(out.path);
  if (file_name == path.filename().string()) return true;
  if (!out.allow_platform_suffix) return false;
  const std::string prefix = path.stem().string() + "_";
  const std::string extension = path.extension().string();
  return file_name.size() > prefix.size() + extension.size() && StartsWith(file_name, prefix) &&
         EndsWith(file_name, extension);
}

// What a converter's output files looked like, to tell what a run wrote.
struct FileStamp {
  fs::file_time_type time;
  uintmax_t size = 0;
  bool operator==(const FileStamp& o) const { return time == o.time && size == o.size; }
};
using Snapshot = std::map<std::string, FileStamp>;

Snapshot OutputFiles(const ExpectedOutput& out) {
  Snapshot files;
  fs::path dir = fs::path(out.path).parent_path();
  if (dir.empty()) dir = ".";
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (!MatchesOutput(out, it->path().filename().string())) continue;
    std::error_code stat_ec;
    FileStamp stamp;
    stamp.time = fs::last_write_time(it->path(), stat_ec);
    if (fs::is_regular_file(it->path(), stat_ec)) stamp.size = fs::file_size(it->path(), stat_ec);
    files[it->path().string()] = stamp;
  }
  return files;
}

// The files the run created or changed; the expected name first.
std::vector<std::string> WrittenFiles(const ExpectedOutput& out, const Snapshot& before) {
  std::vector<std::string> written;
  for (const auto& [path, stamp] : OutputFiles(out)) {
    auto old = before.find(path);
    if (old == before.end() || !(old->second == stamp)) written.push_back(path);
  }
  const std::string expected = fs::path(out.path).filename().string();
  std::stable_partition(written.begin(), written.end(), [&](const std::string& p) {
    return fs::path(p).filename().string() == expected;
  });
  return written;
}

void WriteAll(int fd, const std::string& text) {
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    done += static_cast<size_t>(n);
  }
}

// Starts argv in a new process group with stdout and stderr on `log_fd` and
// stdin from /dev/null. Returns the pid, or an error when exec failed.
Result<pid_t> Spawn(const std::vector<std::string>& argv, int log_fd) {
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  // exec failures come back through a close-on-exec pipe: EOF means exec ran.
  int report[2];
  if (::pipe2(report, O_CLOEXEC) != 0)
    return Status::Error(std::string("cannot create a pipe: ") + std::strerror(errno));
  const int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid == 0) {
    // Only async-signal-safe calls from here: the parent may have threads.
    ::setpgid(0, 0);
    // If autoscale dies (Ctrl-C), the converter goes too instead of running on.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    if (null_fd >= 0) ::dup2(null_fd, 0);
    ::dup2(log_fd, 1);
    ::dup2(log_fd, 2);
    ::execv(args[0], args.data());
    int err = errno;
    ssize_t ignored = ::write(report[1], &err, sizeof err);
    (void)ignored;
    ::_exit(127);
  }
  const int fork_errno = errno;
  ::close(report[1]);
  if (null_fd >= 0) ::close(null_fd);
  if (pid < 0) {
    ::close(report[0]);
    return Status::Error("cannot start " + argv[0] + ": " + std::strerror(fork_errno));
  }
  // Set the group from both sides so it exists before either side goes on.
  ::setpgid(pid, pid);
  int err = 0;
  ssize_t n;
  do {
    n = ::read(report[0], &err, sizeof err);
  } while (n < 0 && errno == EINTR);
  ::close(report[0]);
  if (n == static_cast<ssize_t>(sizeof err)) {
    ::waitpid(pid, nullptr, 0);
    return Status::Error("cannot run " + argv[0] + ": " + std::strerror(err));
  }
  return pid;
}

// Waits until `pid` exits, without reaping it (so its pid, which is also its
// group's id, cannot be reused while we may still signal the group). False
// when `deadline` came first, or (with `interrupted` set) a signal did.
bool WaitForExit(pid_t pid, Clock::time_point deadline, bool* interrupted = nullptr) {
  auto delay = std::chrono::milliseconds(1);
  while (true) {
    siginfo_t info;
    std::memset(&info, 0, sizeof info);
    int rc = ::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT);
    if (rc == 0 && info.si_pid == pid) return true;
    if (rc != 0 && errno != EINTR) return true;  // not our child any more: nothing to wait for
    if (interrupted != nullptr && Interrupted()) {
      *interrupted = true;
      return false;
    }
    const auto now = Clock::now();
    if (now >= deadline) return false;
    std::this_thread::sleep_for(std::min<Clock::duration>(delay, deadline - now));
    delay = std::min(delay * 2, std::chrono::milliseconds(50));
  }
}

Clock::time_point After(double seconds) {
  return Clock::now() +
         std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
}

std::string ExitText(const std::string& tool, int status) {
  if (WIFEXITED(status)) return tool + " exited with code " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status))
    return tool + " was killed by signal " + std::to_string(WTERMSIG(status)) + " (" +
           ::strsignal(WTERMSIG(status)) + ")";
  return tool + " ended with wait status " + std::to_string(status);
}

// Runs one job to completion; the outcome says why it failed.
ModelOutcome RunJob(const ExternalJob& job, const RunnerOptions& options) {
  const auto start = Clock::now();
  ModelOutcome outcome;
  outcome.name = job.name;
  outcome.log_path = job.log_path;
  const std::string tool =
      job.argv.empty() ? std::string("converter") : fs::path(job.argv[0]).filename().string();
  auto finish = [&](std::string error) {
    outcome.error = std::move(error);
    outcome.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    return outcome;
  };
  if (job.argv.empty()) return finish("no command to run");

  std::error_code ec;
  const fs::path log_dir = fs::path(job.log_path).parent_path();
  if (!log_dir.empty()) fs::create_directories(log_dir, ec);
  const int log_fd = ::open(job.log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (log_fd < 0) return finish(job.log_path + ": cannot write: " + std::strerror(errno));
  const std::string header = "$ " + ShellCommandLine(job.argv) + "\n";
  WriteAll(log_fd, header);

  const Snapshot before = OutputFiles(job.output);
  Result<pid_t> spawned = Spawn(job.argv, log_fd);
  std::string error;
  if (!spawned.ok()) {
    error = spawned.message();
  } else {
    const pid_t pid = *spawned;
    bool interrupted = false;
    const bool stopped = !WaitForExit(pid, After(options.timeout_seconds), &interrupted);
    const bool timed_out = stopped && !interrupted;
    if (stopped) {
      ::kill(-pid, SIGTERM);
      if (!WaitForExit(pid, After(options.kill_grace_seconds))) ::kill(-pid, SIGKILL);
      WaitForExit(pid, Clock::time_point::max());
    }
    // Whatever is left of the group works on a conversion that is over and
    // holds the log open.
    ::kill(-pid, SIGKILL);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (interrupted) {
      error = tool + " stopped: autoscale was interrupted";
    } else if (timed_out) {
      error = tool + " timed out after " + SecondsText(options.timeout_seconds);
    } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      error = ExitText(tool, status);
    }
  }
  std::vector<std::string> written = WrittenFiles(job.output, before);
  if (error.empty() && written.empty()) error = tool + " exited 0 but wrote no " + job.output.path;
  if (error.empty()) {
    Status checked = CheckConverterOutput(written.front(), job.output.magic);
    if (!checked.ok()) error = tool + " exited 0 but " + checked.message();
  }
  if (error.empty()) {
    ::close(log_fd);
    outcome.ok = true;
    outcome.files = written;
    outcome.files.insert(outcome.files.end(), job.inputs.begin(), job.inputs.end());
    return finish("");
  }
  for (const std::string& path : written) fs::remove_all(path, ec);
  // The tail shows what the converter said; the command line is in the log.
  outcome.log_tail = FileTail(job.log_path, options.tail_lines);
  if (outcome.log_tail.compare(0, header.size(), header) == 0)
    outcome.log_tail.erase(0, header.size());
  else if (outcome.log_tail + "\n" == header)
    outcome.log_tail.clear();
  WriteAll(log_fd, "autoscale: " + error + "\n");
  ::close(log_fd);
  return finish(error);
}

bool IsExecutableFile(const fs::path& path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec) && ::access(path.c_str(), X_OK) == 0;
}

std::string SearchPath(const std::string& name) {
  const char* env = std::getenv("PATH");
  const std::string path = env ? env : "";
  size_t start = 0;
  while (start <= path.size()) {
    size_t colon = path.find(':', start);
    if (colon == std::string::npos) colon = path.size();
    const std::string dir = path.substr(start, colon - start);
    const fs::path candidate = fs::path(dir.empty() ? "." : dir) / name;
    if (IsExecutableFile(candidate)) return candidate.string();
    start = colon + 1;
  }
  return "";
}

std::string Elapsed(Clock::time_point since) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f s",
                std::chrono::duration<double>(Clock::now() - since).count());
  return buf;
}

// The jobs running now, for the progress lines and the status line.
class RunningJobs {
 public:
  void Started(size_t i, const std::vector<ExternalJob>& jobs, ProgressSink* progress) {
    std::lock_guard<std::mutex> lock(mutex_);
    started_[i] = Clock::now();
    ReportModelStart(progress, ++begun_, jobs.size(), jobs[i].name);
  }

  void Ended(size_t i, size_t total, const ModelOutcome& outcome, ProgressSink* progress) {
    std::lock_guard<std::mutex> lock(mutex_);
    started_.erase(i);
    ReportModelEnd(progress, ++ended_, total, outcome);
  }

  void Done() {
    std::lock_guard<std::mutex> lock(mutex_);
    done_ = true;
    wake_.notify_all();
  }

  // Redraws the status line every 200 ms until Done(), then clears it.
  void DrawUntilDone(const std::vector<ExternalJob>& jobs, ProgressSink* progress) {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!wake_.wait_for(lock, std::chrono::milliseconds(200), [&] { return done_; })) {
      std::string text;
      for (const auto& [i, since] : started_) {
        if (!text.empty()) text += " | ";
        std::string last = FileTail(jobs[i].log_path, 1);
        for (char& c : last)
          if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
        if (last.size() > 60) last = last.substr(0, 57) + "...";
        text += jobs[i].name + " " + Elapsed(since) + (last.empty() ? "" : ": " + last);
      }
      progress->SetStatus(text);
    }
    progress->SetStatus("");
  }

 private:
  std::mutex mutex_;
  std::condition_variable wake_;
  std::map<size_t, Clock::time_point> started_;
  size_t begun_ = 0;
  size_t ended_ = 0;
  bool done_ = false;
};

const char kDryRunHint[] = "use --dry-run to write the commands to convert.sh without running them";

}  // namespace

std::vector<ModelOutcome> RunExternalJobs(const std::vector<ExternalJob>& jobs,
                                          const RunnerOptions& options) {
  std::vector<ModelOutcome> outcomes(jobs.size());
  std::atomic<size_t> next{0};
  RunningJobs running;
  auto work = [&] {
    for (size_t i = next++; i < jobs.size(); i = next++) {
      if (Interrupted()) {
        outcomes[i].name = jobs[i].name;
        outcomes[i].log_path = jobs[i].log_path;
        outcomes[i].error = "not started: autoscale was interrupted";
        continue;
      }
      running.Started(i, jobs, options.progress);
      outcomes[i] = RunJob(jobs[i], options);
      running.Ended(i, jobs.size(), outcomes[i], options.progress);
    }
  };
  std::thread status;
  if (options.progress != nullptr)
    status = std::thread([&] { running.DrawUntilDone(jobs, options.progress); });
  RunWorkers(WorkerCount(std::max(1, options.jobs), jobs.size()), [&](int) { work(); });
  running.Done();
  if (status.joinable()) status.join();
  return outcomes;
}

std::string ModelFileMagic(const std::string& extension) {
  // An Ascend offline model starts with CANN's ModelFileHeader, whose first
  // field is the 32-bit little-endian magic 0x444F4D49: the bytes "IMOD".
  if (extension == ".om") return "IMOD";
  // ONNX and MindIR (.mindir) are protobuf messages, which have no magic:
  // they are only checked to be non-empty regular files. (MindSpore Lite's
  // .ms is a FlatBuffers file whose identifier at bytes 4-7 names its schema
  // version, "MSL1", "MSL2", ...; no backend writes .ms.)
  return "";
}

Status CheckConverterOutput(const std::string& path, const std::string& magic) {
  std::error_code ec;
  const fs::file_status status = fs::symlink_status(path, ec);
  if (ec) return Status::Error(path + ": cannot read: " + ec.message());
  if (!fs::is_regular_file(status)) return Status::Error(path + " is not a regular file");
  const uintmax_t size = fs::file_size(path, ec);
  if (ec) return Status::Error(path + ": cannot read: " + ec.message());
  if (size == 0) return Status::Error(path + " is empty");
  if (magic.empty()) return Status::Ok();
  std::ifstream in(path, std::ios::binary);
  std::string head(magic.size(), '\0');
  in.read(&head[0], static_cast<std::streamsize>(head.size()));
  if (static_cast<size_t>(in.gcount()) != magic.size() || head != magic)
    return Status::Error(path + " does not start with the format's magic bytes \"" + magic + "\"");
  return Status::Ok();
}

Status CheckRunnerOptions(const ConvertOptions& options) {
  if (options.jobs < 1)
    return Status::Error("--jobs " + std::to_string(options.jobs) + ": must be at least 1");
  if (options.timeout_seconds < 1)
    return Status::Error("--timeout " + std::to_string(options.timeout_seconds) +
                         ": must be at least 1 second");
  return Status::Ok();
}

RunnerOptions RunnerOptionsFrom(const ConvertOptions& options) {
  RunnerOptions runner;
  runner.jobs = options.jobs;
  runner.timeout_seconds = options.timeout_seconds;
  runner.progress = options.progress;
  return runner;
}

Result<std::string> FindConverter(const ConverterBinary& binary) {
  const std::string& given = binary.explicit_path;
  if (given.empty()) {
    std::string found = SearchPath(binary.name);
    if (!found.empty()) return found;
    return Status::Error(binary.name + " not found on PATH: " + binary.install_hint + ", pass " +
                         binary.path_flag + ", or " + kDryRunHint);
  }
  if (IsExecutableFile(given)) return given;
  if (given.find('/') == std::string::npos) {
    std::string found = SearchPath(given);
    if (!found.empty()) return found;
  }
  std::error_code ec;
  const char* why = fs::exists(given, ec) ? "not an executable file" : "no such file";
  return Status::Error(binary.path_flag + " " + given + ": " + why + "; fix the path or " +
                       kDryRunHint);
}

std::string ScriptBinary(const ConverterBinary& binary) {
  return binary.explicit_path.empty() ? binary.name : binary.explicit_path;
}

std::string FileTail(const std::string& path, int lines) {
  constexpr std::streamoff kMaxBytes = 64 * 1024;
  std::ifstream in(path, std::ios::binary);
  if (!in || lines <= 0) return "";
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  const std::streamoff from = size > kMaxBytes ? size - kMaxBytes : 0;
  in.seekg(from);
  std::string text(static_cast<size_t>(size - from), '\0');
  in.read(&text[0], static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(in.gcount()));
  if (from > 0) {  // drop the line the window cut through
    size_t nl = text.find('\n');
    text.erase(0, nl == std::string::npos ? text.size() : nl + 1);
  }
  while (!text.empty() && text.back() == '\n') text.pop_back();
  // Walk back over `lines` newlines; an empty log has no lines.
  size_t begin = text.size();
  int found = 0;
  while (begin > 0) {
    const size_t nl = text.rfind('\n', begin - 1);
    if (nl == std::string::npos) {
      begin = 0;
    } else if (++found == lines) {
      begin = nl + 1;
      break;
    } else {
      begin = nl;
    }
  }
  return text.substr(begin);
}

}  // namespace autoscale
