// Fuzzes the ICDAR ground-truth line parser and the quad crop: any bytes
// must parse or fail with a reason, never crash.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "stats/readers/box_geometry.h"
#include "stats/readers/icdar_line.h"

using namespace autoscale;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  IcdarBox box;
  std::string error;
  if (!ParseIcdarLine(text, &box, &error)) {
    if (error.empty()) std::abort();
    return 0;
  }
  // The text is a tail of the line.
  if (box.text.data() < text.data() || box.text.data() + box.text.size() != text.data() + size)
    std::abort();
  BoxMeasure m = MeasureBox(box.points, 4);
  if (m.ok() && !(m.size.width >= 1 && m.size.height >= 1)) std::abort();
  return 0;
}
