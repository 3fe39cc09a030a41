#include "stats/readers/image_folder_reader.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <opencv2/core/utils/logger.hpp>
#include <opencv2/imgcodecs.hpp>
#include <thread>
#include <utility>
#include <vector>

#include "stats/readers/image_header.h"
#include "common/parallel_workers.h"
#include "common/progress.h"

namespace autoscale {

namespace {

// Reads a file through pread: the first 4 KiB once, then one window at a
// time wherever the parser looks further on.
class FileByteSource : public ByteSource {
 public:
  static constexpr size_t kBlock = 4096;

  explicit FileByteSource(int fd) : fd_(fd) {
    first_len_ = FullRead(0, first_, kBlock);
    if (first_len_ < kBlock && error_ == 0) size_ = first_len_;
  }

  size_t Read(uint64_t offset, void* out, size_t n) override {
    if (offset >= size_ || n == 0) return 0;
    n = static_cast<size_t>(std::min<uint64_t>(n, size_ - offset));
    if (offset + n <= first_len_) return Copy(first_, offset, out, n);
    if (offset >= window_at_ && offset + n <= window_at_ + window_len_)
      return Copy(window_, offset - window_at_, out, n);
    if (n > kBlock) {
      const size_t got = FullRead(offset, out, n);
      if (got < n && error_ == 0) size_ = offset + got;
      return got;
    }
    window_at_ = offset;
    window_len_ = FullRead(offset, window_, kBlock);
    if (window_len_ < kBlock && error_ == 0) size_ = offset + window_len_;
    return Copy(window_, 0, out, std::min(n, window_len_));
  }

  bool empty() const { return first_len_ == 0 && error_ == 0; }
  int error() const { return error_; }

 private:
  size_t Copy(const uint8_t* from, uint64_t at, void* out, size_t n) {
    std::memcpy(out, from + at, n);
    return n;
  }
  // pread until `n` bytes, the end of the file, or an error.
  size_t FullRead(uint64_t offset, void* out, size_t n) {
    size_t got = 0;
    while (got < n) {
      ssize_t r =
          ::pread(fd_, static_cast<uint8_t*>(out) + got, n - got, static_cast<off_t>(offset + got));
      if (r < 0 && errno == EINTR) continue;
      if (r < 0) error_ = errno;
      if (r <= 0) break;
      got += static_cast<size_t>(r);
    }
    return got;
  }

  int fd_;
  int error_ = 0;
  uint64_t size_ = UINT64_MAX;  // known once a read stops short
  uint8_t first_[kBlock];
  size_t first_len_ = 0;
  uint8_t window_[kBlock];
  uint64_t window_at_ = 0;
  size_t window_len_ = 0;
};

ImageFileInfo Corrupt(std::string message) {
  ImageFileInfo info;
  info.kind = ImageFileKind::kCorrupt;
  info.message = std::move(message);
  return info;
}

ImageFileInfo Image(int64_t height, int64_t width) {
  ImageFileInfo info;
  info.kind = ImageFileKind::kImage;
  info.height = height;
  info.width = width;
  return info;
}

// A file without a signature the header parser knows: OpenCV decides.
ImageFileInfo ReadWithOpenCv(const std::string& path) {
  try {
    if (cv::haveImageReader(path)) {
      cv::Mat image = cv::imread(path);
      if (image.empty()) return Corrupt("OpenCV recognises the format but cannot decode it");
      return Image(image.rows, image.cols);
    }
  } catch (const std::exception& e) {
    return Corrupt(std::string("OpenCV cannot read it: ") + e.what());
  }
  if (HasImageExtension(path)) return Corrupt("the content is not an image format we know");
  return ImageFileInfo{};
}

// ---------------------------------------------------------------- walking

// One folder's entries, sorted, in a compact form: the names in one buffer.
struct Folder {
  std::string path;  // with a trailing '/'
  std::string names;
  std::vector<uint32_t> starts;      // offset of each name in `names`
  std::vector<unsigned char> types;  // d_type of each entry
  std::vector<uint32_t> order;       // entries sorted by name
  size_t next = 0;
  dev_t dev = 0;
  ino_t ino = 0;

