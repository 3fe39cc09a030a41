// COCO JSON benchmark: reads a COCO instances file of at least 1 GB.
//   coco_bench [--file F] [--labels L] [--mb N] [--rounds R]
// Builds F (default bench/cache/coco_1gb.json, git-ignored) if it is missing
// or smaller than N MB (default 1024) from the boxes of the det label file L
// (default the shared icdar2015_train/label.txt), repeated under new image
// ids: images[] first, then each image's annotations (segmentation polygon,
// bbox, area, iscrowd, category_id), as COCO writers lay them out. Also
// writes the single copy beside it (F.once.json) and checks it gives the
// profile of L itself. With F in the page cache it times, in the same run:
//   (a) ReadCocoFile for a detector (1,3,-1,-1: image sizes);
//   (b) ReadCocoFile for a recognizer (-1,3,48,-1: box crops);
//   (c) a plain read() of the whole file, 1 MiB at a time;
// and the peak RSS of (a) and (b), each in a child process, on F and on a
// file of a tenth of its size: flat memory means the same peak.
// Goal: (a) and (b) at least 200 MB/s.
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "stats/readers/coco_reader.h"
#include "stats/readers/det_label_line.h"
#include "stats/readers/det_label_reader.h"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

const fs::path kBenchDir = fs::path(__FILE__).parent_path();

struct Args {
  std::string file = "bench/cache/coco_1gb.json";  // run from the checkout
  std::string labels = "/work/shared/datasets/icdar2015_train/label.txt";
  uint64_t mb = 1024;
  int rounds = 3;
};

// CPU time (user + system, every thread) of this process: on a shared
// machine it says what the reader costs, whatever else runs.
double CpuSeconds() {
  struct rusage ru {};
  ::getrusage(RUSAGE_SELF, &ru);
  auto s = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  return s(ru.ru_utime) + s(ru.ru_stime);
}

double Seconds(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Each line of the label file: its boxes' points.
std::vector<std::vector<std::vector<autoscale::Point>>> LoadLabels(const std::string& path) {
  std::ifstream in(path);
  std::string line, error;
  autoscale::DetLabelLine parsed;
  std::vector<std::vector<std::vector<autoscale::Point>>> images;
  while (std::getline(in, line)) {
    if (!autoscale::ParseDetLabelLine(line, &parsed, &error)) continue;
    images.emplace_back();
    for (size_t b = 0; b < parsed.BoxCount(); ++b)
      images.back().emplace_back(parsed.points.begin() + parsed.BoxBegin(b),
                                 parsed.points.begin() + parsed.BoxBegin(b) + parsed.BoxPoints(b));
  }
  return images;
}

// Writes `copies` copies of the images (1280x720, as ICDAR2015's are) and
// their boxes as one COCO file.
void WriteCoco(const std::string& path,
               const std::vector<std::vector<std::vector<autoscale::Point>>>& labels,
               uint64_t copies) {
  std::ofstream out(path, std::ios::binary);
  out << "{\"info\": {\"description\": \"ICDAR2015 training boxes\", \"year\": 2015},\n"
         " \"licenses\": [],\n \"categories\": [{\"id\": 1, \"name\": \"text\", "
         "\"supercategory\": \"text\"}],\n \"images\": [";
  const uint64_t n = labels.size() * copies;
  for (uint64_t i = 0; i < n; ++i)
    out << (i ? ",\n  " : "\n  ") << "{\"id\": " << i + 1 << ", \"file_name\": \"img_"
        << i % labels.size() + 1 << ".jpg\", \"width\": 1280, \"height\": 720}";
  out << "],\n \"annotations\": [";
  uint64_t id = 0;
  char num[64];
  for (uint64_t i = 0; i < n; ++i) {
    for (const auto& box : labels[i % labels.size()]) {
      double x0 = 1e18, y0 = 1e18, x1 = -1e18, y1 = -1e18;
      std::string seg;
      for (const autoscale::Point& p : box) {
        x0 = std::min(x0, p.x), y0 = std::min(y0, p.y), x1 = std::max(x1, p.x),
        y1 = std::max(y1, p.y);
        std::snprintf(num, sizeof num, "%s%.17g, %.17g", seg.empty() ? "" : ", ", p.x, p.y);
        seg += num;
      }
      out << (id ? ",\n  " : "\n  ");
      out << "{\"id\": " << ++id << ", \"image_id\": " << i + 1
          << ", \"category_id\": 1, \"iscrowd\": 0, \"area\": " << (x1 - x0) * (y1 - y0)
          << ", \"bbox\": [" << x0 << ", " << y0 << ", " << x1 - x0 << ", " << y1 - y0
          << "], \"segmentation\": [[" << seg << "]]}";
    }
  }
  out << "]}\n";
}

autoscale::ModelSpace Space(bool detector) {
  autoscale::InputShape shape;
  if (detector)
    shape.dims = {1, 3, -1, -1};
  else
    shape.dims = {-1, 3, 48, -1};
  return autoscale::ModelSpace(shape, 1280);
}

autoscale::Profile Read(const std::string& path, bool detector) {
  const autoscale::ModelSpace space = Space(detector);
  autoscale::Profile p = space.NewProfile();
  autoscale::Status s = autoscale::ReadCocoFile(
      path, detector ? autoscale::SampleUnit::kImages : autoscale::SampleUnit::kBoxes, space,
      autoscale::ReadOptions(), &p);
  if (!s.ok()) {
    std::fprintf(stderr, "coco_bench: %s\n", s.message().c_str());
    std::exit(1);
  }
  return p;
}

uint64_t PlainRead(const std::string& path) {
  std::vector<char> buf(1 << 20);
  uint64_t bytes = 0;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  for (ssize_t r; fd >= 0 && (r = ::read(fd, buf.data(), buf.size())) > 0;)
    bytes += static_cast<uint64_t>(r);
  if (fd >= 0) ::close(fd);
  return bytes;
}

// Peak RSS in MB of one read, in a child process.
long PeakRssMb(const std::string& path, bool detector) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    Read(path, detector);
    ::_exit(0);
  }
  int status = 0;
  struct rusage ru {};
  if (pid < 0 || ::wait4(pid, &status, 0, &ru) != pid) return -1;
  return ru.ru_maxrss / 1024;
}

