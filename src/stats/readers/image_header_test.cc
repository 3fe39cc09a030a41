#include "stats/readers/image_header.h"

#include "support/run_binary.h"

#include <catch2/catch.hpp>
#include <iostream>
#include <opencv2/core.hpp>
#include <opencv2/core/utils/logger.hpp>
#include <opencv2/imgcodecs.hpp>
#include <random>
#include <string>
#include <vector>

namespace autoscale {
namespace {

using test::TempDir;
using Bytes = std::string;

void Put16(Bytes& b, uint32_t v, bool le) {
  const char lo = static_cast<char>(v & 0xFF), hi = static_cast<char>((v >> 8) & 0xFF);
  b += le ? lo : hi;
  b += le ? hi : lo;
}
void Put32(Bytes& b, uint32_t v, bool le) {
  Put16(b, le ? v & 0xFFFF : v >> 16, le);
  Put16(b, le ? v >> 16 : v & 0xFFFF, le);
}

Bytes Encode(const cv::Mat& image, const std::string& ext, const std::vector<int>& params = {}) {
  std::vector<uchar> buf;
  REQUIRE(cv::imencode(ext, image, buf, params));
  return Bytes(buf.begin(), buf.end());
}

cv::Mat Noise(int rows, int cols, int type) {
  cv::Mat m(rows, cols, type);
  cv::randu(m, 0, CV_MAT_DEPTH(type) == CV_16U ? 65535 : 255);
  return m;
}

// What cv::imread makes of `bytes`, with orientation applied: "rows x cols",
// or "fails".
std::string ImreadSize(const TempDir& dir, const std::string& ext, const Bytes& bytes,
                       int flags = cv::IMREAD_COLOR) {
  const std::string path = test::WriteTextFile(dir / ("probe" + ext), bytes);
  cv::Mat m = cv::imread(path, flags);
  if (m.empty()) return "fails";
  return std::to_string(m.rows) + "x" + std::to_string(m.cols);
}

std::string HeaderSize(const Bytes& bytes) {
  ImageHeader h = ReadImageHeader(bytes.data(), bytes.size());
  if (h.outcome != HeaderOutcome::kSize) return "fails";
  return std::to_string(h.height) + "x" + std::to_string(h.width);
}

// A TIFF-style EXIF block whose first directory holds only Orientation.
Bytes ExifBlock(uint32_t orientation, bool le) {
  Bytes b = le ? "II" : "MM";
  Put16(b, 42, le);
  Put32(b, 8, le);
  Put16(b, 1, le);
  Put16(b, 0x0112, le);
  Put16(b, 3, le);
  Put32(b, 1, le);
  Put16(b, orientation, le);
  Put16(b, 0, le);
  Put32(b, 0, le);
  return b;
}

Bytes JpegSegment(uint8_t marker, const Bytes& payload) {
  Bytes s;
  s += '\xFF';
  s += static_cast<char>(marker);
  Put16(s, static_cast<uint32_t>(payload.size() + 2), false);
  return s + payload;
}

Bytes ExifApp1(const Bytes& block) { return JpegSegment(0xE1, Bytes("Exif\0\0", 6) + block); }

// `segments` inserted right after the SOI marker.
Bytes JpegWith(const Bytes& jpeg, const Bytes& segments) {
  return jpeg.substr(0, 2) + segments + jpeg.substr(2);
}

uint32_t Crc32(const Bytes& data) {
  uint32_t crc = 0xFFFFFFFFu;
  for (unsigned char c : data) {
    crc ^= c;
    for (int k = 0; k < 8; ++k) crc = (crc & 1) ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
  }
  return crc ^ 0xFFFFFFFFu;
}

Bytes PngChunk(const Bytes& type, const Bytes& data, bool bad_crc = false) {
  Bytes c;
  Put32(c, static_cast<uint32_t>(data.size()), false);
  c += type + data;
  Put32(c, Crc32(type + data) ^ (bad_crc ? 1u : 0u), false);
  return c;
}

// An uncompressed 8-bit grey TIFF built by hand, with an Orientation tag and
// ImageWidth stored as SHORT or LONG.
Bytes HandTiff(uint32_t height, uint32_t width, uint32_t orientation, bool le, bool long_width) {
  Bytes t = le ? "II" : "MM";
  Put16(t, 42, le);
  Put32(t, 8, le);
  const uint32_t entries = 9;
  const uint32_t data_at = 8 + 2 + entries * 12 + 4;
  Put16(t, entries, le);
  auto entry = [&](uint32_t tag, uint32_t type, uint32_t value) {
    Put16(t, tag, le);
    Put16(t, type, le);
    Put32(t, 1, le);
    if (type == 3) {
      Put16(t, value, le);
      Put16(t, 0, le);
    } else {
      Put32(t, value, le);
    }
  };
  entry(256, long_width ? 4 : 3, width);
  entry(257, 4, height);
  entry(258, 3, 8);
  entry(259, 3, 1);
  entry(262, 3, 1);
  entry(273, 4, data_at);
  entry(274, 3, orientation);
  entry(278, 4, height);
  entry(279, 4, width * height);
  Put32(t, 0, le);
  t += Bytes(width * height, '\x80');
  return t;
}

// A 5x3 (w x h) GIF89a made by hand: a two-colour global palette and one
// frame whose LZW data clears the table every two pixels.
const unsigned char kGif5x3[] = {0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x05, 0x00, 0x03, 0x00, 0x80,
                                 0x00, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0x2C, 0x00, 0x00,
                                 0x00, 0x00, 0x05, 0x00, 0x03, 0x00, 0x00, 0x02, 0x09, 0x04, 0x08,
                                 0x10, 0x20, 0x40, 0x80, 0x00, 0x01, 0xA2, 0x00, 0x3B};

// cv::imread prints to std::cerr about every broken file these tests make;
// a stream in a failed state writes nothing.
struct QuietOpenCv {
  QuietOpenCv() {
    cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT);
    std::cerr.setstate(std::ios::failbit);
  }
  ~QuietOpenCv() { std::cerr.clear(); }
};

TEST_CASE("header size equals cv::imread's for every format OpenCV writes", "[image_header]") {
  QuietOpenCv quiet;
  TempDir dir;
  struct Case {
    std::string ext;
    int type;
    std::vector<int> params;
    ImageFormat format;
  };
  const std::vector<Case> cases = {
      {".jpg", CV_8UC3, {}, ImageFormat::kJpeg},
      {".jpg", CV_8UC1, {}, ImageFormat::kJpeg},
      {".jpg", CV_8UC3, {cv::IMWRITE_JPEG_PROGRESSIVE, 1}, ImageFormat::kJpeg},
      {".jpg",
       CV_8UC3,
       {cv::IMWRITE_JPEG_OPTIMIZE, 1, cv::IMWRITE_JPEG_RST_INTERVAL, 2},
       ImageFormat::kJpeg},
      {".png", CV_8UC1, {}, ImageFormat::kPng},
      {".png", CV_8UC3, {cv::IMWRITE_PNG_COMPRESSION, 0}, ImageFormat::kPng},
      {".png", CV_8UC4, {}, ImageFormat::kPng},
      {".png", CV_16UC1, {}, ImageFormat::kPng},
      {".png", CV_16UC3, {}, ImageFormat::kPng},
      {".bmp", CV_8UC1, {}, ImageFormat::kBmp},
      {".bmp", CV_8UC3, {}, ImageFormat::kBmp},
      {".webp", CV_8UC3, {cv::IMWRITE_WEBP_QUALITY, 80}, ImageFormat::kWebp},   // VP8
      {".webp", CV_8UC3, {cv::IMWRITE_WEBP_QUALITY, 101}, ImageFormat::kWebp},  // VP8L
      {".webp", CV_8UC4, {cv::IMWRITE_WEBP_QUALITY, 80}, ImageFormat::kWebp},   // VP8X
      {".tif", CV_8UC1, {}, ImageFormat::kTiff},
      {".tif", CV_8UC3, {}, ImageFormat::kTiff},
      {".tif", CV_16UC1, {}, ImageFormat::kTiff},
      {".tif", CV_32FC1, {}, ImageFormat::kTiff},
  };
  const std::vector<std::pair<int, int>> sizes = {
      {1, 1}, {37, 91}, {91, 37}, {255, 3}, {513, 1025}};
  for (const auto& c : cases) {
    for (auto [rows, cols] : sizes) {
      const Bytes bytes = Encode(Noise(rows, cols, c.type), c.ext, c.params);
      CAPTURE(c.ext, c.type, c.params, rows, cols);
      ImageHeader h = ReadImageHeader(bytes.data(), bytes.size());
      CHECK(h.outcome == HeaderOutcome::kSize);
      CHECK(h.format == c.format);
      CHECK(h.height == rows);
      CHECK(h.width == cols);
      CHECK(HeaderSize(bytes) ==
            ImreadSize(dir, c.ext, bytes, cv::IMREAD_ANYDEPTH | cv::IMREAD_ANYCOLOR));
    }
  }
}

TEST_CASE("formats the parser does not know are reported unknown, not misread", "[image_header]") {
  QuietOpenCv quiet;
  for (const char* ext : {".ppm", ".pgm", ".pbm", ".pam", ".pfm", ".sr", ".hdr", ".jp2"}) {
    CAPTURE(ext);
    cv::Mat m = Noise(9, 14,
                      std::string(ext) == ".pgm" || std::string(ext) == ".pbm"   ? CV_8UC1
                      : std::string(ext) == ".pfm" || std::string(ext) == ".hdr" ? CV_32FC3
                                                                                 : CV_8UC3);
    std::vector<uchar> buf;
    bool written = false;
    try {
      written = cv::imencode(ext, m, buf);
    } catch (const cv::Exception&) {
    }
    if (!written) continue;  // this OpenCV build cannot write it
    ImageHeader h = ReadImageHeader(buf.data(), buf.size());
    CHECK(h.outcome == HeaderOutcome::kUnknown);
  }
  for (const Bytes& text : {Bytes(), Bytes("hello, world\n"), Bytes("B"), Bytes("\xFF\xD8", 2),
                            Bytes("RIFF\x10\0\0\0WAVEfmt ", 16), Bytes("II+\0\x08\0\0\0", 8)}) {
    ImageHeader h = ReadImageHeader(text.data(), text.size());
    CHECK(h.outcome == HeaderOutcome::kUnknown);
    CHECK(h.format == ImageFormat::kUnknown);
  }
}

TEST_CASE("GIF: the logical screen size of a hand-made file", "[image_header]") {
  ImageHeader h = ReadImageHeader(kGif5x3, sizeof kGif5x3);
  REQUIRE(h.outcome == HeaderOutcome::kSize);
  CHECK(h.format == ImageFormat::kGif);
  CHECK(h.height == 3);
  CHECK(h.width == 5);
  Bytes gif87(reinterpret_cast<const char*>(kGif5x3), sizeof kGif5x3);
  gif87[4] = '7';
  CHECK(HeaderSize(gif87) == "3x5");
  Bytes empty = gif87;
  empty[6] = 0;  // width 0
  CHECK(ReadImageHeader(empty.data(), empty.size()).outcome == HeaderOutcome::kCorrupt);
  CHECK(ReadImageHeader(kGif5x3, 9).outcome == HeaderOutcome::kCorrupt);
}

TEST_CASE("JPEG: all eight EXIF orientations, as cv::imread applies them", "[image_header]") {
  QuietOpenCv quiet;
  TempDir dir;
  const Bytes jpeg = Encode(Noise(37, 91, CV_8UC3), ".jpg");
  for (bool le : {true, false}) {
    for (uint32_t o = 1; o <= 8; ++o) {
      CAPTURE(le, o);
      const Bytes file = JpegWith(jpeg, ExifApp1(ExifBlock(o, le)));
      ImageHeader h = ReadImageHeader(file.data(), file.size());
      REQUIRE(h.outcome == HeaderOutcome::kSize);
      CHECK(h.orientation == static_cast<int>(o));
      CHECK(h.height == (o >= 5 ? 91 : 37));
      CHECK(h.width == (o >= 5 ? 37 : 91));
      CHECK(HeaderSize(file) == ImreadSize(dir, ".jpg", file));
    }
  }
}

TEST_CASE("JPEG: which APP1 segment cv::imread reads the orientation from", "[image_header]") {
  QuietOpenCv quiet;
  TempDir dir;
  const Bytes jpeg = Encode(Noise(37, 91, CV_8UC3), ".jpg");
  const Bytes xmp = JpegSegment(0xE1, Bytes("http://ns.adobe.com/xap/1.0/\0<x/>", 33));
  const size_t sos = jpeg.find("\xFF\xDA");
  struct Case {
    const char* what;
    Bytes file;
    const char* size;
  };
  const std::vector<Case> cases = {
      {"an XMP APP1 first hides the EXIF one", JpegWith(jpeg, xmp + ExifApp1(ExifBlock(6, true))),
       "37x91"},
      {"the APP1 prefix is not checked",
       JpegWith(jpeg, JpegSegment(0xE1, Bytes("Exix\0\0", 6) + ExifBlock(6, true))), "91x37"},
      {"the first APP1 wins",
       JpegWith(jpeg, ExifApp1(ExifBlock(6, true)) + ExifApp1(ExifBlock(1, true))), "91x37"},
      {"an APP1 of 6 bytes still counts as the first",
       JpegWith(jpeg, JpegSegment(0xE1, Bytes("Exif\0\0", 6)) + ExifApp1(ExifBlock(6, true))),
       "37x91"},
      {"APP1 after the SOF segment",
       jpeg.substr(0, sos) + ExifApp1(ExifBlock(8, false)) + jpeg.substr(sos), "91x37"},
      {"EXIF in APP2 is ignored",
       JpegWith(jpeg, JpegSegment(0xE2, Bytes("Exif\0\0", 6) + ExifBlock(6, true))), "37x91"},
      {"orientation 9 is ignored", JpegWith(jpeg, ExifApp1(ExifBlock(9, true))), "37x91"},
      {"stray bytes before a marker", jpeg.substr(0, sos) + "zz" + jpeg.substr(sos), "37x91"},
      {"fill bytes and standalone markers",
       JpegWith(jpeg, Bytes("\xFF\xFF\xFF\xD0\xFF\x01", 6) + ExifApp1(ExifBlock(5, true))),
       "91x37"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.what);
    CHECK(HeaderSize(c.file) == c.size);
    CHECK(ImreadSize(dir, ".jpg", c.file) == c.size);
  }
}

// Random EXIF blocks built from the tags OpenCV's reader knows, with offsets
// near the block's end: the orientation must match cv::imread's every time.
TEST_CASE("JPEG: random EXIF blocks give cv::imread's orientation", "[image_header]") {
  QuietOpenCv quiet;
  TempDir dir;
  const Bytes jpeg = Encode(Noise(8, 24, CV_8UC1), ".jpg");
  std::mt19937 rng(20240611);
  auto pick = [&](uint32_t n) { return static_cast<uint32_t>(rng() % n); };
  const uint32_t tags[] = {0x010E, 0x010F, 0x0110, 0x0112, 0x0112, 0x0112, 0x011A,
                           0x011B, 0x0128, 0x0131, 0x0132, 0x013E, 0x013F, 0x0211,
                           0x0213, 0x0214, 0x8298, 0x8769, 0x0100, 0x9999};
  int swapped = 0;
  for (int i = 0; i < 300; ++i) {
    const bool le = pick(2) == 0;
    Bytes b = pick(10) == 0 ? Bytes("IM") : le ? Bytes("II") : Bytes("MM");
    Put16(b, pick(12) == 0 ? 43 : 42, le);
    const uint32_t entries = pick(7);
    Put32(b, pick(15) == 0 ? pick(80) : 8, le);
    Put16(b, entries, le);
    const uint32_t total = 8 + 2 + 12 * entries + pick(60);
    for (uint32_t e = 0; e < entries; ++e) {
      const uint32_t tag = tags[pick(sizeof tags / sizeof tags[0])];
      Put16(b, tag, le);
      Put16(b, 1 + pick(5), le);
      Put32(b, pick(3) == 0 ? pick(200) : 1 + pick(6), le);
      if (tag == 0x0112) {
        Put16(b, pick(10), le);
        Put16(b, 0, le);
      } else {
        Put32(b, total > 40 && pick(2) ? total - pick(40) : pick(total + 20), le);
      }
    }
    while (b.size() < total) b += static_cast<char>(pick(256));
    if (pick(6) == 0) b.resize(pick(static_cast<uint32_t>(b.size())));
    const Bytes file = JpegWith(jpeg, ExifApp1(b));
    const std::string expected = ImreadSize(dir, ".jpg", file);
    CAPTURE(i, expected);
    CHECK(HeaderSize(file) == expected);
    if (expected == "24x8") ++swapped;
  }
  CHECK(swapped > 20);  // the random blocks do exercise the swap
}

TEST_CASE("PNG: eXIf chunks as libpng and cv::imread take them", "[image_header]") {
  QuietOpenCv quiet;
  TempDir dir;
  const Bytes png = Encode(Noise(37, 91, CV_8UC3), ".png");
  const size_t idat = png.find("IDAT") - 4, iend = png.find("IEND") - 4;
  auto before_idat = [&](const Bytes& chunks) {
    return png.substr(0, idat) + chunks + png.substr(idat);
  };
  auto before_iend = [&](const Bytes& chunks) {
    return png.substr(0, iend) + chunks + png.substr(iend);
  };
  const Bytes exif6 = PngChunk("eXIf", ExifBlock(6, false));
  struct Case {
    const char* what;
    Bytes file;
    const char* size;
  };
  const std::vector<Case> cases = {
      {"before IDAT", before_idat(exif6), "91x37"},
      {"after IDAT", before_iend(PngChunk("eXIf", ExifBlock(7, true))), "91x37"},
      {"orientation 3", before_idat(PngChunk("eXIf", ExifBlock(3, true))), "37x91"},
      {"a bad CRC drops the chunk", before_idat(PngChunk("eXIf", ExifBlock(6, false), true)),
       "37x91"},
      {"a bad CRC, then a good chunk",
       before_idat(PngChunk("eXIf", ExifBlock(6, false), true) + exif6), "91x37"},
      {"a bad byte order, then a good chunk",
       before_idat(PngChunk("eXIf", "IM" + ExifBlock(1, false).substr(2)) + exif6), "91x37"},
      {"a one-byte chunk, then a good one", before_idat(PngChunk("eXIf", "M") + exif6), "91x37"},
      {"the first kept chunk wins", before_idat(PngChunk("eXIf", ExifBlock(1, false)) + exif6),
       "37x91"},
      {"an Exif prefix is not skipped",
       before_idat(PngChunk("eXIf", "Exif" + Bytes(2, '\0') + ExifBlock(6, true))), "37x91"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.what);
    CHECK(HeaderSize(c.file) == c.size);
    CHECK(ImreadSize(dir, ".png", c.file) == c.size);
  }
}

TEST_CASE("TIFF: both byte orders, SHORT or LONG sizes, Orientation as cv::imread applies it",
          "[image_header]") {
  QuietOpenCv quiet;
  TempDir dir;
  for (bool le : {true, false}) {
    for (bool long_width : {true, false}) {
      for (uint32_t o = 1; o <= 8; ++o) {
        CAPTURE(le, long_width, o);
        const Bytes file = HandTiff(37, 91, o, le, long_width);
        ImageHeader h = ReadImageHeader(file.data(), file.size());
        REQUIRE(h.outcome == HeaderOutcome::kSize);
        CHECK(h.format == ImageFormat::kTiff);
        CHECK(HeaderSize(file) == (o >= 5 ? "91x37" : "37x91"));
        CHECK(HeaderSize(file) == ImreadSize(dir, ".tif", file));
      }
    }
  }
}

TEST_CASE("WebP: an EXIF chunk does not rotate, as in cv::imread", "[image_header]") {
  QuietOpenCv quiet;
  TempDir dir;
  const Bytes lossless = Encode(Noise(37, 91, CV_8UC3), ".webp", {cv::IMWRITE_WEBP_QUALITY, 101});
  Bytes vp8x = "VP8X";
  Put32(vp8x, 10, true);
  vp8x += '\x08';  // EXIF flag
  vp8x += Bytes(3, '\0');
  for (uint32_t v : {90u, 36u}) {
    vp8x += static_cast<char>(v & 0xFF);
    vp8x += static_cast<char>(v >> 8);
    vp8x += '\0';
  }
  Bytes exif = "EXIF";
  const Bytes block = ExifBlock(6, true);
  Put32(exif, static_cast<uint32_t>(block.size()), true);
  exif += block;
  const Bytes body = "WEBP" + vp8x + lossless.substr(12) + exif;
  Bytes file = "RIFF";
  Put32(file, static_cast<uint32_t>(body.size()), true);
  file += body;
  CHECK(HeaderSize(file) == "37x91");
  CHECK(ImreadSize(dir, ".webp", file) == "37x91");
}

TEST_CASE("BMP: top-down rows and the OS/2 core header", "[image_header]") {
  QuietOpenCv quiet;
  TempDir dir;
  Bytes bmp = Encode(Noise(37, 91, CV_8UC3), ".bmp");
  Bytes top_down = bmp;
  const int32_t negative = -37;
  std::memcpy(&top_down[22], &negative, 4);
  CHECK(HeaderSize(top_down) == "37x91");
  CHECK(ImreadSize(dir, ".bmp", top_down) == "37x91");

  // BITMAPCOREHEADER: 12 bytes, 16-bit width and height, 24-bit pixels.
  const uint32_t w = 5, h = 3, stride = (w * 3 + 3) / 4 * 4;
  Bytes core = "BM";
  Put32(core, 14 + 12 + stride * h, true);
  Put32(core, 0, true);
  Put32(core, 14 + 12, true);
  Put32(core, 12, true);
  Put16(core, w, true);
  Put16(core, h, true);
  Put16(core, 1, true);
  Put16(core, 24, true);
  core += Bytes(stride * h, '\x40');
  CHECK(HeaderSize(core) == "3x5");
  CHECK(ImreadSize(dir, ".bmp", core) == "3x5");
}

// Cuts each format's file at many lengths: the header parser must call a
// file broken exactly when cv::imread cannot read it, and agree on the size
// when it can (a JPEG cut inside its image data still decodes). A
// progressive JPEG is compared up to its first scan only: libjpeg also fails
// on cuts inside the tables between later scans, which a header read does
// not reach.
TEST_CASE("truncated files: corrupt exactly when cv::imread fails", "[image_header]") {
  QuietOpenCv quiet;
  TempDir dir;
  struct Case {
    std::string ext;
    Bytes file;
    size_t exact_until;
  };
  const Bytes progressive =
      Encode(Noise(37, 91, CV_8UC3), ".jpg", {cv::IMWRITE_JPEG_PROGRESSIVE, 1});
  const size_t first_scan = progressive.find("\xFF\xDA") + 14;
  const size_t all = std::string::npos;
  std::vector<Case> cases = {
      {".jpg", JpegWith(Encode(Noise(37, 91, CV_8UC3), ".jpg"), ExifApp1(ExifBlock(6, true))), all},
      {".jpg", Encode(Noise(37, 91, CV_8UC1), ".jpg"), all},
      {".jpg", progressive, first_scan},
      {".png", Encode(Noise(37, 91, CV_8UC3), ".png"), all},
      {".bmp", Encode(Noise(37, 91, CV_8UC3), ".bmp"), all},
      {".bmp", Encode(Noise(37, 91, CV_8UC1), ".bmp"), all},
      {".webp", Encode(Noise(37, 91, CV_8UC3), ".webp", {cv::IMWRITE_WEBP_QUALITY, 70}), all},
      {".webp", Encode(Noise(37, 91, CV_8UC3), ".webp", {cv::IMWRITE_WEBP_QUALITY, 101}), all},
      {".tif", Encode(Noise(37, 91, CV_8UC3), ".tif"), all},
      {".tif", HandTiff(37, 91, 6, false, true), all},
  };
  for (const auto& c : cases) {
    std::vector<size_t> cuts;
    for (size_t n = 0; n < std::min<size_t>(c.file.size(), 700); n += 1) cuts.push_back(n);
    for (size_t n = 700; n < c.file.size(); n += 97) cuts.push_back(n);
    for (size_t k = 1; k <= 40 && k <= c.file.size(); ++k) cuts.push_back(c.file.size() - k);
    for (size_t n : cuts) {
      const Bytes cut = c.file.substr(0, n);
      CAPTURE(c.ext, c.file.size(), n);
      if (n <= c.exact_until) {
        CHECK(HeaderSize(cut) == ImreadSize(dir, c.ext, cut));
      } else {
        CHECK(HeaderSize(cut) == "37x91");
      }
    }
  }
}

TEST_CASE("corrupt headers name the problem", "[image_header]") {
  const Bytes jpeg = Encode(Noise(37, 91, CV_8UC3), ".jpg");
  const size_t sof = jpeg.find("\xFF\xC0");
  Bytes zero_height = jpeg;
  zero_height[sof + 5] = zero_height[sof + 6] = 0;
  ImageHeader h = ReadImageHeader(zero_height.data(), zero_height.size());
  CHECK(h.outcome == HeaderOutcome::kCorrupt);
  CHECK(h.format == ImageFormat::kJpeg);
  CHECK(h.reason.find("empty size") != std::string::npos);

  h = ReadImageHeader(jpeg.data(), sof);
  CHECK(h.outcome == HeaderOutcome::kCorrupt);
  CHECK(h.reason.find("truncated") != std::string::npos);

  const Bytes png = Encode(Noise(5, 5, CV_8UC1), ".png");
  h = ReadImageHeader(png.data(), png.size() - 12);
  CHECK(h.outcome == HeaderOutcome::kCorrupt);
  CHECK(h.format == ImageFormat::kPng);
  CHECK(h.reason.find("IEND") != std::string::npos);
}

// Random bytes behind every signature: no read outside the buffer (checked
// under the sanitizers) and never a size of zero.
TEST_CASE("random bytes behind each signature never crash", "[image_header]") {
  std::mt19937 rng(7);
  const std::vector<Bytes> signatures = {Bytes("\xFF\xD8\xFF", 3),
                                         Bytes("\x89PNG\r\n\x1A\n", 8),
                                         "GIF89a",
                                         Bytes("RIFF\x40\0\0\0WEBP", 12),
                                         Bytes("II*\0", 4),
                                         Bytes("MM\0*", 4),
                                         "BM"};
  for (int i = 0; i < 4000; ++i) {
    Bytes b = signatures[i % signatures.size()];
    const size_t n = rng() % 96;
    for (size_t k = 0; k < n; ++k) b += static_cast<char>(rng() % 4 == 0 ? 0 : rng() & 0xFF);
    ImageHeader h = ReadImageHeader(b.data(), b.size());
    CHECK(h.outcome != HeaderOutcome::kUnknown);
    if (h.outcome == HeaderOutcome::kSize) CHECK((h.height > 0 && h.width > 0));
  }
}

TEST_CASE("GIF: a file cut before the end of its first image is corrupt", "[image_header]") {
  const Bytes gif(reinterpret_cast<const char*>(kGif5x3), sizeof kGif5x3);
  // Every cut before the image data's terminator (byte 41) fails; the
  // trailer after it is not needed.
  for (size_t n = 0; n < gif.size(); ++n) {
    CAPTURE(n);
    CHECK(HeaderSize(gif.substr(0, n)) == (n >= gif.size() - 1 ? "3x5" : "fails"));
  }
  // A 10-byte GIF: a screen size and nothing else.
  Bytes ten = "GIF89a";
  Put16(ten, 300, true);
  Put16(ten, 100, true);
  ImageHeader h = ReadImageHeader(ten.data(), ten.size());
  CHECK(h.outcome == HeaderOutcome::kCorrupt);
  CHECK(h.format == ImageFormat::kGif);
  // Extensions before the image are walked over; a trailer first is no image.
  Bytes with_extension =
      gif.substr(0, 19) + Bytes("\x21\xF9\x04\x00\x00\x00\x00\x00", 8) + gif.substr(19);
  CHECK(HeaderSize(with_extension) == "3x5");
  CHECK(HeaderSize(gif.substr(0, 19) + "\x3B") == "fails");
}

TEST_CASE("sizes cv::imread refuses are corrupt: OpenCV's width, height and pixel limits",
          "[image_header]") {
  // A PNG whose IHDR says 2^31-1 squared, with a valid CRC and a full chunk list.
  Bytes ihdr;
  Put32(ihdr, 0x7FFFFFFF, false);
  Put32(ihdr, 0x7FFFFFFF, false);
  ihdr += Bytes("\x08\x02\x00\x00\x00", 5);
  const Bytes png = Bytes("\x89PNG\r\n\x1A\n", 8) + PngChunk("IHDR", ihdr) +
                    PngChunk("IDAT", Bytes("\x78\x9C\x03\x00\x00\x00\x00\x01", 8)) +
                    PngChunk("IEND", "");
  ImageHeader h = ReadImageHeader(png.data(), png.size());
  CHECK(h.outcome == HeaderOutcome::kCorrupt);
  CHECK(h.format == ImageFormat::kPng);
  CHECK(h.reason.find("OpenCV's limit") != std::string::npos);

  // A JPEG whose SOF says 65535x65535: each side is allowed, the pixels are not.
  Bytes jpeg = Encode(Noise(37, 91, CV_8UC3), ".jpg");
  const size_t sof = jpeg.find("\xFF\xC0");
  for (size_t k = 5; k <= 8; ++k) jpeg[sof + k] = '\xFF';
  h = ReadImageHeader(jpeg.data(), jpeg.size());
  CHECK(h.outcome == HeaderOutcome::kCorrupt);
  CHECK(h.reason.find("more pixels than OpenCV's limit of 1073741824") != std::string::npos);

  // The limits apply to the size the file stores, before orientation.
  ImageSizeLimits limits;
  limits.max_width = 91;
  limits.max_height = 37;
  limits.max_pixels = 37 * 91;
  const Bytes rotated =
      JpegWith(Encode(Noise(37, 91, CV_8UC3), ".jpg"), ExifApp1(ExifBlock(6, true)));
  MemoryByteSource source(rotated.data(), rotated.size());
  h = ReadImageHeader(source, limits);
  REQUIRE(h.outcome == HeaderOutcome::kSize);
  CHECK(h.height == 91);
  limits.max_pixels = 37 * 91 - 1;
  CHECK(ReadImageHeader(source, limits).outcome == HeaderOutcome::kCorrupt);
  limits.max_pixels = 37 * 91;
  limits.max_width = 90;
  CHECK(ReadImageHeader(source, limits).outcome == HeaderOutcome::kCorrupt);
  CHECK(limits.Check(37, 90).empty());
  CHECK(limits.Check(38, 90).find("higher than") != std::string::npos);
  const ImageSizeLimits& opencv = ImageSizeLimits::OpenCv();
  CHECK(opencv.max_width == (uint64_t{1} << 20));
  CHECK(opencv.max_height == (uint64_t{1} << 20));
  CHECK(opencv.max_pixels == (uint64_t{1} << 30));
}

}  // namespace
}  // namespace autoscale
