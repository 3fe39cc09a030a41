#include "stats/readers/tar_reader.h"

#include <fcntl.h>
#include <glob.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
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

namespace {

// Sizes the image members of one mapped shard whose index modulo `stride` is
// `lane` (all of them for stride 1) into `part`; the walker's count and its
// error are reported by lane 0.
void ReadShard(const std::string& shard, size_t s, const MappedFile& file, uint64_t stride,
               uint64_t lane, const ModelSpace& space, ProgressScope* progress, Profile* part,
               uint64_t* members) {
  TarWalker walker(file.data(), file.size());
  TarMember m;
  uint64_t done = 0;
  while (walker.Next(&m)) {
    const uint64_t i = walker.count() - 1;
    if (i % stride != lane) continue;
    if (!m.regular || !HasImageExtension(m.name)) continue;
    ImageFileInfo info = SizeImageBytes(m.data, m.size, m.name);
    if (info.kind == ImageFileKind::kImage) {
      space.AddImage(part, info.height, info.width);
    } else {
      part->dataset.skipped.corrupt++;
      part->AddWarning(Order(s, i), shard + ":" + m.name, info.message);
    }
    if (++done % 1024 == 0) progress->Advance(1024);
  }
  progress->Advance(done % 1024);
  if (lane != 0) return;
  if (!walker.error().empty()) {
    part->dataset.skipped.corrupt++;
    part->AddWarning(Order(s, walker.count()), shard,
                     "broken tar, the rest is skipped: " + walker.error());
  }
  *members += walker.count();
}

Status OpenShard(const std::string& shard, MappedFile* file) {
  Status opened = file->Open(shard);
  if (!opened.ok()) return opened;
  const auto* bytes = static_cast<const uint8_t*>(file->data());
  if (file->size() >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b)
    return Status::Error(shard + ": a gzip-compressed tar; shards must be uncompressed");
  return Status::Ok();
}

}  // namespace

Status ReadTarShards(const std::string& path, const ModelSpace& space, const ReadOptions& options,
                     Profile* profile) {
  auto shards = ListTarShards(path);
  if (!shards.ok()) return shards.status();
  const int threads = WorkerCount(options.threads, 0);
  ProgressScope progress(options.progress, "images");
  std::vector<Profile> parts(static_cast<size_t>(threads), space.NewProfile());
  std::vector<uint64_t> members(static_cast<size_t>(threads), 0);
  if (shards->size() >= static_cast<size_t>(threads) * 2) {
    // Enough shards: each worker takes whole shards in turn.
    std::atomic<size_t> next{0};
    std::vector<Status> errors(shards->size());
    RunWorkers(threads, [&](int t) {
      for (size_t s; (s = next.fetch_add(1)) < shards->size();) {
        MappedFile file;
        errors[s] = OpenShard((*shards)[s], &file);
        if (!errors[s].ok()) continue;
        ReadShard((*shards)[s], s, file, 1, 0, space, &progress, &parts[static_cast<size_t>(t)],
                  &members[static_cast<size_t>(t)]);
      }
    });
    for (const Status& e : errors)
      if (!e.ok()) return e;
  } else {
    // Few shards: every worker walks each shard's headers (one block per
    // member) and sizes every threads-th member.
    for (size_t s = 0; s < shards->size(); ++s) {
      MappedFile file;
      Status opened = OpenShard((*shards)[s], &file);
      if (!opened.ok()) return opened;
      RunWorkers(threads, [&](int t) {
        ReadShard((*shards)[s], s, file, static_cast<uint64_t>(threads), static_cast<uint64_t>(t),
                  space, &progress, &parts[static_cast<size_t>(t)],
                  &members[static_cast<size_t>(t)]);
      });
    }
  }
  Profile merged = space.NewProfile();
  for (const Profile& part : parts) merged.Merge(part);
  if (merged.dataset.images == 0) {
    uint64_t total = 0;
    for (uint64_t m : members) total += m;
    std::string why = std::to_string(total) + " members, none a readable image";
    if (!merged.dataset.warnings.empty())
      why += "; first: " + merged.dataset.warnings.front().where + ": " +
             merged.dataset.warnings.front().message;
    return Status::Error(path + ": no image in the tar shards: " + why);
  }
  profile->Merge(merged);
  return Status::Ok();
}

}  // namespace autoscale
