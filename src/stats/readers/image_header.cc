#include "stats/readers/image_header.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace autoscale {

size_t MemoryByteSource::Read(uint64_t offset, void* out, size_t n) {
  if (offset >= size_) return 0;
  size_t avail = std::min<uint64_t>(n, size_ - offset);
  std::memcpy(out, data_ + offset, avail);
  return avail;
}

namespace {

// OpenCV's reading of a size_t configuration variable: a decimal number,
// optionally followed by K, M or G (KiB, MiB, GiB); the default otherwise.
uint64_t LimitFromEnvironment(const char* name, uint64_t fallback) {
  const char* text = std::getenv(name);
  if (text == nullptr || *text == '\0') return fallback;
  char* end = nullptr;
  const unsigned long long v = std::strtoull(text, &end, 10);
  if (end == text) return fallback;
  const std::string suffix(end);
  if (suffix.empty()) return v;
  if (suffix == "K" || suffix == "Kb" || suffix == "KB") return v << 10;
  if (suffix == "M" || suffix == "Mb" || suffix == "MB") return v << 20;
  if (suffix == "G" || suffix == "Gb" || suffix == "GB") return v << 30;
  return fallback;
}

}  // namespace

const ImageSizeLimits& ImageSizeLimits::OpenCv() {
  static const ImageSizeLimits limits = [] {
    ImageSizeLimits l;
    l.max_width = LimitFromEnvironment("OPENCV_IO_MAX_IMAGE_WIDTH", l.max_width);
    l.max_height = LimitFromEnvironment("OPENCV_IO_MAX_IMAGE_HEIGHT", l.max_height);
    l.max_pixels = LimitFromEnvironment("OPENCV_IO_MAX_IMAGE_PIXELS", l.max_pixels);
    return l;
  }();
  return limits;
}

std::string ImageSizeLimits::Check(uint64_t height, uint64_t width) const {
  const std::string size = std::to_string(height) + "x" + std::to_string(width);
  if (width > max_width)
    return size + ": wider than OpenCV's limit of " + std::to_string(max_width);
  if (height > max_height)
    return size + ": higher than OpenCV's limit of " + std::to_string(max_height);
  if (width > 0 && height > max_pixels / width)
    return size + ": more pixels than OpenCV's limit of " + std::to_string(max_pixels);
  return std::string();
}

const char* ImageFormatName(ImageFormat format) {
  switch (format) {
    case ImageFormat::kJpeg:
      return "JPEG";
    case ImageFormat::kPng:
      return "PNG";
    case ImageFormat::kBmp:
      return "BMP";
    case ImageFormat::kGif:
      return "GIF";
    case ImageFormat::kWebp:
      return "WebP";
    case ImageFormat::kTiff:
      return "TIFF";
    case ImageFormat::kUnknown:
      break;
  }
  return "unknown";
}

namespace {

// Typed reads through a ByteSource; each returns false when the bytes are
// not in the file, so no parser can read past its end.
class Bytes {
 public:
  explicit Bytes(ByteSource& source) : source_(source) {}
  ByteSource& source() { return source_; }

  bool Get(uint64_t offset, void* out, size_t n) { return source_.Read(offset, out, n) == n; }
  bool U8(uint64_t offset, uint32_t* v) {
    uint8_t b;
    if (!Get(offset, &b, 1)) return false;
    *v = b;
    return true;
  }
  bool U16(uint64_t offset, bool le, uint32_t* v) {
    uint8_t b[2];
    if (!Get(offset, b, 2)) return false;
    *v = le ? (b[0] | b[1] << 8) : (b[0] << 8 | b[1]);
    return true;
  }
  bool U32(uint64_t offset, bool le, uint32_t* v) {
    uint8_t b[4];
    if (!Get(offset, b, 4)) return false;
    *v = le ? Le32(b) : Be32(b);
    return true;
  }
  // True when the file holds at least `end` bytes.
  bool HasBytes(uint64_t end) {
    uint8_t b;
    return end == 0 || Get(end - 1, &b, 1);
  }

