// Label-file benchmark: reads a PaddleOCR/MindOCR det label file of at least
// 500 MB.
//   label_bench [--file F] [--datasets DIR] [--mb N] [--threads T] [--rounds R]
//               [--python_mb P]
// Builds F (default bench/cache/labels_500mb.txt, git-ignored) if it is
// missing or smaller than N MB (default 500) by repeating DIR's
// icdar2015_train/label.txt and sroie/label.txt (DIR defaults to the shared
// datasets beside the checkout). With the file in the page cache it times,
// in the same run:
//   (a) ReadDetLabelFile with T threads (default 2), input -1,3,48,-1;
//   (b) a plain read() of the whole file, one thread, 1 MiB at a time;
//   (c) Python, json.loads per line, over the first P MB (default 64;
//       bench/label_baseline.py).
// Goal: (a) at least 200 MB/s.
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "stats/readers/det_label_reader.h"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

const fs::path kBenchDir = fs::path(__FILE__).parent_path();

struct Args {
  std::string file = (kBenchDir / "cache" / "labels_500mb.txt").string();
  std::string datasets = (kBenchDir / ".." / ".." / "shared" / "datasets").lexically_normal().string();
  uint64_t mb = 500;
  int threads = 2;
  int rounds = 3;
  uint64_t python_mb = 64;
};

