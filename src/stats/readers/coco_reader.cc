#include "stats/readers/coco_reader.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <vector>

#include "stats/readers/annotation_boxes.h"
#include "stats/readers/box_geometry.h"

namespace autoscale {

namespace {

// A file read with plain read(2) calls, one buffer at a time.
class FileByteStream : public ByteStream {
 public:
  explicit FileByteStream(int fd) : fd_(fd) {}
  size_t Read(char* out, size_t n) override {
    for (;;) {
      const ssize_t r = ::read(fd_, out, n);
      if (r >= 0) return static_cast<size_t>(r);
      if (errno == EINTR) continue;
      error_ = std::string("read error: ") + std::strerror(errno);
      return 0;
    }
  }
  std::string error() const override { return error_; }

 private:
  int fd_;
  std::string error_;
};

// One measured box and the image it belongs to.
struct CocoBox {
  double image_id;
  BoxSize size;
};

// Warnings sort images first, then annotations, each in list order.
uint64_t ImageOrder(uint64_t i) { return i; }
uint64_t AnnotationOrder(uint64_t i) { return (uint64_t{1} << 62) | i; }

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

}  // namespace

bool LooksLikeCocoStart(const std::string& head) {
  size_t i = head.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
  while (i < head.size() && std::strchr(" \t\r\n", head[i]) != nullptr && head[i] != 0) ++i;
  if (i == head.size() || head[i] != '{') return false;
  return head.find("\"images\"", i) != std::string::npos ||
         head.find("\"annotations\"", i) != std::string::npos;
}

Status ReadCoco(ByteStream* in, const std::string& name, SampleUnit samples,
                const ModelSpace& space, const CocoScanOptions& scan, Profile* profile) {
  const bool boxes = samples == SampleUnit::kBoxes;
  Profile p = space.NewProfile();
  std::vector<double> image_ids;  // boxes: the ids images[] lists
  std::vector<CocoBox> found;     // boxes: every valid box
  std::vector<BoxSize> one;
  const auto bad = [&](uint64_t order, const std::string& where, const std::string& why) {
    p.dataset.skipped.bad_line++;
    p.AddWarning(order, name + ":" + where, why);
  };
  const auto on_image = [&](const CocoImage& im) {
    const std::string where = "images[" + std::to_string(im.index) + "]";
    if (boxes) {
      if (!im.has_id) return bad(ImageOrder(im.index), where, "no numeric \"id\"");
      image_ids.push_back(im.id);
      return;
    }
    if (!im.has_width || !im.has_height)
      return bad(ImageOrder(im.index), where, "no numeric \"width\" and \"height\"");
    if (!(im.width >= 1 && im.height >= 1 && im.width <= kMaxBoxSidePx &&
          im.height <= kMaxBoxSidePx))
      return bad(ImageOrder(im.index), where,
                 "size " + Num(im.width) + " x " + Num(im.height) + " is out of range");
    space.AddImage(&p, static_cast<int64_t>(im.height), static_cast<int64_t>(im.width));
  };
  const auto on_annotation = [&](const CocoAnnotation& a) {
    const uint64_t order = AnnotationOrder(a.index);
    const std::string where = "annotations[" + std::to_string(a.index) + "]";
    if (!a.has_image_id) return bad(order, where, "no numeric \"image_id\"");
    one.clear();
    if (a.polygons == 1 && !a.odd_polygon && a.polygon.size() >= 4) {
      CollectBox(a.polygon.data(), a.polygon.size(), 0, order, name + ":" + where, &p, &one);
    } else if (a.has_bbox && a.bbox_numbers == 4) {
      // The box's crop is the bbox itself: its four corners.
      const double x = a.bbox[0], y = a.bbox[1], w = a.bbox[2], h = a.bbox[3];
      const Point corners[4] = {{x, y}, {x + w, y}, {x + w, y + h}, {x, y + h}};
      CollectBox(corners, 4, 0, order, name + ":" + where, &p, &one);
    } else {
      return bad(order, where, "neither a polygon in \"segmentation\" nor a 4-number \"bbox\"");
    }
    if (!one.empty()) found.push_back(CocoBox{a.image_id, one.front()});
  };
  CocoScanOptions options = scan;
  options.annotations = boxes;
  Status s = ScanCoco(in, options, on_image, on_annotation);
  if (!s.ok()) return Status::Error(name + ": " + s.message());

  if (boxes) {
    std::sort(image_ids.begin(), image_ids.end());
    std::stable_sort(found.begin(), found.end(),
                     [](const CocoBox& a, const CocoBox& b) { return a.image_id < b.image_id; });
    // Each listed image once with its boxes (none for an image without one);
    // boxes of an id images[] does not list are counted and named.
    size_t b = 0;
    for (size_t i = 0; i < image_ids.size(); ++i) {
      if (i > 0 && image_ids[i] == image_ids[i - 1]) continue;
      for (; b < found.size() && found[b].image_id < image_ids[i]; ++b)
        bad(AnnotationOrder(~uint64_t{0} >> 2), "annotations",
            "image_id " + Num(found[b].image_id) + " is not in images");
      one.clear();
      for (; b < found.size() && found[b].image_id == image_ids[i]; ++b)
        one.push_back(found[b].size);
      space.AddImageBoxes(&p, one);
    }
    for (; b < found.size(); ++b)
      bad(AnnotationOrder(~uint64_t{0} >> 2), "annotations",
          "image_id " + Num(found[b].image_id) + " is not in images");
  }
  if (p.SampleCount() == 0) {
    std::string why = boxes ? std::to_string(p.dataset.images) + " images, no valid box"
                            : "no image with a valid width and height";
    if (!p.dataset.warnings.empty())
      why += "; first: " + p.dataset.warnings.front().where + ": " +
             p.dataset.warnings.front().message;
    return Status::Error(name + ": no sample in the COCO file: " + why);
  }
  profile->Merge(p);
  return Status::Ok();
}

Status ReadCocoFile(const std::string& path, SampleUnit samples, const ModelSpace& space,
                    const ReadOptions& options, Profile* profile) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::Error(path + ": cannot open: " + std::strerror(errno));
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  FileByteStream in(fd);
  ProgressScope progress(options.progress, "COCO entries");
  Status s = ReadCoco(&in, path, samples, space, CocoScanOptions(), profile);
  ::close(fd);
  return s;
}

}  // namespace autoscale
