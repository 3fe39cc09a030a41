#include "stats/readers/image_bytes.h"

#include <opencv2/imgcodecs.hpp>
#include <vector>

#include "stats/readers/image_header.h"

namespace autoscale {

namespace {

ImageFileInfo Corrupt(std::string message) {
  ImageFileInfo info;
  info.kind = ImageFileKind::kCorrupt;
  info.message = std::move(message);
  return info;
}

}  // namespace

ImageFileInfo SizeImageBytes(const void* data, size_t size, const std::string& name) {
  if (size == 0) return Corrupt("empty image");
  const ImageHeader header = ReadImageHeader(data, size);
  ImageFileInfo info;
  switch (header.outcome) {
    case HeaderOutcome::kSize:
      info.kind = ImageFileKind::kImage;
      info.height = header.height;
      info.width = header.width;
      return info;
    case HeaderOutcome::kCorrupt:
      return Corrupt(std::string("corrupt ") + ImageFormatName(header.format) + ": " +
                     header.reason);
    case HeaderOutcome::kUnknown:
      break;
  }
  // A format only OpenCV knows: it decodes the bytes (no file is written).
  try {
    const auto* p = static_cast<const unsigned char*>(data);
    const std::vector<unsigned char> bytes(p, p + size);
    cv::Mat image = cv::imdecode(bytes, cv::IMREAD_COLOR);
    if (!image.empty()) {
      info.kind = ImageFileKind::kImage;
      info.height = image.rows;
      info.width = image.cols;
      return info;
    }
  } catch (const std::exception& e) {
    return Corrupt(std::string("OpenCV cannot read it: ") + e.what());
  }
  if (name.empty() || HasImageExtension(name))
    return Corrupt("the content is not an image format we know");
  return info;
}

}  // namespace autoscale