bool ParseArgs(int argc, char** argv, Args* a) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string arg = argv[i], value = argv[i + 1];
    if (arg == "--file")
      a->file = value;
    else if (arg == "--labels")
      a->labels = value;
    else if (arg == "--mb")
      a->mb = std::stoull(value);
    else if (arg == "--rounds")
      a->rounds = std::stoi(value);
    else
      return false;
  }
  return argc % 2 == 1 && a->mb > 0 && a->rounds > 0;
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  if (!ParseArgs(argc, argv, &a)) {
    std::fprintf(stderr, "usage: coco_bench [--file F] [--labels L] [--mb N] [--rounds R]\n");
    return 2;
  }
  const auto labels = LoadLabels(a.labels);
  if (labels.empty()) {
    std::fprintf(stderr, "coco_bench: no det label line in %s\n", a.labels.c_str());
    return 1;
  }
  fs::create_directories(fs::path(a.file).parent_path());
  const std::string once = a.file + ".once.json", tenth = a.file + ".tenth.json";
  WriteCoco(once, labels, 1);
  const uint64_t once_bytes = fs::file_size(once);
  const uint64_t copies = (a.mb << 20) / once_bytes + 1;
  std::error_code ec;
  if (fs::file_size(a.file, ec) < (a.mb << 20) || ec) {
    std::printf("building %s: %llu copies of %s\n", a.file.c_str(),
                static_cast<unsigned long long>(copies), a.labels.c_str());
    WriteCoco(a.file, labels, copies);
    WriteCoco(tenth, labels, copies / 10 + 1);
  }

  // The COCO file of the label file's boxes gives the label file's profile.
  const autoscale::ModelSpace rec = Space(false);
  autoscale::Profile direct = rec.NewProfile();
  if (!autoscale::ReadDetLabelFile(a.labels, rec, autoscale::ReadOptions(), &direct).ok()) return 1;
  const autoscale::Profile coco = Read(once, false);
  const bool same = coco.samples() == direct.samples() &&
                    coco.image_boxes() == direct.image_boxes() &&
                    coco.dataset.boxes == direct.dataset.boxes;
  std::printf("%s as COCO (%s): %llu images, %llu boxes; %s profile as the label file\n",
              a.labels.c_str(), once.c_str(), static_cast<unsigned long long>(coco.dataset.images),
              static_cast<unsigned long long>(coco.dataset.boxes), same ? "the same" : "ANOTHER");

  const double mb = static_cast<double>(PlainRead(a.file)) / 1e6;  // and warms the cache
  double best[3] = {1e9, 1e9, 1e9}, cpu[3] = {1e9, 1e9, 1e9};
  uint64_t counts[2] = {0, 0};
  for (int r = 0; r < a.rounds; ++r) {
    for (int detector = 1; detector >= 0; --detector) {
      const double cpu_start = CpuSeconds();
      const auto start = Clock::now();
      const autoscale::Profile p = Read(a.file, detector);
      best[detector ? 0 : 1] = std::min(best[detector ? 0 : 1], Seconds(start));
      cpu[detector ? 0 : 1] = std::min(cpu[detector ? 0 : 1], CpuSeconds() - cpu_start);
      counts[detector ? 0 : 1] = detector ? p.dataset.images : p.dataset.boxes;
    }
    const double cpu_start = CpuSeconds();
    const auto start = Clock::now();
    PlainRead(a.file);
    best[2] = std::min(best[2], Seconds(start));
    cpu[2] = std::min(cpu[2], CpuSeconds() - cpu_start);
  }
  std::printf("%s: %.0f MB, wall clock best of %d, warm cache:\n", a.file.c_str(), mb, a.rounds);
  std::printf(
      "(a) ReadCocoFile, image sizes: %6.0f MB/s  %6.0f MB per CPU s  (%llu images)   "
      "goal >= 200 MB/s: %s\n",
      mb / best[0], mb / cpu[0], static_cast<unsigned long long>(counts[0]),
      mb / best[0] >= 200 ? "met" : "MISSED");
  std::printf(
      "(b) ReadCocoFile, box crops:   %6.0f MB/s  %6.0f MB per CPU s  (%llu boxes)    "
      "goal >= 200 MB/s: %s\n",
      mb / best[1], mb / cpu[1], static_cast<unsigned long long>(counts[1]),
      mb / best[1] >= 200 ? "met" : "MISSED");
  std::printf(
      "(c) plain read():              %6.0f MB/s  %6.0f MB per CPU s   reader / plain: (a) "
      "%.2f, (b) %.2f\n",
      mb / best[2], mb / cpu[2], best[2] / best[0], best[2] / best[1]);
  const double tenth_mb = static_cast<double>(fs::file_size(tenth)) / 1e6;
  std::printf("peak RSS, image sizes: %ld MB over %.0f MB, %ld MB over %.0f MB\n",
              PeakRssMb(a.file, true), mb, PeakRssMb(tenth, true), tenth_mb);
  std::printf("peak RSS, box crops:   %ld MB over %.0f MB, %ld MB over %.0f MB\n",
              PeakRssMb(a.file, false), mb, PeakRssMb(tenth, false), tenth_mb);
  return same && mb / best[0] >= 200 && mb / best[1] >= 200 ? 0 : 1;
}
