// Fuzzes the det label line parser and the box geometry behind it: any
// bytes must parse or fail with a reason, never crash, and every box that
// measures as valid must have a finite crop within the limits.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "stats/readers/box_geometry.h"
#include "stats/readers/det_label_line.h"

using namespace autoscale;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static DetLabelLine line;  // reused, as the reader reuses it
  std::string error;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  LooksLikeDetLabelLine(text);
  if (!ParseDetLabelLine(text, &line, &error)) {
    if (error.empty() || line.BoxCount() != 0) std::abort();
    return 0;
  }
  if (line.image.empty() || line.image.find('\t') != std::string_view::npos) std::abort();
  size_t points = 0;
  for (size_t i = 0; i < line.BoxCount(); ++i) {
    const size_t n = line.BoxPoints(i);
    points += n;
    BoxMeasure m = MeasureBox(line.points.data() + line.BoxBegin(i), n);
    if (m.ok() && !(m.size.width >= 1 && m.size.height >= 1 && m.size.width <= kMaxBoxSidePx &&
                    m.size.height <= kMaxBoxSidePx))
      std::abort();
    if (!m.ok() && DescribeBoxProblem(m, n).empty()) std::abort();
  }
  if (points != line.points.size()) std::abort();
  return 0;
}
