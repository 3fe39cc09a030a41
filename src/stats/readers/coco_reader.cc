#include "stats/readers/coco_reader.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>
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

// Records images' boxes in a profile of its own on a second thread, so the
// scan does not wait on the profile's maps. Boxes go over in batches through
// a queue of at most two, which bounds the memory in flight.
class ImageBoxesWriter {
 public:
  ImageBoxesWriter(const ModelSpace& space)
      : space_(space), profile_(space.NewProfile()), thread_([this] { Run(); }) {}
  ~ImageBoxesWriter() { Finish(); }
  ImageBoxesWriter(const ImageBoxesWriter&) = delete;
  ImageBoxesWriter& operator=(const ImageBoxesWriter&) = delete;

  // One image and its boxes (none for an image without one).
  void Add(const std::vector<BoxSize>& boxes) {
    batch_.boxes.insert(batch_.boxes.end(), boxes.begin(), boxes.end());
    batch_.counts.push_back(static_cast<uint32_t>(boxes.size()));
    if (batch_.boxes.size() >= kBatchBoxes || batch_.counts.size() >= kBatchBoxes) Push();
  }

  // Waits for every image to be recorded; the profile is complete after.
  Profile& Finish() {
    if (thread_.joinable()) {
      Push();
      {
        std::lock_guard<std::mutex> lock(mutex_);
        closed_ = true;
      }
      ready_.notify_all();
      thread_.join();
    }
    return profile_;
  }

 private:
  static constexpr size_t kBatchBoxes = 1 << 16;

  struct Batch {
    std::vector<BoxSize> boxes;
    std::vector<uint32_t> counts;  // boxes per image, in order
  };

  void Push() {
    if (batch_.counts.empty()) return;
    std::unique_lock<std::mutex> lock(mutex_);
    room_.wait(lock, [&] { return queue_.size() < 2; });
    queue_.push_back(std::move(batch_));
    batch_ = Batch{};
    ready_.notify_all();
  }

  void Run() {
    std::vector<BoxSize> image;
    for (;;) {
      Batch batch;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        ready_.wait(lock, [&] { return !queue_.empty() || closed_; });
        if (queue_.empty()) return;
        batch = std::move(queue_.front());
        queue_.pop_front();
      }
      room_.notify_all();
      size_t at = 0;
      for (uint32_t n : batch.counts) {
        image.assign(batch.boxes.begin() + static_cast<std::ptrdiff_t>(at),
                     batch.boxes.begin() + static_cast<std::ptrdiff_t>(at + n));
        at += n;
        space_.AddImageBoxes(&profile_, image);
      }
    }
  }

  const ModelSpace& space_;
  Profile profile_;
  Batch batch_;
  std::mutex mutex_;
  std::condition_variable ready_, room_;
  std::deque<Batch> queue_;
  bool closed_ = false;
  std::thread thread_;  // last: starts once the rest is built
};

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
    if (boxes_) {
      Finish();
      p_.Merge(writer_.Finish());
    }
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
    // The entry's name, made only for a warning.
    const auto where = [&] { return "annotations[" + std::to_string(a.index) + "]"; };
    if (!a.has_image_id) {
      Bad(order, where(), "no numeric \"image_id\"");
      return true;
    }
    // The box's crop: its one polygon, else its bbox's four corners.
    const Point* points = a.polygon.data();
    size_t count = a.polygon.size();
    Point corners[4];
    if (!(a.polygons == 1 && !a.odd_polygon && count >= 4)) {
      if (!a.has_bbox || a.bbox_numbers != 4) {
        Bad(order, where(), "neither a polygon in \"segmentation\" nor a 4-number \"bbox\"");
        return true;
      }
      const double x = a.bbox[0], y = a.bbox[1], w = a.bbox[2], h = a.bbox[3];
      corners[0] = {x, y}, corners[1] = {x + w, y}, corners[2] = {x + w, y + h},
      corners[3] = {x, y + h};
      points = corners;
      count = 4;
    }
    const BoxMeasure m = MeasureBox(points, count);
    if (!m.ok()) {  // counted and named as every reader does
      one_.clear();
      CollectBox(points, count, 0, order, name_ + ":" + where(), &p_, &one_);
      return true;
    }
    const Box box{a.image_id, m.size, a.index};
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
    writer_.Add(run_);
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
        if (!done_[i]) writer_.Add({});
      return;
    }
    std::stable_sort(found_.begin(), found_.end(),
                     [](const Box& a, const Box& b) { return a.image_id < b.image_id; });
    size_t b = 0;
    for (double id : image_ids_) {
      for (; b < found_.size() && found_[b].image_id < id; ++b) NotInImages(found_[b]);
      run_.clear();
      for (; b < found_.size() && found_[b].image_id == id; ++b) run_.push_back(found_[b].size);
      writer_.Add(run_);
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
  ImageBoxesWriter writer_{space_};  // boxes: records each image's boxes
};

}  // namespace

Status ReadCoco(ByteStream* in, const std::string& name, SampleUnit samples,
                const ModelSpace& space, const CocoScanOptions& scan, Profile* profile) {
  Status status;
  CocoPass streaming(name, samples, space, true);
  std::optional<CocoPass> buffered;  // made only when the streaming pass gives up
  CocoPass* pass = &streaming;
  if (!streaming.Run(in, scan, &status)) {
    if (!in->Rewind()) return Status::Error(name + ": cannot read the file a second time");
    pass = &buffered.emplace(name, samples, space, false);
    buffered->Run(in, scan, &status);
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