  const char* Name(uint32_t i) const { return names.c_str() + starts[i]; }
};

// Lists `path` into `folder`; the error is errno's text.
bool ListFolder(const std::string& path, Folder* folder, std::string* error) {
  DIR* d = ::opendir(path.c_str());
  if (d == nullptr) {
    const int open_errno = errno;
    *error = std::strerror(open_errno);
    errno = open_errno;  // the caller tells a path too long from other errors
    return false;
  }
  struct stat st;
  if (::fstat(::dirfd(d), &st) == 0) {
    folder->dev = st.st_dev;
    folder->ino = st.st_ino;
  }
  folder->path = path.back() == '/' ? path : path + "/";
  errno = 0;
  while (struct dirent* e = ::readdir(d)) {
    if (std::strcmp(e->d_name, ".") == 0 || std::strcmp(e->d_name, "..") == 0) continue;
    folder->starts.push_back(static_cast<uint32_t>(folder->names.size()));
    folder->names.append(e->d_name);
    folder->names.push_back('\0');
    folder->types.push_back(e->d_type);
  }
  const int read_errno = errno;
  ::closedir(d);
  if (read_errno != 0) {
    *error = std::strerror(read_errno);
    return false;
  }
  folder->order.resize(folder->starts.size());
  for (uint32_t i = 0; i < folder->order.size(); ++i) folder->order[i] = i;
  std::sort(folder->order.begin(), folder->order.end(), [&](uint32_t a, uint32_t b) {
    return std::strcmp(folder->Name(a), folder->Name(b)) < 0;
  });
  return true;
}

// Files handed to a worker: consecutive in traversal order from `first`.
struct Batch {
  uint64_t first = 0;
  std::vector<std::string> paths;
};

// A bounded hand-over of batches from the walker to the workers, so memory
// holds at most `capacity` batches however large the folder.
class BatchQueue {
 public:
  explicit BatchQueue(size_t capacity) : capacity_(capacity) {}
  void Push(Batch batch) {
    std::unique_lock<std::mutex> lock(mutex_);
    not_full_.wait(lock, [&] { return queue_.size() < capacity_; });
    queue_.push_back(std::move(batch));
    not_empty_.notify_one();
  }
  bool Pop(Batch* batch) {
    std::unique_lock<std::mutex> lock(mutex_);
    not_empty_.wait(lock, [&] { return !queue_.empty() || closed_; });
    if (queue_.empty()) return false;
    *batch = std::move(queue_.front());
    queue_.pop_front();
    not_full_.notify_one();
    return true;
  }
  void Close() {
    std::lock_guard<std::mutex> lock(mutex_);
    closed_ = true;
    not_empty_.notify_all();
  }

 private:
  size_t capacity_;
  std::mutex mutex_;
  std::condition_variable not_full_, not_empty_;
  std::deque<Batch> queue_;
  bool closed_ = false;
};

constexpr size_t kBatchFiles = 128;

// Walks the tree depth-first in sorted order and pushes the files in
// batches; problems with sub-folders become warnings in `profile`.
class Walker {
 public:
  Walker(BatchQueue* queue, Profile* profile) : queue_(queue), profile_(profile) {}

  uint64_t files() const { return next_index_; }

  void Run(Folder root) {
    stack_.push_back(std::move(root));
    while (!stack_.empty()) {
      Folder& top = stack_.back();
      if (top.next == top.order.size()) {
        stack_.pop_back();
        continue;
      }
      const uint32_t entry = top.order[top.next++];
      std::string path = top.path + top.Name(entry);
      Visit(std::move(path), top.types[entry]);
    }
    Flush();
  }