  static uint32_t Le32(const uint8_t* b) {
    return uint32_t(b[0]) | uint32_t(b[1]) << 8 | uint32_t(b[2]) << 16 | uint32_t(b[3]) << 24;
  }
  static uint32_t Be32(const uint8_t* b) {
    return uint32_t(b[0]) << 24 | uint32_t(b[1]) << 16 | uint32_t(b[2]) << 8 | uint32_t(b[3]);
  }

 private:
  ByteSource& source_;
};

ImageHeader Corrupt(ImageFormat format, std::string reason) {
  ImageHeader h;
  h.outcome = HeaderOutcome::kCorrupt;
  h.format = format;
  h.reason = std::move(reason);
  return h;
}

// Orientations 5-8 transpose the image (cv::imread rotates or transposes it).
ImageHeader Sized(ImageFormat format, int64_t height, int64_t width, int64_t orientation) {
  ImageHeader h;
  h.outcome = HeaderOutcome::kSize;
  h.format = format;
  h.orientation = orientation >= 1 && orientation <= 8 ? static_cast<int>(orientation) : 1;
  const bool swap = h.orientation >= 5;
  h.height = swap ? width : height;
  h.width = swap ? height : width;
  return h;
}

std::string Hex(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%02X", v);
  return buf;
}

// ---------------------------------------------------------------- EXIF

// cv::imread 4.6's EXIF reader, step by step: it walks every entry of the
// first directory and gives up at the first read out of the block; entries
// read before that still count, and the first Orientation entry wins. Its
// byte order is little-endian only for "II"; anything else reads big-endian.
class ExifBlock {
 public:
  ExifBlock(ByteSource& source, uint64_t base, uint64_t size)
      : bytes_(source), base_(base), size_(size) {}

  int Orientation() {
    if (size_ == 0) return 0;
    uint32_t b0 = 0, b1 = 0;
    if (!bytes_.U8(base_, &b0)) return 0;
    if (size_ > 1 && !bytes_.U8(base_ + 1, &b1)) return 0;
    le_ = b0 == 'I' && (size_ == 1 || b1 == b0);
    uint32_t mark, offset, count;
    if (!U16(2, &mark) || mark != 0x2A) return 0;
    if (!U32(4, &offset) || !U16(offset, &count)) return 0;
    offset += 2;  // uint32_t arithmetic, as in OpenCV
    int orientation = 0;
    bool found = false;
    for (uint32_t i = 0; i < count; ++i, offset += 12) {
      uint32_t tag, value;
      if (!U16(offset, &tag)) break;
      if (tag == 0x0112) {
        if (!U16(offset + 8, &value)) break;
        if (!found) orientation = static_cast<int>(value);
        found = true;
      } else if (!ReadsAsOpenCvDoes(tag, offset)) {
        break;
      }
    }
    return orientation;
  }

 private:
  // The reads OpenCV makes for the other tags it knows; false where it fails.
  bool ReadsAsOpenCvDoes(uint32_t tag, uint32_t offset) {
    uint32_t v;
    switch (tag) {
      case 0x010E:
      case 0x010F:
      case 0x0110:
      case 0x0131:
      case 0x0132:
      case 0x8298: {
        uint32_t count;
        if (!U32(offset + 4, &count)) return false;
        uint64_t data = 8;
        if (count > 4) {
          if (!U32(offset + 8, &v)) return false;
          data = v;
        }
        return data <= size_ && data + count <= size_;
      }
      case 0x011A:
      case 0x011B:
        return Rationals(offset, 1);
      case 0x0128:
      case 0x0213:
        return U16(offset + 8, &v);
      case 0x013E:
        return Rationals(offset, 2);
      case 0x013F:
        return Rationals(offset, 6);
      case 0x0211:
        return Rationals(offset, 3);
      case 0x0214:
        return Rationals(offset, 6);
      default:
        return true;
    }
  }
  bool Rationals(uint32_t offset, int n) {
    uint32_t at, v;
    if (!U32(offset + 8, &at)) return false;
    for (int i = 0; i < n; ++i, at += 8) {  // uint32_t arithmetic, as in OpenCV
      if (!U32(at, &v) || !U32(uint64_t(at) + 4, &v)) return false;
    }
    return true;
  }
  bool U16(uint64_t offset, uint32_t* v) {
    return offset + 1 < size_ && bytes_.U16(base_ + offset, le_, v);
  }
  bool U32(uint64_t offset, uint32_t* v) {
    return offset + 3 < size_ && bytes_.U32(base_ + offset, le_, v);
  }

