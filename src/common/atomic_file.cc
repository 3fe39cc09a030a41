#include "common/atomic_file.h"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace autoscale {

std::string TempPathFor(const std::string& path) {
  static std::atomic<uint64_t> counter{0};
  std::filesystem::path p(path);
  std::string name = "." + p.filename().string() + ".tmp." + std::to_string(::getpid()) + "." +
                     std::to_string(counter++);
  return (p.parent_path() / name).string();
}

Status CommitTempFile(const std::string& temp_path, const std::string& path) {
  if (std::rename(temp_path.c_str(), path.c_str()) != 0) {
    std::string why = std::strerror(errno);
    std::remove(temp_path.c_str());
    return Status::Error(path + ": cannot write: " + why);
  }
  return Status::Ok();
}

Status WriteFileAtomic(const std::string& path, const std::string& contents) {
  const std::string temp = TempPathFor(path);
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out) return Status::Error(path + ": cannot write: " + std::strerror(errno));
    out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
    out.flush();
    if (!out) {
      std::remove(temp.c_str());
      return Status::Error(path + ": cannot write (disk full?)");
    }
  }
  return CommitTempFile(temp, path);
}

Result<std::string> ReadFile(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return Status::Error(path + ": is a folder, not a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Error(path + ": cannot read: " + std::strerror(errno));
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace autoscale