 private:
  void Visit(std::string path, unsigned char type) {
    bool is_dir = type == DT_DIR;
    if (type != DT_DIR && type != DT_REG && type != DT_UNKNOWN && type != DT_LNK) {
      SkipSpecial(path, type);
      return;
    }
    if (type == DT_UNKNOWN || type == DT_LNK) {
      struct stat st;
      if (::stat(path.c_str(), &st) != 0) {
        const int error = errno;
        if (error == ENAMETOOLONG) {
          profile_->dataset.skipped.path_too_long++;
          Warn(path, "the path is too long to open: skipped");
          return;
        }
        if (type == DT_LNK && error == ELOOP) {
          profile_->dataset.skipped.link_loop++;
          Warn(path, "a symbolic link that loops: skipped");
          return;
        }
        if (type == DT_LNK) {
          profile_->dataset.skipped.broken_link++;
          Warn(path, std::string("a broken symbolic link (") + std::strerror(error) + "): skipped");
          return;
        }
        is_dir = false;  // the worker will report why it cannot be read
      } else {
        is_dir = S_ISDIR(st.st_mode);
        if (is_dir && type == DT_LNK && LeadsUpTheTree(st)) {
          profile_->dataset.skipped.link_loop++;
          Warn(path, "a symbolic link to a folder that contains it: not followed");
          return;
        }
        if (!is_dir && !S_ISREG(st.st_mode)) {
          SkipSpecial(path, IFTODT(st.st_mode));
          return;
        }
      }
    }
    if (!is_dir) {
      batch_.paths.push_back(std::move(path));
      ++next_index_;
      if (batch_.paths.size() == kBatchFiles) Flush();
      return;
    }
    Folder folder;
    std::string error;
    if (!ListFolder(path, &folder, &error)) {
      if (errno == ENAMETOOLONG) profile_->dataset.skipped.path_too_long++;
      Warn(path, "cannot read the folder: " + error);
      return;
    }
    stack_.push_back(std::move(folder));
  }

  bool LeadsUpTheTree(const struct stat& st) const {
    for (const Folder& f : stack_) {
      if (f.dev == st.st_dev && f.ino == st.st_ino) return true;
    }
    return false;
  }

  // A FIFO, socket or device is never opened (opening a FIFO waits for a
  // writer); it counts as a file that is not an image.
  void SkipSpecial(const std::string& path, unsigned char type) {
    const char* kind = type == DT_FIFO   ? "a FIFO"
                       : type == DT_SOCK ? "a socket"
                       : type == DT_CHR  ? "a character device"
                       : type == DT_BLK  ? "a block device"
                                         : "a special file";
    profile_->dataset.skipped.non_image++;
    Warn(path, std::string("not a regular file (") + kind + "): skipped");
  }

  void Warn(const std::string& path, std::string message) {
    profile_->AddWarning(next_index_, path, std::move(message));
  }

  void Flush() {
    if (batch_.paths.empty()) return;
    queue_->Push(std::move(batch_));
    batch_ = Batch{};
    batch_.first = next_index_;
  }

  BatchQueue* queue_;
  Profile* profile_;
  std::vector<Folder> stack_;
  Batch batch_;
  uint64_t next_index_ = 0;
};

// Corrupt files are reported in our warnings; OpenCV's log warnings about
// them would only repeat that on stderr. Set once, through OpenCV's own API;
// the process's streams are left alone (OpenCV 4.6's cv::imread still writes
// a line of its own to std::cerr about a broken file in a format only it reads).
void QuietOpenCvLog() {
  static std::once_flag once;
  std::call_once(once,
                 [] { cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_ERROR); });
}

std::string NoImageError(const std::string& dir, const Profile& p, uint64_t files) {
  const SkipCounts& s = p.dataset.skipped;
  std::string message = dir + ": no readable image found";
  if (files == 0) return message + " (the folder holds no files)";
  message += ": " + std::to_string(files) + " file" + (files == 1 ? "" : "s") + " skipped (" +
             std::to_string(s.non_image) + " not images, " + std::to_string(s.corrupt) +
             " corrupt or unreadable)";
  if (!p.dataset.warnings.empty()) {
    const Warning& w = p.dataset.warnings.front();
    message += "; first: " + w.where + ": " + w.message;
  }
  return message;
}

}  // namespace

bool HasImageExtension(const std::string& path) {
  static const char* const kExtensions[] = {
      "jpg", "jpeg", "jpe", "jfif", "png", "bmp", "dib",  "gif",  "webp", "tif", "tiff",
      "ppm", "pgm",  "pbm", "pnm",  "pam", "pfm", "pxm",  "sr",   "ras",  "hdr", "pic",
      "exr", "jp2",  "j2k", "jpf",  "jpx", "jpc", "heic", "heif", "avif"};
  const size_t slash = path.find_last_of('/');
  const size_t dot = path.find_last_of('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return false;
  std::string ext = path.substr(dot + 1);
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const char* known : kExtensions) {
    if (ext == known) return true;
  }
  return false;
}

