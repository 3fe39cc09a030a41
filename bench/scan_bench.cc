// Scan benchmark: sizes of a folder of at least 100,000 real image files.
//   scan_bench [--dir DIR] [--files N] [--source DIR] [--threads T]
// Builds DIR (default bench/cache/scan_100k, git-ignored) from copies of the
// images in --source if it does not hold N files yet, reads every file once
// to warm the page cache, then times in the same run:
//   (a) ReadImageFolder with T threads (default 2);
//   (b) Python + PIL, Image.open(p).size per file (bench/scan_baseline.py);
//   (c) a plain loop: list the files, then T threads open, read 4 KiB and
//       close each one.
// Goals: (a) at least 3x (b), and at least half of (c).
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "stats/readers/image_folder_reader.h"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

struct Args {
  std::string dir;
  std::string source = "/work/shared/datasets/ic15_words_train/images";
  size_t files = 100000;
  int threads = 2;
  int rounds = 3;
};

const fs::path kBenchDir = fs::path(__FILE__).parent_path();

double Seconds(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// CPU time (user + system) of this process or of its waited-for children:
// on a shared machine it says what a method costs, whatever else runs.
double CpuSeconds(int who) {
  struct rusage ru {};
  ::getrusage(who, &ru);
  auto s = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  return s(ru.ru_utime) + s(ru.ru_stime);
}

std::string CachePath(size_t i) {
  char name[64];
  std::snprintf(name, sizeof name, "d%03zu/word_%06zu.png", i / 1000, i);
  return name;
}

enum class CacheState { kReady, kFailed, kNotOurs };

// Copies the source images round-robin into DIR/dNNN/ (1,000 files per
// folder) until it holds `files` of them. The marker DIR.complete beside DIR
// is written before the first copy and says the folder is the benchmark's
// (then it may empty it and start again) and, once done, how many files it
// holds. A folder without the marker that holds anything is someone else's:
// it is never written to.
CacheState BuildCache(const Args& a) {
  const fs::path marker = a.dir + ".complete";
  std::error_code ec;
  const bool ours = fs::exists(marker, ec);
  if (ours) {
    std::ifstream in(marker);
    size_t have = 0;
    if (in >> have && have == a.files) return CacheState::kReady;
  } else if (fs::exists(a.dir, ec) && !(fs::is_directory(a.dir, ec) && fs::is_empty(a.dir, ec))) {
    std::fprintf(stderr,
                 "scan_bench: %s is not a folder scan_bench made (no %s beside it) and is not "
                 "empty: it builds its copies only in a new or empty folder\n",
                 a.dir.c_str(), marker.c_str());
    return CacheState::kNotOurs;
  }
  std::vector<fs::path> sources;
  for (const auto& e : fs::directory_iterator(a.source, ec)) {
    if (e.is_regular_file()) sources.push_back(e.path());
  }
  if (sources.empty()) {
    std::fprintf(stderr, "scan_bench: no source images in %s\n", a.source.c_str());
    return CacheState::kFailed;
  }
  std::sort(sources.begin(), sources.end());
  std::printf("building %s: %zu copies of %zu images from %s\n", a.dir.c_str(), a.files,
              sources.size(), a.source.c_str());
  fs::create_directories(fs::path(a.dir).parent_path(), ec);
  std::ofstream(marker) << "building\n";  // claims the folder before anything is written
  if (ours) fs::remove_all(a.dir, ec);
  for (size_t i = 0; i < a.files; ++i) {
    const fs::path to = fs::path(a.dir) / CachePath(i);
    if (i % 1000 == 0) fs::create_directories(to.parent_path());
    fs::copy_file(sources[i % sources.size()], to, fs::copy_options::overwrite_existing, ec);
    if (ec) {
      std::fprintf(stderr, "scan_bench: cannot copy to %s: %s\n", to.c_str(), ec.message().c_str());
      return CacheState::kFailed;
    }
  }
  std::ofstream(marker) << a.files << "\n";
  return CacheState::kReady;
}

// Sorted like ReadImageFolder's order, which here is also the order the
// copies were made in (and so their inodes): the loop gets the same locality.
std::vector<std::string> ListFiles(const std::string& dir) {
  std::vector<std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Runs `work(i)` for i in [0, n) on `threads` threads.
template <typename Work>
void Parallel(size_t n, int threads, Work work) {
  std::atomic<size_t> next{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      for (size_t i; (i = next.fetch_add(1)) < n;) work(i);
    });
  }
  for (auto& th : pool) th.join();
}

