#include "stats/readers/dataset_reader.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <system_error>
#include <vector>

#include "common/names.h"
#include "stats/readers/annotation_boxes.h"
#include "stats/readers/coco_reader.h"
#include "stats/readers/det_label_line.h"
#include "stats/readers/det_label_reader.h"
#include "stats/readers/icdar_line.h"
#include "stats/readers/icdar_reader.h"
#include "stats/readers/image_folder_reader.h"
#include "stats/readers/image_list_reader.h"
#include "stats/readers/lmdb_reader.h"
#include "stats/readers/tar_archive.h"
#include "stats/readers/tar_reader.h"

namespace autoscale {

namespace fs = std::filesystem;

namespace {

// The dataset types and their names, the one list of both.
struct DatasetTypeEntry {
  DatasetType type;
  const char* name;
};
constexpr DatasetTypeEntry kDatasetTypes[] = {{DatasetType::kAuto, "auto"},
                                              {DatasetType::kImages, "images"},
                                              {DatasetType::kDetLabels, "det_labels"},
                                              {DatasetType::kIcdar, "icdar"},
                                              {DatasetType::kRecLabels, "rec_labels"},
                                              {DatasetType::kLmdb, "lmdb"},
                                              {DatasetType::kCoco, "coco"},
                                              {DatasetType::kTar, "tar"}};

const char kAccepted[] =
    "expected an image folder, an ICDAR folder of x1,y1,...,x4,y4,text *.txt/*.csv files, a "
    "det label file (image_path<TAB>[{\"points\": ...}] per line), a rec label file "
    "(image_path<TAB>text), an LMDB, a COCO JSON file or tar shards; --dataset_type picks one";

// Enough of a file to see its first line's shape (a det label line is
// recognised by the tab and '[' near its start).
constexpr size_t kSniffBytes = 64 << 10;

// The first non-blank line among the first kSniffBytes of a file (cut short
// if longer), without BOM and line end. Empty if there is none.
std::string FirstLine(const std::string& path, bool* readable) {
  std::ifstream in(path, std::ios::binary);
  *readable = static_cast<bool>(in);
  std::string head(kSniffBytes, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(in.gcount()));
  if (head.compare(0, 3, "\xEF\xBB\xBF") == 0) head.erase(0, 3);
  size_t start = 0;
  while (start < head.size()) {
    size_t nl = head.find('\n', start);
    std::string_view line(head.data() + start,
                          (nl == std::string::npos ? head.size() : nl) - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!IsBlankLine(line)) return std::string(line);
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  return std::string();
}

// The first `n` bytes of a file (fewer if it is shorter).
std::string ReadHead(const std::string& path, size_t n) {
  std::ifstream in(path, std::ios::binary);
  std::string head(n, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(in.gcount()));
  return head;
}

bool HasSuffix(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

Result<DatasetType> DetectFolderType(const std::string& dir) {
  std::error_code mdb_ec;
  if (fs::is_regular_file(fs::path(dir) / "data.mdb", mdb_ec)) return DatasetType::kLmdb;
  bool lmdb = false, tar = false;
  std::vector<fs::path> annotations;
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
  if (ec) return Status::Error(dir + ": cannot list: " + ec.message());
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) return Status::Error(dir + ": cannot list: " + ec.message());
    std::error_code file_ec;
    if (!it->is_regular_file(file_ec)) continue;
    // An image file makes it an image folder, whatever else it holds.
    if (HasImageExtension(it->path().string())) return DatasetType::kImages;
    if (IsIcdarFileName(it->path())) annotations.push_back(it->path());
    if (it->path().filename() == "data.mdb") lmdb = true;
    if (it.depth() == 0 && HasSuffix(it->path().string(), ".tar")) tar = true;
  }
  if (ec) return Status::Error(dir + ": cannot list: " + ec.message());
  // LMDBs in sub-folders, or tar shards, and no image file.
  if (lmdb) return DatasetType::kLmdb;
  if (tar) return DatasetType::kTar;
  std::sort(annotations.begin(), annotations.end());
  // Empty ground-truth files (images without text) say nothing: look on to
  // the first few files that have a line.
  int with_content = 0;
  IcdarBox box;
  std::string error;
  for (const fs::path& file : annotations) {
    bool readable = false;
    std::string line = FirstLine(file.string(), &readable);
    if (line.empty()) continue;
    if (ParseIcdarLine(line, &box, &error)) return DatasetType::kIcdar;
    if (++with_content == 8) break;
  }
  return DatasetType::kImages;
}

}  // namespace

std::vector<std::string> DatasetTypeNames() {
  std::vector<std::string> names;
  for (const DatasetTypeEntry& t : kDatasetTypes) names.push_back(t.name);
  return names;
}

Result<DatasetType> ParseDatasetType(const std::string& name) {
  for (const DatasetTypeEntry& t : kDatasetTypes)
    if (name == t.name) return t.type;
  return Status::Error("--dataset_type '" + name + "': expected one of " +
                       JoinNames(DatasetTypeNames(), ", "));
}

const char* DatasetTypeName(DatasetType type) {
  for (const DatasetTypeEntry& t : kDatasetTypes)
    if (type == t.type) return t.name;
  return "auto";
}

const char* SampleUnitName(SampleUnit unit) {
  switch (unit) {
    case SampleUnit::kImages:
      return "images";
    case SampleUnit::kBoxes:
      return "boxes";
    case SampleUnit::kAuto:
      break;
  }
  return "auto";
}

Result<SampleUnit> ParseSampleUnit(const std::string& name) {
  for (SampleUnit u : {SampleUnit::kAuto, SampleUnit::kImages, SampleUnit::kBoxes})
    if (name == SampleUnitName(u)) return u;
  return Status::Error("--samples '" + name + "': expected one of auto, images, boxes");
}

SampleUnit SamplesFor(const InputShape& shape) {
  return shape.HeightDynamic() && shape.WidthDynamic() ? SampleUnit::kImages : SampleUnit::kBoxes;
}

Result<SampleUnit> DatasetSamples(DatasetType type, SampleUnit requested, const InputShape& shape) {
  switch (type) {
    case DatasetType::kDetLabels:
    case DatasetType::kCoco:
      return requested == SampleUnit::kAuto ? SamplesFor(shape) : requested;
    case DatasetType::kIcdar:
      if (requested == SampleUnit::kImages)
        return Status::Error(
            "--samples images: an ICDAR gt folder names no image; use a det "
            "label file or a COCO file");
      return SampleUnit::kBoxes;
    case DatasetType::kImages:
    case DatasetType::kRecLabels:
    case DatasetType::kLmdb:
    case DatasetType::kTar:
      if (requested == SampleUnit::kBoxes)
        return Status::Error(std::string("--samples boxes: a ") + DatasetTypeName(type) +
                             " dataset has no boxes; its samples are images");
      return SampleUnit::kImages;
    case DatasetType::kAuto:
      break;
  }
  return requested;
}

Result<DatasetType> DetectDatasetType(const std::string& path) {
  // A stream cannot be looked at and then read again: only a det label file
  // is read from one.
  if (path == "-") return DatasetType::kDetLabels;
  std::error_code ec;
  fs::file_status st = fs::status(path, ec);
  if (!fs::exists(st) && IsGlobPattern(path)) return DatasetType::kTar;
  if (!fs::exists(st)) return Status::Error(path + ": no such file or directory");
  if (fs::is_directory(st)) return DetectFolderType(path);
  if (!fs::is_regular_file(st)) return DatasetType::kDetLabels;
  if (HasSuffix(path, ".mdb")) return DatasetType::kLmdb;
  const std::string head = ReadHead(path, 4096);
  if (LooksLikeTarHeader(head.data(), head.size())) return DatasetType::kTar;
  if (LooksLikeCocoStart(head)) return DatasetType::kCoco;
  bool readable = false;
  std::string line = FirstLine(path, &readable);
  if (!readable) return Status::Error(path + ": cannot open the file");
  if (LooksLikeDetLabelLine(line)) return DatasetType::kDetLabels;
  if (LooksLikeRecLabelLine(line)) return DatasetType::kRecLabels;
  if (line.empty()) return Status::Error(path + ": the file has no line to read; " + kAccepted);
  return Status::Error(path + ": not a dataset autoscale reads; " + kAccepted);
}

Result<Profile> ReadDataset(const std::string& path, DatasetType type, const ModelSpace& space,
                            const ReadOptions& options) {
  if (type == DatasetType::kAuto) {
    auto detected = DetectDatasetType(path);
    if (!detected.ok()) return detected.status();
    type = *detected;
  }
  if (path == "-" && type != DatasetType::kDetLabels)
    return Status::Error(std::string("--dataset_path -: standard input can only hold a det label "
                                     "file, not --dataset_type ") +
                         DatasetTypeName(type));
  auto samples = DatasetSamples(type, options.samples, space.shape());
  if (!samples.ok()) return samples.status();
  Profile profile = space.NewProfile();
  Status status;
  switch (type) {
    case DatasetType::kImages:
      status = ReadImageFolder(path, space, options, &profile);
      break;
    case DatasetType::kDetLabels:
      status = *samples == SampleUnit::kImages
                   ? ReadImageList(path, ImageListFormat::kDetLabels, space, options, &profile)
                   : ReadDetLabelFile(path, space, options, &profile);
      break;
    case DatasetType::kRecLabels:
      status = ReadImageList(path, ImageListFormat::kRecLabels, space, options, &profile);
      break;
    case DatasetType::kLmdb:
      status = ReadLmdbDataset(path, space, options, &profile);
      break;
    case DatasetType::kCoco:
      status = ReadCocoFile(path, *samples, space, options, &profile);
      break;
    case DatasetType::kTar:
      status = ReadTarShards(path, space, options, &profile);
      break;
    case DatasetType::kIcdar:
      status = ReadIcdarFolder(path, space, options, &profile);
      break;
    case DatasetType::kAuto:
      break;
  }
  if (!status.ok()) return status;
  profile.dataset.path = path;
  profile.dataset.type = DatasetTypeName(type);
  return profile;
}

}  // namespace autoscale
