#include "stats/readers/icdar_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <system_error>

#include "stats/readers/annotation_boxes.h"
#include "stats/readers/icdar_line.h"
#include "stats/readers/line_chunker.h"
#include "stats/readers/line_reader.h"
#include "common/parallel_workers.h"
#include "common/progress.h"

namespace autoscale {

namespace fs = std::filesystem;

namespace {

// One worker's share: its own profile, so reading takes no lock.
struct Worker {
  Profile profile;
  LineReader reader{LineChunking().max_line_bytes};
  IcdarBox box;
  std::vector<BoxSize> boxes;
  std::string error;
  uint64_t valid_lines = 0;
};

// Warnings sort by file, then line.
uint64_t Order(size_t file, uint64_t line) {
  return (uint64_t{file} << 32) | std::min<uint64_t>(line, 0xffffffffu);
}

void ReadOneFile(const std::string& path, size_t file_index, const ModelSpace& space, Worker* w) {
  Profile& profile = w->profile;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  struct stat st;
  if (fd < 0 || ::fstat(fd, &st) != 0) {
    profile.dataset.skipped.missing_file++;
    profile.AddWarning(Order(file_index, 0), path,
                       std::string("cannot open: ") + std::strerror(errno));
    if (fd >= 0) ::close(fd);
    return;
  }
  const uint64_t size = static_cast<uint64_t>(st.st_size);
  w->reader.Reset(fd, size, 0, size);
  w->boxes.clear();
  LineReader::Line line;
  uint64_t number = 0;
  while (w->reader.Next(&line)) {
    ++number;
    const uint64_t order = Order(file_index, number);
    auto where = [&] { return path + ":" + std::to_string(number); };
    if (line.too_long) {
      profile.dataset.skipped.bad_line++;
      profile.AddWarning(
          order, where(),
          "line longer than " + std::to_string(LineChunking().max_line_bytes) + " bytes");
      continue;
    }
    if (IsBlankLine(line.text)) continue;
    if (!ParseIcdarLine(line.text, &w->box, &w->error)) {
      profile.dataset.skipped.bad_line++;
      profile.AddWarning(order, where(), w->error);
      continue;
    }
    w->valid_lines++;
    CollectBox(w->box.points, 4, 0, order, where(), &profile, &w->boxes);
  }
  ::close(fd);
  if (!w->reader.status().ok()) {
    profile.dataset.skipped.missing_file++;
    profile.AddWarning(Order(file_index, 0), path, w->reader.status().message());
    return;
  }
  space.AddImageBoxes(&profile, w->boxes);
}

}  // namespace

bool IsIcdarFileName(const fs::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext == ".txt" || ext == ".csv";
}

Result<std::vector<std::string>> ListIcdarFiles(const std::string& dir) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) return Status::Error(dir + ": no such file or directory");
  if (!fs::is_directory(dir, ec))
    return Status::Error(dir +
                         ": not a folder (an ICDAR dataset is a folder of *.txt/*.csv files)");
  std::vector<std::string> files;
  fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
  if (ec) return Status::Error(dir + ": cannot list: " + ec.message());
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) return Status::Error(dir + ": cannot list: " + ec.message());
    std::error_code file_ec;
    if (it->is_regular_file(file_ec) && IsIcdarFileName(it->path()))
      files.push_back(it->path().string());
  }
  if (ec) return Status::Error(dir + ": cannot list: " + ec.message());
  std::sort(files.begin(), files.end());
  return files;
}

Status ReadIcdarFolder(const std::string& dir, const ModelSpace& space, const ReadOptions& options,
                       Profile* profile) {
  auto files = ListIcdarFiles(dir);
  if (!files.ok()) return files.status();
  if (files->empty())
    return Status::Error(dir + ": no *.txt or *.csv ground-truth file in the folder");

  // Each worker's buffer may grow to a longest line: keep them within budget.
  const LineChunking limits;
  const int threads = WorkersWithinBudget(
      WorkerCount(options.threads, files->size()), limits.max_bytes_in_flight,
      LineReader::MaxBufferBytes(limits.max_line_bytes, LineReader::kDefaultStepBytes));
  std::vector<Worker> workers(static_cast<size_t>(threads));
  for (Worker& w : workers) w.profile = space.NewProfile();
  ProgressScope progress(options.progress, "files", files->size());
  std::atomic<size_t> next{0};
  RunWorkers(threads, [&](int worker) {
    Worker& w = workers[static_cast<size_t>(worker)];
    for (size_t f; (f = next.fetch_add(1, std::memory_order_relaxed)) < files->size();) {
      ReadOneFile((*files)[f], f, space, &w);
      progress.Advance();
    }
  });

  Profile merged = space.NewProfile();
  uint64_t valid = 0;
  for (const Worker& w : workers) {
    merged.Merge(w.profile);
    valid += w.valid_lines;
  }
  if (valid == 0) {
    const SkipCounts& s = merged.dataset.skipped;
    std::string why;
    if (merged.dataset.warnings.empty()) {
      why = "every file is empty";
    } else {
      const Warning& first = merged.dataset.warnings.front();
      why = std::to_string(s.bad_line) + " malformed line" + (s.bad_line == 1 ? "" : "s") + ", " +
            std::to_string(s.missing_file) + " unreadable file" + (s.missing_file == 1 ? "" : "s") +
            "; first: " + first.where + ": " + first.message;
    }
    return Status::Error(dir + ": no valid ICDAR line (x1,y1,x2,y2,x3,y3,x4,y4,text) in " +
                         std::to_string(files->size()) + " file" + (files->size() == 1 ? "" : "s") +
                         ": " + why);
  }
  profile->Merge(merged);
  return Status::Ok();
}

}  // namespace autoscale