double Seconds(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

double MBps(uint64_t bytes, double seconds) { return bytes / 1e6 / seconds; }

// User + system CPU seconds of this process so far.
double CpuSeconds() {
  struct rusage u;
  ::getrusage(RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_utime.tv_usec / 1e6 + u.ru_stime.tv_sec +
         u.ru_stime.tv_usec / 1e6;
}

// The 1-minute load average: on a shared machine, wall-clock figures only
// mean something when it is below the core count.
double LoadAverage() {
  double load = 0;
  std::ifstream("/proc/loadavg") >> load;
  return load;
}

uint64_t FileSize(const std::string& path) {
  std::error_code ec;
  uint64_t n = fs::file_size(path, ec);
  return ec ? 0 : n;
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Repeats the shared label files into `a.file` until it has a.mb MB.
bool BuildFile(const Args& a) {
  const uint64_t want = a.mb * 1000 * 1000;
  if (FileSize(a.file) >= want) return true;
  std::string block;
  for (const char* name : {"icdar2015_train/label.txt", "sroie/label.txt"}) {
    std::string text = Slurp(a.datasets + "/" + name);
    if (text.empty()) {
      std::fprintf(stderr, "label_bench: cannot read %s/%s (--datasets DIR)\n", a.datasets.c_str(),
                   name);
      return false;
    }
    if (text.back() != '\n') text += '\n';
    block += text;
  }
  fs::create_directories(fs::path(a.file).parent_path());
  const std::string tmp = a.file + ".part";
  std::printf("building %s (%llu MB) from %s\n", a.file.c_str(), (unsigned long long)a.mb,
              a.datasets.c_str());
  {
    std::ofstream out(tmp, std::ios::binary);
    for (uint64_t written = 0; written < want; written += block.size())
      out.write(block.data(), static_cast<std::streamsize>(block.size()));
    if (!out) {
      std::fprintf(stderr, "label_bench: cannot write %s\n", tmp.c_str());
      return false;
    }
  }
  fs::rename(tmp, a.file);
  return true;
}

// One thread, read() into a 1 MiB buffer: what the disk cache can deliver.
double PlainRead(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) return 0;
  std::vector<char> buf(1 << 20);
  uint64_t total = 0;
  unsigned char sum = 0;
  auto start = Clock::now();
  for (ssize_t n; (n = ::read(fd, buf.data(), buf.size())) > 0;) {
    total += static_cast<uint64_t>(n);
    sum ^= static_cast<unsigned char>(buf[0]);
  }
  double s = Seconds(start);
  ::close(fd);
  if (sum == 255) std::printf(" ");  // keep the loop honest
  return MBps(total, s);
}

// Runs bench/label_baseline.py; returns MB/s or 0.
double PythonBaseline(const Args& a) {
  const std::string cmd = "python3 '" + (kBenchDir / "label_baseline.py").string() + "' '" +
                          a.file + "' " + std::to_string(a.python_mb * 1000 * 1000);
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return 0;
  unsigned long long bytes = 0, lines = 0, boxes = 0;
  double seconds = 0;
  int got = std::fscanf(p, "%llu %llu %llu %lf", &bytes, &lines, &boxes, &seconds);
  int status = ::pclose(p);
  if (got != 4 || status != 0 || seconds <= 0) return 0;
  std::printf("  python: %llu lines, %llu boxes in %.2f s\n", lines, boxes, seconds);
  return MBps(bytes, seconds);
}

bool ParseArgs(int argc, char** argv, Args* a) {
  for (int i = 1; i < argc; ++i) {
    std::string k = argv[i];
    if (i + 1 >= argc) return false;
    std::string v = argv[++i];
    if (k == "--file") a->file = v;
    else if (k == "--datasets") a->datasets = v;
    else if (k == "--mb") a->mb = std::stoull(v);
    else if (k == "--threads") a->threads = std::stoi(v);
    else if (k == "--rounds") a->rounds = std::max(1, std::stoi(v));
    else if (k == "--python_mb") a->python_mb = std::stoull(v);
    else return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  if (!ParseArgs(argc, argv, &a)) {
    std::fprintf(stderr,
                 "usage: label_bench [--file F] [--datasets DIR] [--mb N] [--threads T] "
                 "[--rounds R] [--python_mb P]\n");
    return 2;
  }
  if (!BuildFile(a)) return 1;
  const uint64_t bytes = FileSize(a.file);
  std::printf("file: %s, %.1f MB\n", a.file.c_str(), bytes / 1e6);
  PlainRead(a.file);  // warm the page cache
  const double plain = PlainRead(a.file);

  using namespace autoscale;
  InputShape shape;
  shape.dims = {-1, 3, 48, -1};
  ModelSpace space(shape, 1280);
  ReadOptions options;
  options.threads = a.threads;
  std::vector<double> rates, cpu_rates;
  const double load_before = LoadAverage();
  for (int r = 0; r < a.rounds; ++r) {
    Profile profile = space.NewProfile();
    auto start = Clock::now();
    const double cpu_start = CpuSeconds();
    Status s = ReadDetLabelFile(a.file, space, options, &profile);
    double secs = Seconds(start);
    const double cpu = CpuSeconds() - cpu_start;
    if (!s.ok()) {
      std::fprintf(stderr, "label_bench: %s\n", s.message().c_str());
      return 1;
    }
    rates.push_back(MBps(bytes, secs));
    cpu_rates.push_back(MBps(bytes, cpu));
    std::printf("  round %d: %.2f s, %.0f MB/s; %.2f CPU s, %.0f MB per CPU-second "
                "(%llu images, %llu boxes, %llu skipped)\n",
                r + 1, secs, rates.back(), cpu, cpu_rates.back(),
                (unsigned long long)profile.dataset.images,
                (unsigned long long)profile.dataset.boxes,
                (unsigned long long)profile.dataset.skipped.Total());
  }
  std::sort(rates.begin(), rates.end());
  std::sort(cpu_rates.begin(), cpu_rates.end());
  const double python = PythonBaseline(a);
  std::printf("ReadDetLabelFile, %d threads: %.0f MB/s (median of %d; best %.0f)  goal >= 200\n",
              a.threads, rates[rates.size() / 2], a.rounds, rates.back());
  std::printf("  per CPU-second: %.0f MB (median); with %d idle cores that is up to %.0f MB/s\n",
              cpu_rates[cpu_rates.size() / 2], a.threads,
              cpu_rates[cpu_rates.size() / 2] * a.threads);
  std::printf("  load average %.1f before, %.1f after, on %u cores%s\n", load_before,
              LoadAverage(), std::thread::hardware_concurrency(),
              LoadAverage() > std::thread::hardware_concurrency()
                  ? ": the machine is busy, wall-clock rates are understated"
                  : "");
  std::printf("baseline plain read(), 1 thread: %.0f MB/s\n", plain);
  if (python > 0)
    std::printf("baseline python json.loads per line (first %llu MB): %.1f MB/s (%.0fx slower)\n",
                (unsigned long long)a.python_mb, python, rates[rates.size() / 2] / python);
  else
    std::printf("baseline python: could not run python3\n");
  return 0;
}