  Bytes bytes_;
  uint64_t base_, size_;
  bool le_ = false;
};

// ---------------------------------------------------------------- JPEG

bool IsSof(uint32_t m) { return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC; }

// Walks the segments from SOI to SOS as libjpeg does: stray bytes between
// segments are skipped, the first APP1 segment (whatever it holds) is the
// EXIF block cv::imread reads, and the frame size comes from the SOF.
ImageHeader ParseJpeg(Bytes& b) {
  const ImageFormat kF = ImageFormat::kJpeg;
  uint64_t pos = 2;
  bool have_sof = false, seen_app1 = false, progressive = false;
  uint32_t height = 0, width = 0;
  int orientation = 0;
  for (;;) {
    uint32_t c;
    if (!b.U8(pos, &c)) return Corrupt(kF, "truncated before the image data (no SOS marker)");
    ++pos;
    if (c != 0xFF) continue;  // a stray byte libjpeg would discard
    do {
      if (!b.U8(pos++, &c)) return Corrupt(kF, "truncated before the image data (no SOS marker)");
    } while (c == 0xFF);
    const uint32_t marker = c;
    if (marker == 0x00) continue;  // a stuffed zero, also discarded
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) continue;  // no length
    if (marker == 0xD8) return Corrupt(kF, "a second SOI marker");
    if (marker == 0xD9) return Corrupt(kF, "EOI marker before the image data");
    const bool has_length = IsSof(marker) || marker == 0xC4 || marker == 0xCC || marker == 0xDA ||
                            marker == 0xDB || marker == 0xDC || marker == 0xDD ||
                            (marker >= 0xE0 && marker <= 0xEF) || marker == 0xFE;
    if (!has_length) return Corrupt(kF, "unsupported marker " + Hex(marker));
    uint32_t length;
    if (!b.U16(pos, false, &length)) return Corrupt(kF, "truncated in a segment's length");
    if (marker == 0xDA) {
      if (!have_sof) return Corrupt(kF, "SOS marker before any SOF marker");
      uint32_t components;
      if (!b.U8(pos + 2, &components)) return Corrupt(kF, "truncated SOS segment");
      if (components == 0 || components > 4 || length != 6 + 2 * components)
        return Corrupt(kF, "SOS segment length " + std::to_string(length) + " does not fit " +
                               std::to_string(components) + " components");
      // libjpeg decodes a file cut right after the SOS segment's component
      // list (a progressive one needs the whole segment), not before.
      const uint64_t needed = progressive ? length : 3 + 2 * components;
      if (!b.HasBytes(pos + needed)) return Corrupt(kF, "truncated SOS segment");
      return Sized(kF, height, width, orientation);
    }
    if (IsSof(marker)) {
      if (have_sof) return Corrupt(kF, "two SOF markers");
      uint8_t sof[6];
      if (length < 8 || !b.Get(pos + 2, sof, 6)) return Corrupt(kF, "truncated SOF segment");
      height = uint32_t(sof[1]) << 8 | sof[2];
      width = uint32_t(sof[3]) << 8 | sof[4];
      const uint32_t components = sof[5];
      if (components == 0 || length != 8 + 3 * components)
        return Corrupt(kF, "SOF segment length " + std::to_string(length) + " does not fit " +
                               std::to_string(components) + " components");
      if (height == 0 || width == 0)
        return Corrupt(
            kF, "SOF gives an empty size " + std::to_string(height) + "x" + std::to_string(width));
      have_sof = true;
      progressive = marker == 0xC2 || marker == 0xC6 || marker == 0xCA || marker == 0xCE;
    } else if (marker == 0xE1 && !seen_app1) {
      seen_app1 = true;
      const uint32_t data = length >= 2 ? length - 2 : 0;
      if (data > 6) orientation = ExifOrientation(b.source(), pos + 2 + 6, data - 6);
    }
    pos += std::max<uint32_t>(length, 2);
  }
}

