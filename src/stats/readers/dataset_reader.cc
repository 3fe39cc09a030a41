#include "stats/readers/dataset_reader.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <system_error>
#include <vector>

#include "common/names.h"
#include "stats/readers/annotation_boxes.h"
#include "stats/readers/det_label_line.h"
#include "stats/readers/det_label_reader.h"
#include "stats/readers/icdar_line.h"
#include "stats/readers/icdar_reader.h"
#include "stats/readers/image_folder_reader.h"

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
                                              {DatasetType::kIcdar, "icdar"}};

const char kAccepted[] =
    "expected an image folder, an ICDAR folder of x1,y1,...,x4,y4,text *.txt/*.csv files, or a "
    "det label file (image_path<TAB>[{\"points\": ...}] per line); --dataset_type picks one";

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
    std::string_view line(head.data() + start, (nl == std::string::npos ? head.size() : nl) - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!IsBlankLine(line)) return std::string(line);
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  return std::string();
}

Result<DatasetType> DetectFolderType(const std::string& dir) {
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
  }
  if (ec) return Status::Error(dir + ": cannot list: " + ec.message());
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

Result<DatasetType> DetectDatasetType(const std::string& path) {
  // A stream cannot be looked at and then read again: only a det label file
  // is read from one.
  if (path == "-") return DatasetType::kDetLabels;
  std::error_code ec;
  fs::file_status st = fs::status(path, ec);
  if (!fs::exists(st)) return Status::Error(path + ": no such file or directory");
  if (fs::is_directory(st)) return DetectFolderType(path);
  if (!fs::is_regular_file(st)) return DatasetType::kDetLabels;
  bool readable = false;
  std::string line = FirstLine(path, &readable);
  if (!readable) return Status::Error(path + ": cannot open the file");
  if (LooksLikeDetLabelLine(line)) return DatasetType::kDetLabels;
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
  Profile profile = space.NewProfile();
  Status status;
  switch (type) {
    case DatasetType::kImages:
      status = ReadImageFolder(path, space, options, &profile);
      break;
    case DatasetType::kDetLabels:
      status = ReadDetLabelFile(path, space, options, &profile);
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
