// The one rule that maps a source image or crop (in source pixels) to the
// size the model sees, given the model's N,C,H,W input shape (-1 = dynamic).
#pragma once

#include <array>
#include <cstdint>

namespace autoscale {
namespace runtime {

// N, C, H, W; -1 marks a dynamic dim.
using InputDims = std::array<int64_t, 4>;

// A source image or crop size in source pixels.
struct SourceSize {
  double h = 0;
  double w = 0;
};

// A size in model pixels (what a gear must hold).
struct Item {
  int64_t h = 0;
  int64_t w = 0;
};

// (h, w) in model pixels, each at least 1, rounded up (a sample of 100.2 px
// needs a gear of at least 101 to fit unshrunk; a result within 1e-6 of an
// integer counts as that integer, so 48 * 100 / 48 stays 100):
//   H fixed, W dynamic: (H, ceil(w*H/h));  W fixed, H dynamic: (ceil(h*W/w), W);
//   both dynamic: scaled by min(1, limit_side_len / max(h, w)) (no upscaling;
//     limit_side_len <= 0 means no limit);
//   both fixed: (H, W).
// h and w are source sizes, > 0.
Item MapToModelSpace(const InputDims& shape, int64_t limit_side_len, double h, double w);

}  // namespace runtime
}  // namespace autoscale
