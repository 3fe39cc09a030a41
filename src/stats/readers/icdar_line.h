// Parses one line of an ICDAR-style ground-truth file:
//   x1,y1,x2,y2,x3,y3,x4,y4,text
// Numbers may be floats and may have spaces around them; the text is
// everything after the eighth comma (it may contain commas, or be absent).
#pragma once

#include <string>
#include <string_view>

#include "stats/readers/box_geometry.h"

namespace autoscale {

struct IcdarBox {
  Point points[4];
  std::string_view text;  // may be empty
};

// Parses `line` (without its line end). Returns false with a one-phrase
// reason in *error when it does not start with 8 comma-separated numbers.
bool ParseIcdarLine(std::string_view line, IcdarBox* box, std::string* error);

}  // namespace autoscale