// ---------------------------------------------------------------- PNG

const std::array<uint32_t, 256>& CrcTable() {
  static const std::array<uint32_t, 256> table = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t n = 0; n < 256; ++n) {
      uint32_t c = n;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[n] = c;
    }
    return t;
  }();
  return table;
}

// The CRC-32 PNG stores after a chunk, over its type and data at `offset`.
bool ChunkCrcMatches(Bytes& b, uint64_t offset, uint32_t length) {
  const auto& table = CrcTable();
  uint32_t crc = 0xFFFFFFFFu;
  uint8_t buf[4096];
  uint64_t left = uint64_t(length) + 4, at = offset + 4;
  while (left > 0) {
    size_t n = static_cast<size_t>(std::min<uint64_t>(left, sizeof buf));
    if (!b.Get(at, buf, n)) return false;
    for (size_t i = 0; i < n; ++i) crc = table[(crc ^ buf[i]) & 0xFF] ^ (crc >> 8);
    left -= n;
    at += n;
  }
  uint32_t stored;
  return b.U32(at, false, &stored) && stored == (crc ^ 0xFFFFFFFFu);
}

bool ValidPngDepth(uint32_t color, uint32_t depth) {
  switch (color) {
    case 0:
      return depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16;
    case 3:
      return depth == 1 || depth == 2 || depth == 4 || depth == 8;
    case 2:
    case 4:
    case 6:
      return depth == 8 || depth == 16;
    default:
      return false;
  }
}

// IHDR, then every chunk header up to IEND: libpng keeps the first valid
// eXIf chunk wherever it is, and cv::imread fails on a file cut short.
ImageHeader ParsePng(Bytes& b) {
  const ImageFormat kF = ImageFormat::kPng;
  uint8_t ihdr[25];  // length, type, 13 bytes, CRC
  if (!b.Get(8, ihdr, sizeof ihdr)) return Corrupt(kF, "truncated IHDR chunk");
  if (Bytes::Be32(ihdr) != 13 || std::memcmp(ihdr + 4, "IHDR", 4) != 0)
    return Corrupt(kF, "the first chunk is not a 13-byte IHDR");
  if (!ChunkCrcMatches(b, 8, 13)) return Corrupt(kF, "IHDR chunk CRC mismatch");
  const uint32_t width = Bytes::Be32(ihdr + 8), height = Bytes::Be32(ihdr + 12);
  const uint32_t depth = ihdr[16], color = ihdr[17];
  if (width == 0 || height == 0 || width > 0x7FFFFFFFu || height > 0x7FFFFFFFu)
    return Corrupt(
        kF, "IHDR gives an invalid size " + std::to_string(height) + "x" + std::to_string(width));
  if (!ValidPngDepth(color, depth) || ihdr[18] != 0 || ihdr[19] != 0 || ihdr[20] > 1)
    return Corrupt(kF,
                   "IHDR holds an invalid bit depth, colour type, compression, filter or "
                   "interlace method");
  uint64_t pos = 33;
  bool have_idat = false, have_plte = false, have_exif = false;
  int orientation = 0;
  for (;;) {
    uint8_t head[8];
    if (!b.Get(pos, head, 8)) return Corrupt(kF, "truncated: the chunk list ends before IEND");
    const uint32_t length = Bytes::Be32(head);
    const uint8_t* type = head + 4;
    if (length > 0x7FFFFFFFu) return Corrupt(kF, "a chunk length above 2^31-1");
    for (int i = 0; i < 4; ++i) {
      const bool letter = (type[i] >= 'A' && type[i] <= 'Z') || (type[i] >= 'a' && type[i] <= 'z');
      if (!letter) return Corrupt(kF, "an invalid chunk type at offset " + std::to_string(pos));
    }
    auto is = [&](const char* name) { return std::memcmp(type, name, 4) == 0; };
    if (is("IEND")) {
      if (!have_idat) return Corrupt(kF, "no image data (IDAT chunk)");
      if (!b.HasBytes(pos + 12)) return Corrupt(kF, "truncated IEND chunk");
      return Sized(kF, height, width, orientation);
    }
    if (is("IHDR")) return Corrupt(kF, "a second IHDR chunk");
    if (is("PLTE")) have_plte = true;
    if (is("IDAT")) {
      if (color == 3 && !have_plte) return Corrupt(kF, "a palette image without PLTE chunk");
      have_idat = true;
    }
    if (is("eXIf") && !have_exif && length >= 2) {
      uint8_t order[2];
      if (b.Get(pos + 8, order, 2) && order[0] == order[1] &&
          (order[0] == 'I' || order[0] == 'M') && ChunkCrcMatches(b, pos, length)) {
        have_exif = true;
        orientation = ExifOrientation(b.source(), pos + 8, length);
      }
    }
    pos += 12 + uint64_t(length);
  }
}

