// Files the annotation reader tests make: a temporary folder, and a random
// dataset written both as a det label file and as the equivalent ICDAR
// folder (with the quirks real ones have: BOM, CRLF, commas, quotes and
// non-ASCII in the text, float and spaced coordinates, empty images,
// degenerate boxes). Header-only; used by tests, the fuzz seeds and benches.
#pragma once

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "stats/core/model_space.h"

namespace autoscale::annotation_test {

// A recognition model's input, -1,3,48,-1: height 48, width following each
// crop's aspect, batch the image's box count.
inline ModelSpace RecognitionSpace() {
  InputShape shape;
  shape.dims = {-1, 3, 48, -1};
  return ModelSpace(shape, 1280);
}

class TempDir {
 public:
  explicit TempDir(const std::string& tag = "labels") {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("autoscale_" + tag + "_" + std::to_string(::getpid()) + "_" +
             std::to_string(counter++));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string path() const { return path_.string(); }
  // `relative` inside the folder, its parent folders created.
  std::string File(const std::string& relative) const {
    std::filesystem::path p = path_ / relative;
    std::filesystem::create_directories(p.parent_path());
    return p.string();
  }

 private:
  std::filesystem::path path_;
};

inline void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

// Text as a JSON string literal, quotes included.
inline std::string JsonQuote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

struct AnnotationPair {
  std::string label_file;  // det label file
  std::string gt_dir;      // ICDAR folder, gt_img_<i>.txt per image
  size_t images = 0;
  size_t boxes = 0;  // boxes written, degenerate ones included
};

// Writes `images` random images' boxes into dir/label.txt and dir/gt/.
inline AnnotationPair WriteAnnotationPair(const std::string& dir, size_t images, uint32_t seed) {
  std::mt19937 rng(seed);
  auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  static const char* const kTexts[] = {"Genaxis Theatre", "###", "CAF\xC3\x89", "62,03",
                                       "say \"hi\"", "back\\slash", "a,b,c,", "\xE4\xB8\xAD\xE6\x96\x87",
                                       "", "x"};
  AnnotationPair pair;
  pair.label_file = dir + "/label.txt";
  pair.gt_dir = dir + "/gt";
  pair.images = images;
  std::filesystem::create_directories(pair.gt_dir);
  std::ofstream label(pair.label_file, std::ios::binary);
  for (size_t i = 0; i < images; ++i) {
    const bool bom = uniform(0, 2) == 0, crlf = uniform(0, 2) == 0, spaced = uniform(0, 3) == 0;
    std::string gt = bom ? "\xEF\xBB\xBF" : "";
    std::string json = "[";
    const int n = uniform(0, 12);
    for (int b = 0; b < n; ++b) {
      // A quad: a rotated rectangle with a little perspective, sometimes
      // with fractional coordinates, sometimes flat (degenerate).
      const double x = uniform(0, 1200), y = uniform(0, 700);
      const double w = uniform(5, 400), h = uniform(0, 6) == 0 ? 0.5 : uniform(8, 60);
      const double skew = uniform(-20, 20), lean = uniform(-6, 6);
      const bool frac = uniform(0, 3) == 0;
      double pts[8] = {x, y, x + w, y + skew, x + w + lean, y + skew + h, x + lean, y + h};
      std::string nums[8];
      for (int k = 0; k < 8; ++k) {
        char buf[32];
        if (frac)
          std::snprintf(buf, sizeof buf, "%.2f", pts[k] + 0.25);
        else
          std::snprintf(buf, sizeof buf, "%.0f", pts[k]);
        nums[k] = buf;
      }
      const std::string text = kTexts[uniform(0, 9)];
      json += b ? ", " : "";
      json += "{\"transcription\": " + JsonQuote(text) + ", \"points\": [";
      for (int k = 0; k < 4; ++k)
        json += (k ? ", [" : "[") + nums[2 * k] + ", " + nums[2 * k + 1] + "]";
      json += "]}";
      for (int k = 0; k < 8; ++k) gt += (spaced ? " " : "") + nums[k] + (spaced ? " ," : ",");
      gt += text + (crlf ? "\r\n" : "\n");
      if (uniform(0, 5) == 0) gt += crlf ? "\r\n" : "\n";  // a blank line
      ++pair.boxes;
    }
    json += "]";
    label << "images/img_" << i << ".jpg\t" << json << "\n";
    WriteFile(pair.gt_dir + "/gt_img_" + std::to_string(i) + ".txt", gt);
  }
  return pair;
}

}  // namespace autoscale::annotation_test
