// Fuzzes the rec label line parser and the path resolution of listed images:
// any bytes parse into a non-empty path without a tab, or fail with a reason.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "stats/readers/image_list_reader.h"

using namespace autoscale;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view line(reinterpret_cast<const char*>(data), size);
  std::string_view image;
  std::string error;
  LooksLikeRecLabelLine(line);
  if (!ParseRecLabelLine(line, &image, &error)) {
    if (error.empty()) std::abort();
    return 0;
  }
  if (image.empty() || image.find('\t') != std::string_view::npos) std::abort();
  const std::string path = ResolveListedImage("/data/label.txt", "", image);
  if (path.empty() || path.front() != '/') std::abort();
  return 0;
}