// ---------------------------------------------------------------- BMP

ImageHeader ParseBmp(Bytes& b) {
  const ImageFormat kF = ImageFormat::kBmp;
  uint8_t h[34] = {};
  uint32_t header_size;
  if (!b.U32(14, true, &header_size)) return Corrupt(kF, "truncated file header");
  int64_t width, height;
  uint32_t bpp, compression = 0;
  if (header_size == 12) {  // OS/2 BITMAPCOREHEADER: 16-bit unsigned sizes
    if (!b.Get(0, h, 26)) return Corrupt(kF, "truncated BITMAPCOREHEADER");
    width = h[18] | h[19] << 8;
    height = h[20] | h[21] << 8;
    bpp = h[24] | h[25] << 8;
  } else if (header_size >= 16) {  // BITMAPINFOHEADER and its successors
    const size_t need = header_size >= 20 ? 34 : 30;
    if (!b.Get(0, h, need)) return Corrupt(kF, "truncated BITMAPINFOHEADER");
    width = static_cast<int32_t>(Bytes::Le32(h + 18));
    height = static_cast<int32_t>(Bytes::Le32(h + 22));
    bpp = h[28] | h[29] << 8;
    if (header_size >= 20) compression = Bytes::Le32(h + 30);
  } else {
    return Corrupt(kF, "unknown header size " + std::to_string(header_size));
  }
  if (width <= 0 || height == 0)
    return Corrupt(kF, "invalid size " + std::to_string(height) + "x" + std::to_string(width));
  height = height < 0 ? -height : height;  // negative: rows stored top-down
  // Uncompressed rows are padded to 4 bytes; cv::imread fails when any is missing.
  const bool uncompressed = compression == 0 || compression == 3 || compression == 6;
  if (uncompressed && (bpp == 1 || bpp == 4 || bpp == 8 || bpp == 16 || bpp == 24 || bpp == 32)) {
    const uint64_t stride = (uint64_t(width) * bpp + 31) / 32 * 4;
    const uint64_t end = uint64_t(Bytes::Le32(h + 10)) + stride * uint64_t(height);
    if (!b.HasBytes(end)) return Corrupt(kF, "truncated pixel data");
  }
  return Sized(kF, height, width, 1);
}

// ---------------------------------------------------------------- GIF

// Skips the data sub-blocks at `*pos` (a length byte, that many bytes, until
// a zero length); false when the file ends first.
bool SkipGifSubBlocks(Bytes& b, uint64_t* pos) {
  for (;;) {
    uint32_t length;
    if (!b.U8(*pos, &length)) return false;
    *pos += 1 + uint64_t(length);
    if (length == 0) return true;
    if (!b.HasBytes(*pos)) return false;
  }
}

