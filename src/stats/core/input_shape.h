// The model input shape N,C,H,W as the user gives it; -1 marks a dynamic dim.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "common/status.h"

namespace autoscale {

enum Dim { kN = 0, kC = 1, kH = 2, kW = 3 };

struct InputShape {
  std::array<int64_t, 4> dims{1, 3, -1, -1};

  bool IsDynamic(Dim d) const { return dims[d] == -1; }
  bool BatchDynamic() const { return IsDynamic(kN); }
  bool HeightDynamic() const { return IsDynamic(kH); }
  bool WidthDynamic() const { return IsDynamic(kW); }
  bool HwDynamic() const { return HeightDynamic() || WidthDynamic(); }
  bool IsStatic() const { return !BatchDynamic() && !HwDynamic(); }
  // "1,3,-1,-1"
  std::string ToString() const;
  bool operator==(const InputShape& o) const { return dims == o.dims; }
  bool operator!=(const InputShape& o) const { return dims != o.dims; }
};

// Accepts "N,C,H,W" (spaces allowed). Rejects anything but 4 integers, 0,
// values below -1, and a dynamic C, with a message that says why.
Result<InputShape> ParseInputShape(const std::string& text);

}  // namespace autoscale
