// Reads an image's size from its header without decoding pixels, for JPEG,
// PNG, BMP, GIF, WebP and TIFF, and applies orientation exactly as
// cv::imread (OpenCV 4.6) does, so the size is the one cv::imread returns:
//  - JPEG: the EXIF Orientation of the first APP1 segment (whatever it holds);
//  - PNG: the first eXIf chunk libpng keeps (before or after the image data);
//  - TIFF: the Orientation tag of the first directory;
//  - WebP (its EXIF chunk), BMP, GIF: never.
// Orientations 5-8 swap height and width. The input is untrusted: every read
// is bounded by what the file holds, and a malformed file yields kCorrupt
// with a reason, never a crash. A size cv::imread refuses (OpenCV's limits,
// ImageSizeLimits) is kCorrupt too, and so is a file cut short before its
// first image's data.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace autoscale {

// Random access to a file's bytes; the parser asks only for what it needs
// (usually the first few hundred bytes; a JPEG with a large EXIF block, a
// PNG's chunk list or a TIFF directory may need more).
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Copies up to `n` bytes starting at `offset` into `out` and returns how
  // many were copied: fewer than `n` only at the end of the file.
  virtual size_t Read(uint64_t offset, void* out, size_t n) = 0;
};

// A ByteSource over bytes already in memory (tests, fuzzing).
class MemoryByteSource : public ByteSource {
 public:
  MemoryByteSource(const void* data, size_t size)
      : data_(static_cast<const uint8_t*>(data)), size_(size) {}
  size_t Read(uint64_t offset, void* out, size_t n) override;

 private:
  const uint8_t* data_;
  size_t size_;
};

// The largest image cv::imread decodes, checked on the size the file stores
// (before orientation): OpenCV's CV_IO_MAX_IMAGE_WIDTH, _HEIGHT and _PIXELS.
struct ImageSizeLimits {
  uint64_t max_width = uint64_t{1} << 20;
  uint64_t max_height = uint64_t{1} << 20;
  uint64_t max_pixels = uint64_t{1} << 30;
  // The defaults above, or what the environment variables
  // OPENCV_IO_MAX_IMAGE_WIDTH, OPENCV_IO_MAX_IMAGE_HEIGHT and
  // OPENCV_IO_MAX_IMAGE_PIXELS say, as OpenCV reads them; read once.
  static const ImageSizeLimits& OpenCv();
  // Empty when a height x width image is within the limits, else why not.
  std::string Check(uint64_t height, uint64_t width) const;
};

enum class ImageFormat { kUnknown, kJpeg, kPng, kBmp, kGif, kWebp, kTiff };
const char* ImageFormatName(ImageFormat format);  // "JPEG", ..., "unknown"

enum class HeaderOutcome {
  kSize,     // the size was read
  kCorrupt,  // the signature is an image format's, but the file is broken
  kUnknown,  // no signature this parser knows (maybe another format)
};

struct ImageHeader {
  HeaderOutcome outcome = HeaderOutcome::kUnknown;
  ImageFormat format = ImageFormat::kUnknown;
  // The size cv::imread returns: orientation applied. Set when kSize.
  int64_t height = 0;
  int64_t width = 0;
  // The orientation that was applied (1..8; 1 when none or not applicable).
  int orientation = 1;
  // Why the file is corrupt ("truncated before the SOF segment"). Set when kCorrupt.
  std::string reason;
};

// Identifies the format by its signature and reads the size, within
// ImageSizeLimits::OpenCv() or the `limits` given.
ImageHeader ReadImageHeader(ByteSource& source);
ImageHeader ReadImageHeader(ByteSource& source, const ImageSizeLimits& limits);
ImageHeader ReadImageHeader(const void* data, size_t size);

// The orientation cv::imread 4.6 takes from an EXIF block (a TIFF header and
// its first directory, as in a JPEG APP1 segment after "Exif\0\0" or a PNG
// eXIf chunk) of `size` bytes at `offset`: 1..8 as stored, 0 when the block
// holds none, other values as stored (cv::imread ignores them).
int ExifOrientation(ByteSource& source, uint64_t offset, uint64_t size);

}  // namespace autoscale
