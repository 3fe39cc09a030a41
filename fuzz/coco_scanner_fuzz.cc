// Fuzzes the streaming COCO scanner and the reader on top of it: any bytes,
// read through a small buffer so values straddle refills, must scan or fail
// with a byte offset, never crash or read out of bounds; an error names a
// byte inside the input.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "stats/readers/coco_reader.h"
#include "stats/readers/coco_scanner.h"

using namespace autoscale;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  CocoScanOptions scan;
  scan.buffer_bytes = 1024;
  uint64_t images = 0, annotations = 0;
  MemoryByteStream in(data, size);
  Status s = ScanCoco(
      &in, scan,
      [&](const CocoImage& im) {
        images += im.index == images ? 1 : 1000;
        return true;
      },
      [&](const CocoAnnotation& a) {
        if (a.index != annotations++ || (a.bbox_numbers > 0 && !a.has_bbox)) std::abort();
        if (a.polygons == 0 && !a.polygon.empty()) std::abort();
        return true;
      });
  if (images >= 1000) std::abort();  // entries out of order
  if (!s.ok() && s.message().rfind("byte ", 0) != 0 && in.error().empty()) std::abort();
  // The reader, both ways, on the same bytes.
  InputShape shape;
  shape.dims = {-1, 3, 48, -1};
  const ModelSpace space(shape, 1280);
  for (SampleUnit unit : {SampleUnit::kImages, SampleUnit::kBoxes}) {
    MemoryByteStream again(data, size);
    Profile p = space.NewProfile();
    Status r = ReadCoco(&again, "f", unit, space, scan, &p);
    if (r.ok() && p.SampleCount() == 0) std::abort();
  }
  return 0;
}
