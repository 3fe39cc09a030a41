// The crop size of an annotated text box: the size of the image a text
// recognition model receives when an OCR pipeline cuts the box out of the
// page with a perspective transform. Quadrilaterals are cropped as given;
// polygons of more points through their minimum-area rotated rectangle.
#pragma once

#include <array>
#include <cstddef>
#include <string>

#include "stats/core/model_space.h"

namespace autoscale {

struct Point {
  double x = 0;
  double y = 0;
};

// Boxes with a side above this many pixels are rejected: no real page is
// that large, and the mapping to model space must not overflow.
constexpr double kMaxBoxSidePx = 16777216.0;  // 2^24

enum class BoxProblem {
  kNone,
  kTooFewPoints,  // fewer than 4 points
  kNonFinite,     // a coordinate is NaN or infinite
  kDegenerate,    // the crop has a side under 1 px
  kTooLarge,      // the crop has a side over kMaxBoxSidePx
};

struct BoxMeasure {
  BoxSize size;  // valid when problem is kNone or kDegenerate/kTooLarge
  BoxProblem problem = BoxProblem::kNone;
  bool ok() const { return problem == BoxProblem::kNone; }
};

// Crop of the quadrilateral p0 p1 p2 p3 (clockwise from the top left, as
// annotations list them): width max(|p0p1|, |p2p3|), height max(|p0p3|, |p1p2|).
BoxSize QuadCropSize(const Point* p);

// The minimum-area rectangle enclosing `points`, as the four corners
// top-left, top-right, bottom-right, bottom-left: the two leftmost corners
// (smallest x) form the left side, the upper of each pair (smaller y) comes
// first, which is how OCR pipelines order the corners before cropping. Needs
// count >= 1; linear after an O(n log n) convex hull, so long polygons are fine.
std::array<Point, 4> MinAreaRect(const Point* points, size_t count);

// Measures one box: 4 points through QuadCropSize, more through
// MinAreaRect; fewer than 4 points or a non-finite coordinate is a problem.
BoxMeasure MeasureBox(const Point* points, size_t count);

// Why a box was rejected, as one phrase ("3 points, a box needs at least 4",
// "crop 0.5 x 12 px has a side under 1 px"). Empty for a valid box.
std::string DescribeBoxProblem(const BoxMeasure& measure, size_t point_count);

}  // namespace autoscale
