// libFuzzer target for the image header parser: any bytes must give a size,
// "corrupt" or "unknown" without reading outside the buffer, and a size is
// never empty.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "stats/readers/image_header.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const autoscale::ImageHeader h = autoscale::ReadImageHeader(data, size);
  if (h.outcome == autoscale::HeaderOutcome::kSize && (h.height <= 0 || h.width <= 0)) std::abort();
  if (h.outcome == autoscale::HeaderOutcome::kCorrupt && h.reason.empty()) std::abort();
  // The EXIF reader on its own, as if the whole input were one EXIF block.
  autoscale::MemoryByteSource source(data, size);
  autoscale::ExifOrientation(source, 0, size);
  return 0;
}