// The logical screen gives the size; the blocks after it are walked up to
// the end of the first image's data, so a file cut before it is corrupt.
ImageHeader ParseGif(Bytes& b) {
  const ImageFormat kF = ImageFormat::kGif;
  uint8_t screen[7];
  if (!b.Get(6, screen, sizeof screen)) return Corrupt(kF, "truncated logical screen descriptor");
  const uint32_t width = screen[0] | screen[1] << 8, height = screen[2] | screen[3] << 8;
  if (width == 0 || height == 0)
    return Corrupt(kF,
                   "empty logical screen " + std::to_string(height) + "x" + std::to_string(width));
  uint64_t pos = 13;
  if (screen[4] & 0x80) pos += 3 * (uint64_t(2) << (screen[4] & 7));  // global colour table
  for (;;) {
    uint32_t block;
    if (!b.HasBytes(pos) || !b.U8(pos, &block))
      return Corrupt(kF, "truncated before the image data");
    if (block == 0x3B) return Corrupt(kF, "no image before the trailer");
    if (block == 0x21) {  // an extension: its label, then sub-blocks
      pos += 2;
      if (!SkipGifSubBlocks(b, &pos)) return Corrupt(kF, "truncated extension block");
      continue;
    }
    if (block != 0x2C) return Corrupt(kF, "an unknown block " + Hex(block));
    uint8_t image[9];
    if (!b.Get(pos + 1, image, sizeof image)) return Corrupt(kF, "truncated image descriptor");
    pos += 10;
    if (image[8] & 0x80) pos += 3 * (uint64_t(2) << (image[8] & 7));  // local colour table
    uint32_t code_size;
    if (!b.U8(pos, &code_size)) return Corrupt(kF, "truncated before the image data");
    if (code_size < 2 || code_size > 11) return Corrupt(kF, "invalid LZW code size");
    ++pos;
    if (!SkipGifSubBlocks(b, &pos)) return Corrupt(kF, "truncated image data");
    return Sized(kF, height, width, 1);
  }
}

// ---------------------------------------------------------------- WebP

// The first chunk gives the size (VP8X canvas, VP8 key frame or VP8L
// header); libwebp fails on a file shorter than its RIFF size says.
ImageHeader ParseWebp(Bytes& b) {
  const ImageFormat kF = ImageFormat::kWebp;
  uint8_t h[30];
  if (!b.Get(0, h, 20)) return Corrupt(kF, "truncated RIFF header");
  const uint32_t riff_size = Bytes::Le32(h + 4);
  if (riff_size < 12 || riff_size > 0xFFFFFFF6u)
    return Corrupt(kF, "invalid RIFF size " + std::to_string(riff_size));
  if (!b.HasBytes(8 + uint64_t(riff_size)))
    return Corrupt(kF, "truncated: shorter than its RIFF size");
  const uint32_t chunk_size = Bytes::Le32(h + 16);
  if (std::memcmp(h + 12, "VP8X", 4) == 0) {
    if (chunk_size != 10 || !b.Get(20, h + 20, 10)) return Corrupt(kF, "invalid VP8X chunk");
    const uint64_t width = 1 + (h[24] | h[25] << 8 | uint32_t(h[26]) << 16);
    const uint64_t height = 1 + (h[27] | h[28] << 8 | uint32_t(h[29]) << 16);
    if (width * height >= (uint64_t(1) << 32)) return Corrupt(kF, "canvas too large");
    return Sized(kF, height, width, 1);
  }
  if (std::memcmp(h + 12, "VP8 ", 4) == 0) {
    if (chunk_size < 10 || !b.Get(20, h + 20, 10)) return Corrupt(kF, "truncated VP8 frame header");
    const uint32_t tag = h[20];
    if ((tag & 1) != 0) return Corrupt(kF, "the VP8 frame is not a key frame");
    if (((tag >> 1) & 7) > 3 || ((tag >> 4) & 1) == 0)
      return Corrupt(kF, "invalid VP8 frame header");
    if (h[23] != 0x9D || h[24] != 0x01 || h[25] != 0x2A)
      return Corrupt(kF, "missing VP8 start code");
    const uint32_t width = (h[26] | h[27] << 8) & 0x3FFF;
    const uint32_t height = (h[28] | h[29] << 8) & 0x3FFF;
    if (width == 0 || height == 0) return Corrupt(kF, "empty VP8 frame");
    return Sized(kF, height, width, 1);
  }
  if (std::memcmp(h + 12, "VP8L", 4) == 0) {
    if (chunk_size < 5 || !b.Get(20, h + 20, 5)) return Corrupt(kF, "truncated VP8L header");
    if (h[20] != 0x2F) return Corrupt(kF, "missing VP8L signature");
    const uint32_t bits = Bytes::Le32(h + 21);
    if ((bits >> 29) != 0) return Corrupt(kF, "unknown VP8L version");
    return Sized(kF, ((bits >> 14) & 0x3FFF) + 1, (bits & 0x3FFF) + 1, 1);
  }
  return Corrupt(kF, "the first chunk is not VP8, VP8L or VP8X");
}

