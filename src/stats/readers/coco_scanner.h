// Scans a COCO instances JSON file as a stream: the bytes pass once through
// one fixed buffer, so a file of any size is read in the same memory. Only
// what the profile needs is kept: each image's id, width and height, and
// each annotation's image_id, bbox and first segmentation polygon;
// everything else (info, licenses, categories, file names, RLE masks) is
// checked for well-formed JSON and skipped. The input is untrusted: a
// malformed file ends the scan with the byte offset and what was expected.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/status.h"
#include "stats/readers/box_geometry.h"

namespace autoscale {

// Where the scanner's bytes come from.
class ByteStream {
 public:
  virtual ~ByteStream() = default;
  // Up to `n` bytes into `out`; 0 at the end. A read error is reported
  // through error() (then 0 is returned).
  virtual size_t Read(char* out, size_t n) = 0;
  virtual std::string error() const { return ""; }
  // Starts again from the first byte; false when the stream cannot.
  virtual bool Rewind() { return false; }
};

// Bytes already in memory (tests, fuzzing).
class MemoryByteStream : public ByteStream {
 public:
  MemoryByteStream(const void* data, size_t size)
      : data_(static_cast<const char*>(data)), size_(size) {}
  size_t Read(char* out, size_t n) override;
  bool Rewind() override {
    pos_ = 0;
    return true;
  }

 private:
  const char* data_;
  size_t size_;
  size_t pos_ = 0;
};

struct CocoImage {
  uint64_t index = 0;  // position in images[]
  bool has_id = false, has_width = false, has_height = false;
  double id = 0, width = 0, height = 0;
};

struct CocoAnnotation {
  uint64_t index = 0;  // position in annotations[]
  bool has_image_id = false;
  double image_id = 0;
  bool has_bbox = false;
  double bbox[4] = {0, 0, 0, 0};  // x, y, width, height
  size_t bbox_numbers = 0;        // how many numbers bbox held
  // The first polygon of `segmentation` (a list of polygons), and how many
  // polygons there were; 0 for an RLE mask or none.
  std::vector<Point> polygon;
  size_t polygons = 0;
  bool odd_polygon = false;  // a polygon with an odd count of numbers
};

struct CocoScanOptions {
  // Bytes of the buffer. Default 1 MiB; at least 1 KiB.
  size_t buffer_bytes = 1 << 20;
  // Annotations are parsed only when true; else skipped (image sizes only).
  bool annotations = true;
};

// Calls on_image for every entry of the top-level "images" list and
// on_annotation for every entry of "annotations", in file order (the two
// lists may come in either order). Errors: the stream is not one JSON object
// ("byte N: expected ..."), a list entry is not an object, a read error.
// Entries with missing or mistyped fields are passed on as they are: the
// caller decides what is missing. A callback returning false stops the scan
// (the result is then the error "stopped").
Status ScanCoco(ByteStream* in, const CocoScanOptions& options,
                const std::function<bool(const CocoImage&)>& on_image,
                const std::function<bool(const CocoAnnotation&)>& on_annotation);

}  // namespace autoscale
