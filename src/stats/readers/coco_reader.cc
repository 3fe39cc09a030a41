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
  bool Rewind() override { return ::lseek(fd_, 0, SEEK_SET) == 0; }
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

namespace {

// One pass over the stream in either of two ways of grouping boxes by image:
//  - streaming (images[] first, each image's annotations consecutive, as
//    COCO writers emit them): an image's boxes are recorded when the next
//    image's start, so memory holds only the image ids and one image's boxes;
//  - buffered (any order): every box is kept (32 bytes) and grouped at the end.
// The streaming pass gives up (returns false) as soon as the file is not in
// that order; the caller then runs the buffered pass from the start.
class CocoPass {
 public:
  CocoPass(const std::string& name, SampleUnit samples, const ModelSpace& space, bool streaming)
      : name_(name),
        boxes_(samples == SampleUnit::kBoxes),
        space_(space),
        streaming_(streaming),
        p_(space.NewProfile()) {}

  // False when the streaming pass gave up; else *status is the result.
  bool Run(ByteStream* in, const CocoScanOptions& scan, Status* status) {
    CocoScanOptions options = scan;
    options.annotations = boxes_;
    Status s = ScanCoco(
        in, options, [&](const CocoImage& im) { return OnImage(im); },
        [&](const CocoAnnotation& a) { return OnAnnotation(a); });
    if (gave_up_) return false;
    if (!s.ok()) {
      *status = Status::Error(name_ + ": " + s.message());
      return true;
    }
    if (boxes_) Finish();
    *status = Status::Ok();
    return true;
  }

  Profile& profile() { return p_; }

 private:
  // A measured box, the image it belongs to and its annotation's index.
  struct Box {
    double image_id;
    BoxSize size;
    uint64_t index;
  };

  void Bad(uint64_t order, const std::string& where, const std::string& why) {
    p_.dataset.skipped.bad_line++;
    p_.AddWarning(order, name_ + ":" + where, why);
  }

  void NotInImages(const Box& b) {
    Bad(AnnotationOrder(b.index), "annotations[" + std::to_string(b.index) + "]",
        "image_id " + Num(b.image_id) + " is not in images");
  }

  bool OnImage(const CocoImage& im) {
    const std::string where = "images[" + std::to_string(im.index) + "]";
    if (boxes_) {
      if (streaming_ && annotations_seen_) return GiveUp();  // images after annotations
      if (!im.has_id) {
        Bad(ImageOrder(im.index), where, "no numeric \"id\"");
        return true;
      }
      image_ids_.push_back(im.id);
      return true;
    }
    if (!im.has_width || !im.has_height) {
      Bad(ImageOrder(im.index), where, "no numeric \"width\" and \"height\"");
    } else if (!(im.width >= 1 && im.height >= 1 && im.width <= kMaxBoxSidePx &&
                 im.height <= kMaxBoxSidePx)) {
      Bad(ImageOrder(im.index), where,
          "size " + Num(im.width) + " x " + Num(im.height) + " is out of range");
    } else {
      space_.AddImage(&p_, static_cast<int64_t>(im.height), static_cast<int64_t>(im.width));
    }
    return true;
  }

  bool OnAnnotation(const CocoAnnotation& a) {
    if (!annotations_seen_) {
      annotations_seen_ = true;
      SortImageIds();
      done_.assign(image_ids_.size(), false);
    }
    const uint64_t order = AnnotationOrder(a.index);
    const std::string where = "annotations[" + std::to_string(a.index) + "]";
    if (!a.has_image_id) {
      Bad(order, where, "no numeric \"image_id\"");
      return true;
    }
    one_.clear();
    if (a.polygons == 1 && !a.odd_polygon && a.polygon.size() >= 4) {
      CollectBox(a.polygon.data(), a.polygon.size(), 0, order, name_ + ":" + where, &p_, &one_);
    } else if (a.has_bbox && a.bbox_numbers == 4) {
      // The box's crop is the bbox itself: its four corners.
      const double x = a.bbox[0], y = a.bbox[1], w = a.bbox[2], h = a.bbox[3];
      const Point corners[4] = {{x, y}, {x + w, y}, {x + w, y + h}, {x, y + h}};
      CollectBox(corners, 4, 0, order, name_ + ":" + where, &p_, &one_);
    } else {
      Bad(order, where, "neither a polygon in \"segmentation\" nor a 4-number \"bbox\"");
      return true;
    }
    if (one_.empty()) return true;  // degenerate: counted and named
    const Box box{a.image_id, one_.front(), a.index};
    if (!streaming_) {
      found_.push_back(box);
      return true;
    }
    if (has_run_ && box.image_id == image_ids_[run_image_]) {
      run_.push_back(box.size);
      return true;
    }
    FlushRun();
    const auto it = std::lower_bound(image_ids_.begin(), image_ids_.end(), box.image_id);
    if (it == image_ids_.end() || *it != box.image_id) {
      NotInImages(box);
      return true;
    }
    run_image_ = static_cast<size_t>(it - image_ids_.begin());
    if (done_[run_image_]) return GiveUp();  // its boxes are not consecutive
    has_run_ = true;
    run_.push_back(box.size);
    return true;
  }