// ---------------------------------------------------------------- TIFF

struct TiffEntry {
  uint32_t type = 0, count = 0;
  uint8_t value[4] = {};
  bool present = false;
};

size_t TiffTypeSize(uint32_t type) {
  switch (type) {
    case 1:
    case 2:
    case 6:
    case 7:
      return 1;
    case 3:
    case 8:
      return 2;
    case 4:
    case 9:
    case 11:
    case 13:
      return 4;
    case 5:
    case 10:
    case 12:
      return 8;
    default:
      return 0;
  }
}

class TiffReader {
 public:
  TiffReader(Bytes& b, bool le) : b_(b), le_(le) {}

  // Element `i` of an integer-typed entry; false for other types, negative
  // values, or elements outside the file.
  bool Element(const TiffEntry& e, uint32_t i, uint64_t* out) {
    const size_t size = TiffTypeSize(e.type);
    if (!e.present || i >= e.count || size == 0 || size > 4) return false;
    uint8_t raw[4];
    if (uint64_t(e.count) * size <= 4) {
      std::memcpy(raw, e.value + i * size, size);
    } else if (!b_.Get(uint64_t(Value32(e.value)) + uint64_t(i) * size, raw, size)) {
      return false;
    }
    const uint32_t u = size == 1 ? raw[0] : size == 2 ? Value16(raw) : Value32(raw);
    int64_t v;
    switch (e.type) {
      case 1:
      case 3:
      case 4:
      case 13:
        v = u;
        break;
      case 6:
        v = static_cast<int8_t>(u);
        break;
      case 8:
        v = static_cast<int16_t>(u);
        break;
      case 9:
        v = static_cast<int32_t>(u);
        break;
      default:
        return false;
    }
    if (v < 0) return false;
    *out = static_cast<uint64_t>(v);
    return true;
  }
  uint32_t Value16(const uint8_t* p) const { return le_ ? (p[0] | p[1] << 8) : (p[0] << 8 | p[1]); }
  uint32_t Value32(const uint8_t* p) const { return le_ ? Bytes::Le32(p) : Bytes::Be32(p); }

 private:
  Bytes& b_;
  bool le_;
};

