#include "stats/readers/image_list_reader.h"

#include <sys/stat.h>

#include <cerrno>
#include <vector>

#include "common/parallel_workers.h"
#include "stats/readers/annotation_boxes.h"
#include "stats/readers/det_label_line.h"
#include "stats/readers/image_folder_reader.h"

namespace autoscale {

namespace {

struct Worker {
  Profile profile;
  DetLabelLine det;
  std::string error;
  uint64_t valid_lines = 0;
  uint64_t blank_lines = 0;
};

// A line is known by (chunk, index) until every chunk's lines are counted;
// packed this way the warnings sort in file order.
uint64_t PackLine(const ChunkedLine& l) { return (uint64_t{l.chunk} << 32) | l.index; }

std::string Quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

struct Context {
  const std::string* path;
  ImageListFormat format;
  const ModelSpace* space;
  const ReadOptions* options;
  size_t max_line;
};

void ReadLine(const Context& c, const ChunkedLine& l, Worker* w) {
  if (l.too_long) {
    w->profile.dataset.skipped.bad_line++;
    w->profile.AddWarning(PackLine(l), "",
                          "line longer than " + std::to_string(c.max_line) + " bytes");
    return;
  }
  if (IsBlankLine(l.text)) {
    w->blank_lines++;
    return;
  }
  std::string_view image;
  const bool parsed = c.format == ImageListFormat::kRecLabels
                          ? ParseRecLabelLine(l.text, &image, &w->error)
                          : ParseDetLabelLine(l.text, &w->det, &w->error);
  if (!parsed) {
    w->profile.dataset.skipped.bad_line++;
    w->profile.AddWarning(PackLine(l), "", w->error);
    return;
  }
  if (c.format == ImageListFormat::kDetLabels) image = w->det.image;
  w->valid_lines++;
  const std::string file = ResolveListedImage(*c.path, c.options->image_root, image);
  ImageFileInfo info = ReadImageFileSize(file);
  switch (info.kind) {
    case ImageFileKind::kImage:
      c.space->AddImage(&w->profile, info.height, info.width);
      return;
    case ImageFileKind::kPathTooLong:
      w->profile.dataset.skipped.path_too_long++;
      w->profile.AddWarning(PackLine(l), "", "image " + Quoted(file) + ": path too long to open");
      return;
    case ImageFileKind::kNonImage:
    case ImageFileKind::kCorrupt:
      break;
  }
  struct stat st;
  if (::stat(file.c_str(), &st) != 0 && errno == ENOENT) {
    w->profile.dataset.skipped.missing_file++;
    w->profile.AddWarning(PackLine(l), "", "image " + Quoted(file) + ": no such file");
    return;
  }
  w->profile.dataset.skipped.corrupt++;
  w->profile.AddWarning(
      PackLine(l), "",
      "image " + Quoted(file) + ": " + (info.message.empty() ? "not an image" : info.message));
}

std::string NoImageError(const std::string& path, const Profile& p, uint64_t total_lines,
                         uint64_t blank) {
  const SkipCounts& s = p.dataset.skipped;
  std::string why;
  if (total_lines == 0) {
    why = "the file is empty";
  } else if (s.Total() == 0) {
    why = "all " + std::to_string(blank) + " lines are blank";
  } else {
    why = std::to_string(s.missing_file) + " missing, " + std::to_string(s.corrupt) +
          " unreadable, " + std::to_string(s.bad_line) + " malformed lines";
    if (!p.dataset.warnings.empty())
      why += "; first: " + p.dataset.warnings.front().where + ": " +
             p.dataset.warnings.front().message;
  }
  return path + ": no listed image could be read: " + why;
}

}  // namespace

bool ParseRecLabelLine(std::string_view line, std::string_view* image, std::string* error) {
  const size_t tab = line.find('\t');
  if (tab == std::string_view::npos) {
    *error = "no tab between the image path and the text";
    return false;
  }
  if (tab == 0) {
    *error = "no image path before the tab";
    return false;
  }
  *image = line.substr(0, tab);
  return true;
}

bool LooksLikeRecLabelLine(std::string_view line) {
  std::string_view image;
  std::string error;
  if (!ParseRecLabelLine(line, &image, &error)) return false;
  if (LooksLikeDetLabelLine(line)) return false;
  return HasImageExtension(std::string(image));
}

std::string ResolveListedImage(const std::string& label_file, const std::string& root,
                               std::string_view image) {
  if (!image.empty() && image.front() == '/') return std::string(image);
  std::string base = root;
  if (base.empty()) {
    const size_t slash = label_file.find_last_of('/');
    base = slash == std::string::npos ? std::string(".") : label_file.substr(0, slash + 1);
  }
  if (base.empty()) base = "/";  // a label file in the root folder
  if (base.back() != '/') base += '/';
  return base + std::string(image);
}

Status ReadImageList(const std::string& path, ImageListFormat format, const ModelSpace& space,
                     const ReadOptions& options, Profile* profile) {
  return ReadImageList(path, format, space, options, LineChunking(), profile);
}

Status ReadImageList(const std::string& path, ImageListFormat format, const ModelSpace& space,
                     const ReadOptions& options, const LineChunking& chunking, Profile* profile) {
  const int threads = WorkerCount(options.threads, 0);
  std::vector<Worker> workers(static_cast<size_t>(threads));
  for (Worker& w : workers) w.profile = space.NewProfile();
  const Context context{&path, format, &space, &options, chunking.max_line_bytes};
  ProgressScope progress(options.progress, "lines");
  auto numbers = ForEachLineInChunks(
      path, threads, chunking, &progress, [&](int worker, const ChunkedLine& line) {
        ReadLine(context, line, &workers[static_cast<size_t>(worker)]);
      });
  if (!numbers.ok()) return numbers.status();

  Profile merged = space.NewProfile();
  uint64_t blank = 0;
  for (const Worker& w : workers) {
    merged.Merge(w.profile);
    blank += w.blank_lines;
  }
  for (Warning& w : merged.dataset.warnings) {
    w.order = numbers->LineNumber(static_cast<size_t>(w.order >> 32),
                                  static_cast<uint32_t>(w.order & 0xffffffffu));
    w.where = path + ":" + std::to_string(w.order);
  }
  if (merged.dataset.images == 0)
    return Status::Error(NoImageError(path, merged, numbers->total_lines(), blank));
  profile->Merge(merged);
  return Status::Ok();
}

}  // namespace autoscale
