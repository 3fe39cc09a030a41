// The mergeable summary of a dataset in model space: exact counts of every
// distinct (box count, h, w) sample, of every distinct image's box list (see
// image_boxes.h), the box-count histogram, and what the readers skipped.
// Strategies and evaluation read only this, so memory grows with the distinct
// samples and images, a few bytes per box; two shards' profiles merge into
// exactly the profile of their union.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "runtime/model_space.h"
#include "stats/core/histogram.h"
#include "stats/core/input_shape.h"

namespace autoscale {

// What the readers passed over, by kind.
struct SkipCounts {
  uint64_t non_image = 0;       // files in an image folder that are not images (FIFOs,
                                // sockets and devices too)
  uint64_t corrupt = 0;         // images whose header or pixels cannot be read
  uint64_t degenerate_box = 0;  // boxes with a side under 1 px
  uint64_t bad_line = 0;        // label lines that cannot be parsed
  uint64_t missing_file = 0;    // paths the dataset names that do not exist
  uint64_t broken_link = 0;     // symbolic links to nothing (or to what cannot be reached)
  uint64_t link_loop = 0;       // symbolic links that loop, or lead to a folder holding them
  uint64_t path_too_long = 0;   // files and folders whose path is too long to open
  uint64_t Total() const {
    return non_image + corrupt + degenerate_box + bad_line + missing_file + broken_link +
           link_loop + path_too_long;
  }
  bool operator==(const SkipCounts& o) const;
};

// One reader warning. `order` sorts warnings into dataset order (file index,
// line number) so parallel readers report the same first few every run.
struct Warning {
  uint64_t order = 0;
  std::string where;    // "path" or "path:line"
  std::string message;  // what is wrong there
  bool operator==(const Warning& o) const {
    return order == o.order && where == o.where && message == o.message;
  }
};

struct DatasetInfo {
  std::string type;  // "images", "det_labels", "icdar", or "" when unknown
  std::string path;
  uint64_t images = 0;  // images read (with or without boxes)
  uint64_t boxes = 0;   // valid boxes read
  SkipCounts skipped;
  // The first kMaxWarnings warnings in dataset order, and how many there were.
  std::vector<Warning> warnings;
  uint64_t warnings_total = 0;
  static constexpr size_t kMaxWarnings = 20;
};

// A sample's key: its size in model space, and the box count of the image it
// came from (0 for image folders, which carry no batch information).
struct SampleKey {
  int64_t batch = 0;
  int64_t h = 0;
  int64_t w = 0;
  bool operator<(const SampleKey& o) const {
    return std::tie(batch, h, w) < std::tie(o.batch, o.h, o.w);
  }
  bool operator==(const SampleKey& o) const { return batch == o.batch && h == o.h && w == o.w; }
};

// Items the runtime routes together, and how many times the dataset has
// them: the boxes of one annotated image, or a whole image folder.
struct RoutingUnit {
  std::vector<runtime::Item> items;  // ascending by (w, h)
  uint64_t count = 0;
};

class Profile {
 public:
  DatasetInfo dataset;
  // The input shape and limit_side_len the samples were mapped with.
  InputShape input_shape;
  int64_t limit_side_len = 0;

  void AddSample(const SampleKey& key, uint64_t n = 1);
  // One image with `box_count` boxes (annotation datasets only).
  void AddBoxCount(int64_t box_count, uint64_t n = 1);
  // One annotated image's boxes in model space (any order; none is a no-op).
  // Does not add the samples or the box count.
  void AddImageBoxes(const std::vector<runtime::Item>& boxes, uint64_t n = 1);
  void AddWarning(uint64_t order, std::string where, std::string message);
  void Merge(const Profile& other);

  const std::map<SampleKey, uint64_t>& samples() const { return samples_; }
  uint64_t SampleCount() const { return sample_count_; }
  // Box counts per image; empty for image folders.
  const Histogram& batch() const { return batch_; }
  bool HasBatchInfo() const { return !batch_.empty(); }
  // Distinct images' box lists (EncodeImageBoxes keys) and their counts;
  // empty for image folders and for profiles saved without them.
  const std::map<std::string, uint64_t>& image_boxes() const { return image_boxes_; }

  // What the runtime routes together, with counts:
  //  - annotation datasets: each distinct image's boxes. A profile whose
  //    image_boxes do not hold every sample (built from samples alone, saved
  //    before they existed, or merged with such a profile) deals the samples
  //    of each box count k, in (w, h) order, into images of k boxes.
  //  - image folders with a dynamic N (input_shape): one unit holding every
  //    sample, as the runtime batches a folder's images together.
  //  - image folders with a fixed N: each distinct sample alone.
  std::vector<RoutingUnit> RoutingUnits() const;

  // Marginals over the samples whose box count passes `keep` (all by default).
  using BatchFilter = std::function<bool(int64_t batch)>;
  Histogram Heights(const BatchFilter& keep = nullptr) const;
  Histogram Widths(const BatchFilter& keep = nullptr) const;
  PairCounts Pairs(const BatchFilter& keep = nullptr) const;

  // The largest side (h, w, box count, limit_side_len) and the largest count
  // a loaded profile may hold: larger ones are refused as tampered.
  static constexpr int64_t kMaxSide = (int64_t{1} << 31) - 1;
  static constexpr int64_t kMaxCount = int64_t{1} << 40;

  nlohmann::json ToJson() const;
  // Refuses, with one line naming the key, a profile whose numbers are not
  // whole, negative or out of range, or whose figures disagree: `samples`,
  // `height.count`, `width.count`, `hw.count`, `dataset.boxes` (annotated) or
  // `dataset.images` (image folders) against `joint`; `batch.values` against
  // the samples of each box count; `image_boxes` against `batch.values`.
  static Result<Profile> FromJson(const nlohmann::json& j, const std::string& where);
  Status SaveFile(const std::string& path) const;
  static Result<Profile> LoadFile(const std::string& path);

  bool operator==(const Profile& o) const;

 private:
  std::map<SampleKey, uint64_t> samples_;
  std::map<std::string, uint64_t> image_boxes_;
  uint64_t sample_count_ = 0;
  Histogram batch_;
};

}  // namespace autoscale