ImageFileInfo ReadImageFileSize(const std::string& path) {
  // O_NONBLOCK: a path replaced by a FIFO after the walk must not block here.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    const int error = errno;
    ImageFileInfo info = Corrupt(std::string("cannot open: ") + std::strerror(error));
    if (error == ENAMETOOLONG)
      info.kind = ImageFileKind::kPathTooLong;
    else if (!HasImageExtension(path))
      info.kind = ImageFileKind::kNonImage;
    return info;
  }
  struct stat st;
  if (::fstat(fd, &st) == 0 && !S_ISREG(st.st_mode)) {
    ::close(fd);
    ImageFileInfo info;
    info.kind = ImageFileKind::kNonImage;
    info.message = "not a regular file: skipped";
    return info;
  }
  FileByteSource source(fd);
  const ImageHeader header = ReadImageHeader(source);
  ::close(fd);
  if (source.error() != 0)
    return Corrupt(std::string("read error: ") + std::strerror(source.error()));
  switch (header.outcome) {
    case HeaderOutcome::kSize:
      return Image(header.height, header.width);
    case HeaderOutcome::kCorrupt:
      return Corrupt(std::string("corrupt ") + ImageFormatName(header.format) + ": " +
                     header.reason);
    case HeaderOutcome::kUnknown:
      break;
  }
  if (source.empty()) {
    if (HasImageExtension(path)) return Corrupt("empty file");
    return ImageFileInfo{};
  }
  return ReadWithOpenCv(path);
}

Status ReadImageFolder(const std::string& dir, const ModelSpace& space, const ReadOptions& options,
                       Profile* profile) {
  struct stat st;
  if (::stat(dir.c_str(), &st) != 0)
    return Status::Error(dir + ": cannot read the dataset path: " + std::strerror(errno));
  if (!S_ISDIR(st.st_mode)) return Status::Error(dir + ": not a folder");
  Folder root;
  std::string error;
  if (!ListFolder(dir, &root, &error))
    return Status::Error(dir + ": cannot read the folder: " + error);

  QuietOpenCvLog();

  // The walk runs beside the workers; the queue between them is bounded.
  const int threads = WorkerCount(options.threads, 0);
  ProgressScope progress(options.progress, "files");
  BatchQueue queue(static_cast<size_t>(threads) * 4);
  Profile walked = space.NewProfile();
  Walker walker(&queue, &walked);
  std::thread walk([&] {
    walker.Run(std::move(root));
    queue.Close();
  });
  std::vector<Profile> shards(threads, space.NewProfile());
  RunWorkers(threads, [&](int t) {
    Profile& shard = shards[t];
    Batch batch;
    while (queue.Pop(&batch)) {
      for (size_t i = 0; i < batch.paths.size(); ++i) {
        const std::string& path = batch.paths[i];
        ImageFileInfo info = ReadImageFileSize(path);
        switch (info.kind) {
          case ImageFileKind::kImage:
            space.AddImage(&shard, info.height, info.width);
            break;
          case ImageFileKind::kNonImage:
            shard.dataset.skipped.non_image++;
            break;
          case ImageFileKind::kCorrupt:
            shard.dataset.skipped.corrupt++;
            break;
          case ImageFileKind::kPathTooLong:
            shard.dataset.skipped.path_too_long++;
            break;
        }
        if (!info.message.empty()) shard.AddWarning(batch.first + i, path, info.message);
      }
      progress.Advance(batch.paths.size());
    }
  });
  walk.join();

  for (const Profile& shard : shards) profile->Merge(shard);
  profile->Merge(walked);
  profile->dataset.type = "images";
  profile->dataset.path = dir;
  if (profile->dataset.images == 0)
    return Status::Error(NoImageError(dir, *profile, walker.files()));
  return Status::Ok();
}

}  // namespace autoscale
