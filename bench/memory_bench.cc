// Memory benchmark: peak resident memory while reading a det label file of at
// least 10 million boxes.
//   memory_bench [--file F] [--boxes N] [--threads T]
// Builds F (default bench/cache/boxes_10m.txt, git-ignored) if it is missing:
// N boxes (default 10,000,000) of random size and tilt, 1 to 80 per image
// line, written in bounded memory. Then reads it with ReadDetLabelFile (T
// threads, default one per core; input -1,3,48,-1, so each distinct box
// count and width is a profile entry) and prints the peak RSS
// (getrusage ru_maxrss) before and after, beside the file size: the reader
// streams, so memory must not follow the file. Goal: under 200 MB.
#include <sys/resource.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "stats/readers/det_label_reader.h"

namespace fs = std::filesystem;

namespace {

const fs::path kBenchDir = fs::path(__FILE__).parent_path();

double PeakRssMB() {
  struct rusage u;
  ::getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024.0;  // Linux reports KiB
}

// Writes `boxes` boxes through a small buffer; returns false on error.
bool BuildFile(const std::string& path, uint64_t boxes) {
  const std::string marker = path + ".boxes";
  {
    std::ifstream in(marker);
    uint64_t have = 0;
    if (in >> have && have == boxes && fs::exists(path)) return true;
  }
  std::printf("building %s (%llu boxes)\n", path.c_str(), (unsigned long long)boxes);
  fs::create_directories(fs::path(path).parent_path());
  std::mt19937_64 rng(42);
  auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  std::ofstream out(path + ".part", std::ios::binary);
  std::string line;
  char num[160];
  uint64_t written = 0;
  for (uint64_t image = 0; written < boxes; ++image) {
    const uint64_t n = std::min<uint64_t>(static_cast<uint64_t>(uniform(1, 80)), boxes - written);
    line = "images/img_" + std::to_string(image) + ".jpg\t[";
    for (uint64_t b = 0; b < n; ++b) {
      const double w = uniform(8, 900), h = uniform(8, 90), t = uniform(-15, 15) * M_PI / 180;
      const double x = uniform(0, 3000), y = uniform(0, 4000);
      const double ax = w * std::cos(t), ay = w * std::sin(t);
      const double bx = -h * std::sin(t), by = h * std::cos(t);
      std::snprintf(num, sizeof num,
                    "%s{\"transcription\": \"w%d\", \"points\": [[%.0f, %.0f], [%.0f, %.0f], "
                    "[%.0f, %.0f], [%.0f, %.0f]]}",
                    b ? ", " : "", uniform(0, 999), x, y, x + ax, y + ay, x + ax + bx, y + ay + by,
                    x + bx, y + by);
      line += num;
    }
    line += "]\n";
    out << line;
    written += n;
  }
  out.close();
  if (!out) return false;
  fs::rename(path + ".part", path);
  std::ofstream(marker) << boxes << "\n";
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::string path = (kBenchDir / "cache" / "boxes_10m.txt").string();
  uint64_t boxes = 10000000;
  int threads = 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--file") path = v;
    else if (k == "--boxes") boxes = std::stoull(v);
    else if (k == "--threads") threads = std::stoi(v);
    else {
      std::fprintf(stderr, "usage: memory_bench [--file F] [--boxes N] [--threads T]\n");
      return 2;
    }
  }
  if (!BuildFile(path, boxes)) {
    std::fprintf(stderr, "memory_bench: cannot write %s\n", path.c_str());
    return 1;
  }
  const double before = PeakRssMB();
  using namespace autoscale;
  InputShape shape;
  shape.dims = {-1, 3, 48, -1};
  ModelSpace space(shape, 1280);
  Profile profile = space.NewProfile();
  ReadOptions options;
  options.threads = threads;
  auto start = std::chrono::steady_clock::now();
  Status s = ReadDetLabelFile(path, space, options, &profile);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!s.ok()) {
    std::fprintf(stderr, "memory_bench: %s\n", s.message().c_str());
    return 1;
  }
  std::printf("file: %s, %.0f MB, %llu images, %llu boxes, %zu distinct samples, read in %.2f s\n",
              path.c_str(), fs::file_size(path) / 1e6, (unsigned long long)profile.dataset.images,
              (unsigned long long)profile.dataset.boxes, profile.samples().size(), secs);
  std::printf("peak RSS before reading: %.1f MB\n", before);
  std::printf("peak RSS after reading %llu boxes: %.1f MB  goal < 200\n",
              (unsigned long long)profile.dataset.boxes, PeakRssMB());
  return 0;
}
