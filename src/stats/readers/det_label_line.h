// Parses one line of a PaddleOCR/MindOCR detection label file:
//   image_path<TAB>[{"transcription": "...", "points": [[x, y], ...]}, ...]
// A hand-written JSON reader for exactly this shape: it validates the whole
// line (any other keys and values are skipped but must be well-formed JSON)
// and keeps only the points, so a line costs no allocation once the buffers
// have grown. Transcriptions are not decoded: any bytes pass except an
// unescaped quote or a bad escape.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "stats/readers/box_geometry.h"

namespace autoscale {

struct DetLabelLine {
  std::string_view image;  // the path before the first tab
  // Every box's points back to back; box i is points[box_end[i-1]..box_end[i]).
  std::vector<Point> points;
  std::vector<uint32_t> box_end;

  size_t BoxCount() const { return box_end.size(); }
  size_t BoxBegin(size_t i) const { return i == 0 ? 0 : box_end[i - 1]; }
  size_t BoxPoints(size_t i) const { return box_end[i] - BoxBegin(i); }
};

// Parses `line` (without its line end) into `out`, reusing its buffers.
// Returns false with a one-phrase reason in *error when the line is not a
// det label line: no tab, no image path, invalid JSON (with the column),
// not a list of objects, or a box without "points" or with points that are
// not [x, y] number pairs. A box with too few points is not an error here:
// box geometry judges it.
bool ParseDetLabelLine(std::string_view line, DetLabelLine* out, std::string* error);

// True when `line` looks like the start of a det label line: a non-empty
// path, a tab, optional spaces and '['. For telling file formats apart.
bool LooksLikeDetLabelLine(std::string_view line);

}  // namespace autoscale
