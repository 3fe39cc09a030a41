// Maps what the readers observe (image sizes, box crops) to the sizes the
// model sees, by the rule in runtime/model_space.h, and records them in a
// Profile.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "stats/core/input_shape.h"
#include "stats/core/profile.h"

namespace autoscale {

// A text box's perspective-crop size in source pixels.
struct BoxSize {
  double height = 0;
  double width = 0;
};

class ModelSpace {
 public:
  ModelSpace(const InputShape& shape, int64_t limit_side_len);

  // (h, w) in model pixels: runtime::MapToModelSpace, the rule inference
  // applies too.
  std::pair<int64_t, int64_t> Map(double h, double w) const;

  // One image of an image folder: a sample with no batch information.
  void AddImage(Profile* profile, int64_t h, int64_t w) const;
  // One annotated image and its valid boxes: each box is a sample whose
  // batch is the image's box count. An image with no valid box counts as an
  // image and adds no batch sample.
  void AddImageBoxes(Profile* profile, const std::vector<BoxSize>& boxes) const;

  // A fresh, empty profile that records this mapping.
  Profile NewProfile() const;

  const InputShape& shape() const { return shape_; }
  int64_t limit_side_len() const { return limit_side_len_; }

 private:
  InputShape shape_;
  int64_t limit_side_len_;
};

}  // namespace autoscale