  bool GiveUp() {
    gave_up_ = true;
    return false;
  }

  void FlushRun() {
    if (!has_run_) return;
    space_.AddImageBoxes(&p_, run_);
    done_[run_image_] = true;
    run_.clear();
    has_run_ = false;
  }

  // Removes repeated ids: an image listed twice is one image.
  void SortImageIds() {
    std::sort(image_ids_.begin(), image_ids_.end());
    image_ids_.erase(std::unique(image_ids_.begin(), image_ids_.end()), image_ids_.end());
  }

  // Each listed image once with its boxes (none for an image without one).
  void Finish() {
    if (!annotations_seen_ || !streaming_) {
      SortImageIds();  // buffered: images[] may have come after annotations[]
      done_.assign(image_ids_.size(), false);
    }
    if (streaming_) {
      FlushRun();
      for (size_t i = 0; i < image_ids_.size(); ++i)
        if (!done_[i]) space_.AddImageBoxes(&p_, {});
      return;
    }
    std::stable_sort(found_.begin(), found_.end(),
                     [](const Box& a, const Box& b) { return a.image_id < b.image_id; });
    size_t b = 0;
    for (double id : image_ids_) {
      for (; b < found_.size() && found_[b].image_id < id; ++b) NotInImages(found_[b]);
      run_.clear();
      for (; b < found_.size() && found_[b].image_id == id; ++b) run_.push_back(found_[b].size);
      space_.AddImageBoxes(&p_, run_);
    }
    for (; b < found_.size(); ++b) NotInImages(found_[b]);
  }

  const std::string& name_;
  const bool boxes_;
  const ModelSpace& space_;
  const bool streaming_;
  Profile p_;
  std::vector<double> image_ids_;  // boxes: the ids images[] lists (sorted once annotations start)
  std::vector<bool> done_;         // streaming: images whose boxes were recorded
  std::vector<Box> found_;         // buffered: every valid box
  std::vector<BoxSize> run_, one_;
  size_t run_image_ = 0;
  bool has_run_ = false;
  bool annotations_seen_ = false;
  bool gave_up_ = false;
};

}  // namespace

Status ReadCoco(ByteStream* in, const std::string& name, SampleUnit samples,
                const ModelSpace& space, const CocoScanOptions& scan, Profile* profile) {
  Status status;
  CocoPass streaming(name, samples, space, true);
  CocoPass buffered(name, samples, space, false);
  CocoPass* pass = &streaming;
  if (!streaming.Run(in, scan, &status)) {
    if (!in->Rewind()) return Status::Error(name + ": cannot read the file a second time");
    pass = &buffered;
    buffered.Run(in, scan, &status);
  }
  if (!status.ok()) return status;
  Profile& p = pass->profile();
  if (p.SampleCount() == 0) {
    std::string why = samples == SampleUnit::kBoxes
                          ? std::to_string(p.dataset.images) + " images, no valid box"
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
                    const ReadOptions& /*options: one thread reads the stream*/, Profile* profile) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::Error(path + ": cannot open: " + std::strerror(errno));
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  FileByteStream in(fd);
  Status s = ReadCoco(&in, path, samples, space, CocoScanOptions(), profile);
  ::close(fd);
  return s;
}

}  // namespace autoscale
