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

enum class DatasetType { kAuto, kImages, kDetLabels, kIcdar, kRecLabels, kLmdb, kCoco, kTar };

// The --dataset_type names, in order: "auto", "images", "det_labels", "icdar",
// "rec_labels", "lmdb", "coco", "tar".
std::vector<std::string> DatasetTypeNames();
// One of DatasetTypeNames(); the error lists them.
Result<DatasetType> ParseDatasetType(const std::string& name);
const char* DatasetTypeName(DatasetType type);

// What a sample of an annotated dataset is (--samples images|boxes).
enum class SampleUnit { kAuto, kImages, kBoxes };
// "auto", "images" or "boxes".
const char* SampleUnitName(SampleUnit unit);
// One of "images", "boxes" (and "auto"); the error names the option.
Result<SampleUnit> ParseSampleUnit(const std::string& name);

struct ReadOptions {
  // Worker threads; 0 means one per core. Default 0.
  int threads = 0;
  // Told how far the scan has got (from the worker threads); the readers
  // print nothing themselves. Default none.
  ProgressSink* progress = nullptr;
  // --image_root: the folder relative image paths of a label file (rec
  // labels; det labels read as images) are taken from. Default empty: the
  // label file's own folder.
  std::string image_root;
  // --samples: what an annotated dataset (det labels, COCO) contributes as
  // samples: the listed images' sizes, or their boxes' crop sizes. Default
  // kAuto: SamplesFor(shape).
  SampleUnit samples = SampleUnit::kAuto;
};

// The samples an annotated dataset gives an input shape by default: images
// for a detector (H and W dynamic), boxes for any other model.
SampleUnit SamplesFor(const InputShape& shape);

// Decides the type of `path`:
//  - a folder: holding data.mdb, or with no image file but data.mdb files
//    below it, "lmdb"; with no image file but *.tar files in it, "tar"; of
//    *.txt/*.csv files with 8-number lines, "icdar"; any other, "images";
//  - a file: named *.mdb, "lmdb"; starting with a tar header, "tar"; a JSON
//    object naming "images" or "annotations" in its first 4 KiB, "coco";
//    whose first valid line is `path<TAB>[...]`, "det_labels"; whose first
//    line is `path.<image extension><TAB>text`, "rec_labels";
//  - a glob pattern (*, ?, [ and no such file): "tar";
//  - a stream ("-" for standard input, a pipe, a FIFO, a character device):
//    "det_labels" unread, the one type read from a stream.
// The error names the path and why.
Result<DatasetType> DetectDatasetType(const std::string& path);

// The samples a dataset of `type` gives for `requested` (kAuto: SamplesFor
// the shape, for det labels and COCO; images for the image datasets; boxes
// for ICDAR folders). Errors: boxes asked of a dataset without boxes, images
// of an ICDAR folder.
Result<SampleUnit> DatasetSamples(DatasetType type, SampleUnit requested, const InputShape& shape);

// The whole read. Errors (a missing path, no image in a folder, no valid line
// in a label file) name the path; skipped items are counted in the profile.
// `path` "-" is standard input (det labels only).
Result<Profile> ReadDataset(const std::string& path, DatasetType type, const ModelSpace& space,
                            const ReadOptions& options);

}  // namespace autoscale
