// Reads a dataset of any supported kind into a Profile: picks the reader by
// `--dataset_type` or by looking at the path, runs it on all cores.
#pragma once

#include <string>
#include <vector>

#include "common/progress.h"
#include "common/status.h"
#include "stats/core/model_space.h"
#include "stats/core/profile.h"

namespace autoscale {

enum class DatasetType { kAuto, kImages, kDetLabels, kIcdar };

// The --dataset_type names, in order: "auto", "images", "det_labels", "icdar".
std::vector<std::string> DatasetTypeNames();
// One of DatasetTypeNames(); the error lists them.
Result<DatasetType> ParseDatasetType(const std::string& name);
const char* DatasetTypeName(DatasetType type);

struct ReadOptions {
  // Worker threads; 0 means one per core. Default 0.
  int threads = 0;
  // Told how far the scan has got (from the worker threads); the readers
  // print nothing themselves. Default none.
  ProgressSink* progress = nullptr;
};

// Decides the type of `path`: a folder of *.txt/*.csv files with 8-number
// lines is "icdar", any other folder "images", a file whose first valid line
// is `path<TAB>[...]` "det_labels". A stream ("-" for standard input, a pipe,
// a FIFO, a character device) is "det_labels" unread, the one type read from
// a stream. The error names the path and why.
Result<DatasetType> DetectDatasetType(const std::string& path);

// The whole read. Errors (a missing path, no image in a folder, no valid line
// in a label file) name the path; skipped items are counted in the profile.
// `path` "-" is standard input (det labels only).
Result<Profile> ReadDataset(const std::string& path, DatasetType type, const ModelSpace& space,
                            const ReadOptions& options);

}  // namespace autoscale