// Reads every byte of every file once, so all methods find a warm cache;
// returns the number of files.
size_t WarmCache(const std::string& dir) {
  size_t files = 0;
  std::vector<char> buf(1 << 16);
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    ++files;
    int fd = ::open(e.path().c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;
    while (::read(fd, buf.data(), buf.size()) > 0) {
    }
    ::close(fd);
  }
  return files;
}

// (c): the plain loop. Returns {seconds with listing, seconds of the loop alone}.
std::pair<double, double> PlainLoop(const std::string& dir, int threads, size_t* files_read) {
  const auto start = Clock::now();
  const std::vector<std::string> files = ListFiles(dir);
  const auto loop_start = Clock::now();
  std::atomic<size_t> ok{0};
  Parallel(files.size(), threads, [&](size_t i) {
    char buf[4096];
    int fd = ::open(files[i].c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    if (::read(fd, buf, sizeof buf) > 0) ok.fetch_add(1, std::memory_order_relaxed);
    ::close(fd);
  });
  *files_read = ok.load();
  return {Seconds(start), Seconds(loop_start)};
}

// (a): autoscale's reader, as `autoscale stats` runs it for a recognition model.
double Autoscale(const std::string& dir, int threads, uint64_t* images) {
  autoscale::InputShape shape;
  shape.dims = {1, 3, 48, -1};
  autoscale::ModelSpace space(shape, 1280);
  autoscale::Profile profile = space.NewProfile();
  autoscale::ReadOptions options;
  options.threads = threads;
  const auto start = Clock::now();
  autoscale::Status s = autoscale::ReadImageFolder(dir, space, options, &profile);
  const double seconds = Seconds(start);
  if (!s.ok()) {
    std::fprintf(stderr, "scan_bench: %s\n", s.message().c_str());
    std::exit(1);
  }
  *images = profile.dataset.images;
  return seconds;
}

std::string Python() {
  // Debian's interpreter carries python3-pil; another python3 first on PATH may not.
  if (std::system("/usr/bin/python3 -c 'import PIL' >/dev/null 2>&1") == 0)
    return "/usr/bin/python3";
  return "python3";
}

// (b): the PIL loop in a subprocess; its own clock excludes interpreter start-up.
double Pil(const std::string& dir, uint64_t* images) {
  const std::string cmd =
      Python() + " '" + (kBenchDir / "scan_baseline.py").string() + "' '" + dir + "'";
  FILE* p = ::popen(cmd.c_str(), "r");
  unsigned long long n = 0, failed = 0;
  double seconds = 0;
  if (p == nullptr || std::fscanf(p, "%llu %llu %lf", &n, &failed, &seconds) != 3) {
    std::fprintf(stderr, "scan_bench: the PIL baseline failed: %s\n", cmd.c_str());
    std::exit(1);
  }
  ::pclose(p);
  *images = n;
  return seconds;
}

double Autoscale(const std::string& dir, int threads, uint64_t* images);

// Peak resident memory of ReadImageFolder over `dir`, measured in a child
// process forked before this one holds any file list.
long ReaderPeakRssMb(const std::string& dir, int threads) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    uint64_t images = 0;
    Autoscale(dir, threads, &images);
    ::_exit(0);
  }
  int status = 0;
  struct rusage ru {};
  if (pid < 0 || ::wait4(pid, &status, 0, &ru) != pid) return -1;
  return ru.ru_maxrss / 1024;
}

