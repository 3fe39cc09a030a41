#include "stats/readers/det_label_reader.h"

#include <vector>

#include "stats/readers/annotation_boxes.h"
#include "stats/readers/det_label_line.h"
#include "common/parallel_workers.h"

namespace autoscale {

namespace {

// One worker's share: its own profile, so the hot loop takes no lock.
struct Worker {
  Profile profile;
  DetLabelLine line;
  std::vector<BoxSize> boxes;
  std::string error;
  uint64_t valid_lines = 0;
  uint64_t blank_lines = 0;
};

// Until every chunk's lines are counted a line is known by (chunk, index);
// packed this way the warnings sort in file order.
uint64_t PackLine(const ChunkedLine& l) { return (uint64_t{l.chunk} << 32) | l.index; }

void ReadLine(const ModelSpace& space, const ChunkedLine& l, size_t max_line, Worker* w) {
  if (l.too_long) {
    w->profile.dataset.skipped.bad_line++;
    w->profile.AddWarning(PackLine(l), "",
                          "line longer than " + std::to_string(max_line) + " bytes");
    return;
  }
  if (IsBlankLine(l.text)) {
    w->blank_lines++;
    return;
  }
  if (!ParseDetLabelLine(l.text, &w->line, &w->error)) {
    w->profile.dataset.skipped.bad_line++;
    w->profile.AddWarning(PackLine(l), "", w->error);
    return;
  }
  w->valid_lines++;
  w->boxes.clear();
  const DetLabelLine& line = w->line;
  for (size_t i = 0; i < line.BoxCount(); ++i)
    CollectBox(line.points.data() + line.BoxBegin(i), line.BoxPoints(i), i + 1, PackLine(l), "",
               &w->profile, &w->boxes);
  space.AddImageBoxes(&w->profile, w->boxes);
}

}  // namespace

Status ReadDetLabelFile(const std::string& path, const ModelSpace& space,
                        const ReadOptions& options, Profile* profile) {
  return ReadDetLabelFile(path, space, options, LineChunking(), profile);
}

Status ReadDetLabelFile(const std::string& path, const ModelSpace& space,
                        const ReadOptions& options, const LineChunking& chunking,
                        Profile* profile) {
  const int threads = LineWorkerCount(options.threads, chunking);
  std::vector<Worker> workers(static_cast<size_t>(threads));
  for (Worker& w : workers) w.profile = space.NewProfile();
  ProgressScope progress(options.progress, "lines");
  auto numbers = ForEachLineInChunks(
      path, threads, chunking, &progress, [&](int worker, const ChunkedLine& line) {
        ReadLine(space, line, chunking.max_line_bytes, &workers[static_cast<size_t>(worker)]);
      });
  if (!numbers.ok()) return numbers.status();

  Profile merged = space.NewProfile();
  uint64_t valid = 0, blank = 0;
  for (const Worker& w : workers) {
    merged.Merge(w.profile);
    valid += w.valid_lines;
    blank += w.blank_lines;
  }
  for (Warning& w : merged.dataset.warnings) {
    w.order = numbers->LineNumber(static_cast<size_t>(w.order >> 32),
                                  static_cast<uint32_t>(w.order & 0xffffffffu));
    w.where = path + ":" + std::to_string(w.order);
  }
  if (valid == 0) {
    const uint64_t bad = merged.dataset.skipped.bad_line;
    std::string why;
    if (numbers->total_lines() == 0)
      why = "the file is empty";
    else if (bad == 0)
      why = "all " + std::to_string(blank) + " lines are blank";
    else
      why = std::to_string(bad) + " malformed line" + (bad == 1 ? "" : "s") +
            ", the first at line " + std::to_string(merged.dataset.warnings.front().order) + ": " +
            merged.dataset.warnings.front().message;
    return Status::Error(path +
                         ": no valid det label line (image_path<TAB>[{\"points\": ...}]): " + why);
  }
  profile->Merge(merged);
  return Status::Ok();
}

}  // namespace autoscale
