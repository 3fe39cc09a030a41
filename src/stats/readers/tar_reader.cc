#include "stats/readers/tar_reader.h"

#include <fcntl.h>
#include <glob.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "common/parallel_workers.h"
#include "stats/readers/image_bytes.h"
#include "stats/readers/image_folder_reader.h"
#include "stats/readers/tar_archive.h"

namespace autoscale {

namespace fs = std::filesystem;

namespace {

bool EndsWith(const std::string& s, const char* suffix) {
  const size_t n = std::strlen(suffix);
  return s.size() >= n && s.compare(s.size() - n, n, suffix) == 0;
}

// A shard mapped read-only for the duration of its read.
class MappedFile {
 public:
  MappedFile() = default;
  ~MappedFile() {
    if (data_ != nullptr) ::munmap(data_, size_);
  }
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  Status Open(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) return Status::Error(path + ": cannot open: " + std::strerror(errno));
    struct stat st;
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
      ::close(fd);
      return Status::Error(path + ": not a regular file");
    }
    size_ = static_cast<size_t>(st.st_size);
    if (size_ > 0) {
      void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
      if (p == MAP_FAILED) {
        const int e = errno;
        ::close(fd);
        size_ = 0;
        return Status::Error(path + ": cannot map: " + std::strerror(e));
      }
      data_ = p;
    }
    ::close(fd);
    return Status::Ok();
  }
  const void* data() const { return data_; }
  size_t size() const { return size_; }

 private:
  void* data_ = nullptr;
  size_t size_ = 0;
};

// Warnings sort by shard, then member.
uint64_t Order(size_t shard, uint64_t member) { return (uint64_t{shard} << 40) | member; }

}  // namespace

bool IsGlobPattern(const std::string& path) {
  if (path.find_first_of("*?[") == std::string::npos) return false;
  std::error_code ec;
  return !fs::exists(path, ec);
}

Result<std::vector<std::string>> ListTarShards(const std::string& path) {
  std::vector<std::string> shards;
  if (IsGlobPattern(path)) {
    glob_t g;
    const int rc = ::glob(path.c_str(), 0, nullptr, &g);
    if (rc == 0)
      for (size_t i = 0; i < g.gl_pathc; ++i) shards.emplace_back(g.gl_pathv[i]);
    ::globfree(&g);
    if (shards.empty()) return Status::Error(path + ": the pattern matches no file");
  } else {
    std::error_code ec;
    const fs::file_status st = fs::status(path, ec);
    if (!fs::exists(st)) return Status::Error(path + ": no such file or directory");
    if (!fs::is_directory(st)) return std::vector<std::string>{path};
    for (fs::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
      std::error_code file_ec;
      if (it->is_regular_file(file_ec) && EndsWith(it->path().string(), ".tar"))
        shards.push_back(it->path().string());
    }
    if (ec) return Status::Error(path + ": cannot list: " + ec.message());
    if (shards.empty()) return Status::Error(path + ": the folder holds no *.tar file");
  }
  std::sort(shards.begin(), shards.end());
  return shards;
}

Status ReadTarShards(const std::string& path, const ModelSpace& space, const ReadOptions& options,
                     Profile* profile) {
  auto shards = ListTarShards(path);
  if (!shards.ok()) return shards.status();
  const int threads = WorkerCount(options.threads, 0);
  ProgressScope progress(options.progress, "images");
  std::vector<Profile> parts(static_cast<size_t>(threads), space.NewProfile());
  uint64_t members = 0;
  for (size_t s = 0; s < shards->size(); ++s) {
    const std::string& shard = (*shards)[s];
    MappedFile file;
    Status opened = file.Open(shard);
    if (!opened.ok()) return opened;
    ::madvise(const_cast<void*>(file.data()), file.size(), MADV_WILLNEED);
    if (file.size() >= 2 && static_cast<const uint8_t*>(file.data())[0] == 0x1f &&
        static_cast<const uint8_t*>(file.data())[1] == 0x8b)
      return Status::Error(shard + ": a gzip-compressed tar; shards must be uncompressed");
    // Every worker walks the headers (cheap: one block per member) and sizes
    // every threads-th image, so the work splits evenly with no hand-over.
    RunWorkers(threads, [&](int t) {
      Profile& part = parts[static_cast<size_t>(t)];
      TarWalker walker(file.data(), file.size());
      TarMember m;
      uint64_t done = 0;
      while (walker.Next(&m)) {
        const uint64_t i = walker.count() - 1;
        if (i % static_cast<uint64_t>(threads) != static_cast<uint64_t>(t)) continue;
        if (!m.regular || !HasImageExtension(m.name)) continue;
        ImageFileInfo info = SizeImageBytes(m.data, m.size, m.name);
        if (info.kind == ImageFileKind::kImage) {
          space.AddImage(&part, info.height, info.width);
        } else {
          part.dataset.skipped.corrupt++;
          part.AddWarning(Order(s, i), shard + ":" + m.name, info.message);
        }
        if (++done % 1024 == 0) progress.Advance(1024);
      }
      progress.Advance(done % 1024);
      if (t == 0) {
        if (!walker.error().empty()) {
          part.dataset.skipped.corrupt++;
          part.AddWarning(Order(s, walker.count()), shard,
                          "broken tar, the rest is skipped: " + walker.error());
        }
        members += walker.count();
      }
    });
  }
  Profile merged = space.NewProfile();
  for (const Profile& part : parts) merged.Merge(part);
  if (merged.dataset.images == 0) {
    std::string why = std::to_string(members) + " members, none a readable image";
    if (!merged.dataset.warnings.empty())
      why += "; first: " + merged.dataset.warnings.front().where + ": " +
             merged.dataset.warnings.front().message;
    return Status::Error(path + ": no image in the tar shards: " + why);
  }
  profile->Merge(merged);
  return Status::Ok();
}

}  // namespace autoscale