bool ParseArgs(int argc, char** argv, Args* a) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (i + 1 >= argc) return false;
    const std::string value = argv[++i];
    if (arg == "--dir")
      a->dir = value;
    else if (arg == "--files")
      a->files = std::stoul(value);
    else if (arg == "--source")
      a->source = value;
    else if (arg == "--threads")
      a->threads = std::stoi(value);
    else
      return false;
  }
  if (a->dir.empty()) a->dir = (kBenchDir / "cache" / "scan_100k").string();
  return a->files > 0 && a->threads > 0;
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  if (!ParseArgs(argc, argv, &a)) {
    std::fprintf(stderr,
                 "usage: scan_bench [--dir DIR] [--files N] [--source DIR] [--threads T]\n");
    return 2;
  }
  switch (BuildCache(a)) {
    case CacheState::kReady:
      break;
    case CacheState::kFailed:
      return 1;
    case CacheState::kNotOurs:
      return 2;
  }
  std::printf("folder %s; %d threads; warming the cache\n", a.dir.c_str(), a.threads);
  const size_t files = WarmCache(a.dir);
  const std::string first_folder = (fs::path(a.dir) / CachePath(0)).parent_path().string();
  const long rss_small = ReaderPeakRssMb(first_folder, a.threads);
  const long rss_all = ReaderPeakRssMb(a.dir, a.threads);

  double best_a = 1e9, best_b = 1e9, best_c = 1e9, best_c_loop = 1e9;
  double cpu_a = 1e9, cpu_b = 1e9, cpu_c = 1e9;
  uint64_t images_a = 0, images_b = 0;
  size_t files_c = 0;
  for (int r = 0; r < a.rounds; ++r) {
    double cpu = CpuSeconds(RUSAGE_SELF);
    best_a = std::min(best_a, Autoscale(a.dir, a.threads, &images_a));
    cpu_a = std::min(cpu_a, CpuSeconds(RUSAGE_SELF) - cpu);
    cpu = CpuSeconds(RUSAGE_SELF);
    auto [c, c_loop] = PlainLoop(a.dir, a.threads, &files_c);
    cpu_c = std::min(cpu_c, CpuSeconds(RUSAGE_SELF) - cpu);
    best_c = std::min(best_c, c);
    best_c_loop = std::min(best_c_loop, c_loop);
  }
  for (int r = 0; r < 2; ++r) {
    const double cpu = CpuSeconds(RUSAGE_CHILDREN);
    best_b = std::min(best_b, Pil(a.dir, &images_b));
    cpu_b = std::min(cpu_b, CpuSeconds(RUSAGE_CHILDREN) - cpu);
  }

  const double n = static_cast<double>(files);
  const double rate_a = n / best_a, rate_b = n / best_b, rate_c = n / best_c;
  auto us = [&](double cpu) { return cpu / n * 1e6; };
  std::printf("wall clock, best of %d (2 for PIL); CPU time per file, user + system:\n", a.rounds);
  std::printf(
      "(a) autoscale ReadImageFolder, %d threads: %9.0f files/s  %6.1f us CPU/file  (%llu "
      "images)\n",
      a.threads, rate_a, us(cpu_a), (unsigned long long)images_a);
  std::printf(
      "(b) Python + PIL Image.open(p).size:      %9.0f files/s  %6.1f us CPU/file  (%llu images; "
      "CPU includes the interpreter's start)\n",
      rate_b, us(cpu_b), (unsigned long long)images_b);
  std::printf(
      "(c) plain open/read 4 KiB/close, %d thr:   %9.0f files/s  %6.1f us CPU/file  (listing "
      "included; %.0f files/s for the loop alone)\n",
      a.threads, rate_c, us(cpu_c), n / best_c_loop);
  const double vs_pil = rate_a / rate_b, vs_plain = rate_a / rate_c;
  std::printf("autoscale / PIL   = %.2fx wall, %.2fx CPU  (goal >= 3)    %s\n", vs_pil,
              cpu_b / cpu_a, vs_pil >= 3 ? "met" : "MISSED");
  std::printf(
      "autoscale / plain = %.2fx wall, %.2fx CPU  (goal >= 0.5)  %s   (%.2fx wall against the "
      "loop alone)\n",
      vs_plain, cpu_c / cpu_a, vs_plain >= 0.5 ? "met" : "MISSED", rate_a / (n / best_c_loop));
  std::printf("%zu files scanned; (c) read %zu\n", files, files_c);
  std::printf("peak RSS of ReadImageFolder: %ld MB over %zu files, %ld MB over the first 1,000\n",
              rss_all, files, rss_small);
  return vs_pil >= 3 && vs_plain >= 0.5 ? 0 : 1;
}