// The first directory's ImageWidth, ImageLength and Orientation (libtiff
// hands the decoded image to cv::imread already oriented), and a check that
// the strips or tiles it points to are in the file.
ImageHeader ParseTiff(Bytes& b) {
  const ImageFormat kF = ImageFormat::kTiff;
  uint32_t order = 0;
  b.U8(0, &order);
  const bool le = order == 'I';
  uint32_t ifd, count;
  if (!b.U32(4, le, &ifd)) return Corrupt(kF, "truncated header");
  if (ifd < 8) return Corrupt(kF, "invalid first directory offset " + std::to_string(ifd));
  if (!b.U16(ifd, le, &count)) return Corrupt(kF, "truncated: the first directory is missing");
  if (count == 0) return Corrupt(kF, "the first directory is empty");
  TiffEntry width, height, orientation, offsets, sizes;
  uint64_t data_end = 0;
  for (uint32_t i = 0; i < count; ++i) {
    uint8_t raw[12];
    if (!b.Get(uint64_t(ifd) + 2 + 12 * uint64_t(i), raw, 12))
      return Corrupt(kF, "truncated first directory");
    TiffReader r(b, le);
    const uint32_t tag = r.Value16(raw);
    // libtiff reads each entry's values; any that lie past the end fail it.
    const uint64_t bytes = uint64_t(r.Value32(raw + 4)) * TiffTypeSize(r.Value16(raw + 2));
    if (bytes > 4) data_end = std::max(data_end, uint64_t(r.Value32(raw + 8)) + bytes);
    TiffEntry* e = nullptr;
    switch (tag) {
      case 256:
        e = &width;
        break;
      case 257:
        e = &height;
        break;
      case 274:
        e = &orientation;
        break;
      case 273:
      case 324:
        e = &offsets;
        break;
      case 279:
      case 325:
        e = &sizes;
        break;
      default:
        break;
    }
    if (e == nullptr || e->present) continue;
    e->present = true;
    e->type = r.Value16(raw + 2);
    e->count = r.Value32(raw + 4);
    std::memcpy(e->value, raw + 8, 4);
  }
  TiffReader r(b, le);
  uint64_t w = 0, h = 0, o = 1;
  if (!r.Element(width, 0, &w) || !r.Element(height, 0, &h))
    return Corrupt(kF, "no usable ImageWidth and ImageLength in the first directory");
  if (w == 0 || h == 0 || w > 0xFFFFFFFFu || h > 0xFFFFFFFFu)
    return Corrupt(kF, "invalid size " + std::to_string(h) + "x" + std::to_string(w));
  if (orientation.present && !r.Element(orientation, 0, &o)) o = 1;
  // Every strip (or tile) must lie in the file; very long lists are not checked.
  if (!b.HasBytes(data_end)) return Corrupt(kF, "truncated: a tag's values lie past the end");
  if (offsets.present && sizes.present && offsets.count == sizes.count &&
      offsets.count <= (1u << 20)) {
    uint64_t end = 0;
    for (uint32_t i = 0; i < offsets.count; ++i) {
      uint64_t at, size;
      if (!r.Element(offsets, i, &at) || !r.Element(sizes, i, &size))
        return Corrupt(kF, "truncated or invalid strip offsets");
      end = std::max(end, at + size);
    }
    if (!b.HasBytes(end)) return Corrupt(kF, "truncated image data");
  }
  return Sized(kF, h, w, static_cast<int64_t>(o));
}

// Identifies the format by its signature and reads the size it stores.
ImageHeader ReadAnyHeader(ByteSource& source);

}  // namespace

int ExifOrientation(ByteSource& source, uint64_t offset, uint64_t size) {
  return ExifBlock(source, offset, size).Orientation();
}

ImageHeader ReadImageHeader(ByteSource& source) {
  return ReadImageHeader(source, ImageSizeLimits::OpenCv());
}

ImageHeader ReadImageHeader(ByteSource& source, const ImageSizeLimits& limits) {
  ImageHeader h = ReadAnyHeader(source);
  if (h.outcome != HeaderOutcome::kSize) return h;
  // cv::imread checks the size the file stores, before orientation.
  const bool swapped = h.orientation >= 5;
  const std::string why = limits.Check(static_cast<uint64_t>(swapped ? h.width : h.height),
                                       static_cast<uint64_t>(swapped ? h.height : h.width));
  if (why.empty()) return h;
  return Corrupt(h.format, "a size cv::imread refuses, " + why);
}

namespace {

ImageHeader ReadAnyHeader(ByteSource& source) {
  Bytes b(source);
  uint8_t sig[12] = {};
  const size_t n = source.Read(0, sig, sizeof sig);
  auto starts = [&](const char* magic, size_t len, size_t at = 0) {
    return n >= at + len && std::memcmp(sig + at, magic, len) == 0;
  };
  if (starts("\xFF\xD8\xFF", 3)) return ParseJpeg(b);
  if (starts("\x89PNG\r\n\x1A\n", 8)) return ParsePng(b);
  if (starts("GIF87a", 6) || starts("GIF89a", 6)) return ParseGif(b);
  if (starts("RIFF", 4) && starts("WEBP", 4, 8)) return ParseWebp(b);
  if (starts("II*\0", 4) || starts("MM\0*", 4)) return ParseTiff(b);
  if (starts("BM", 2)) return ParseBmp(b);
  return ImageHeader{};
}

}  // namespace

ImageHeader ReadImageHeader(const void* data, size_t size) {
  MemoryByteSource source(data, size);
  return ReadImageHeader(source);
}

}  // namespace autoscale
