#include "common/output_paths.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "common/atomic_file.h"

namespace autoscale {

namespace {

namespace fs = std::filesystem;
using Kind = PathUse::Kind;

// A path's identity: its device and inode when it exists, else its absolute
// normalized path (links in the part that exists resolved).
struct Identity {
  bool std_stream = false;  // "-"
  bool exists = false;
  dev_t dev = 0;
  ino_t ino = 0;
  mode_t mode = 0;
  fs::path path;
};

Identity IdentityOf(const std::string& path) {
  Identity id;
  if (IsStdoutPath(path)) {
    id.std_stream = true;
    return id;
  }
  auto target = ResolveOutputTarget(path);
  const fs::path p = target.ok() ? fs::path(*target) : fs::path(path);
  std::error_code ec;
  const fs::path absolute = fs::absolute(p, ec);
  id.path = fs::weakly_canonical(absolute, ec);
  if (ec) id.path = absolute.lexically_normal();
  if (id.path.has_parent_path() && id.path.filename().empty()) id.path = id.path.parent_path();
  struct stat st;
  if (::stat(path.c_str(), &st) == 0) {
    id.exists = true;
    id.dev = st.st_dev;
    id.ino = st.st_ino;
    id.mode = st.st_mode;
  }
  return id;
}

bool SameFile(const Identity& a, const Identity& b) {
  if (a.std_stream || b.std_stream) return a.std_stream && b.std_stream;
  if (a.exists != b.exists) return false;
  return a.exists ? a.dev == b.dev && a.ino == b.ino : a.path == b.path;
}

// Whether `inner` lies inside the folder `outer`; `first` receives the name
// of its first component inside it.
bool Inside(const Identity& inner, const Identity& outer, std::string* first) {
  if (inner.std_stream || outer.std_stream) return false;
  fs::path child = inner.path;
  for (fs::path a = inner.path.parent_path(); !a.empty(); a = a.parent_path()) {
    bool same = false;
    struct stat st;
    if (outer.exists)
      same = ::stat(a.c_str(), &st) == 0 && st.st_dev == outer.dev && st.st_ino == outer.ino;
    else
      same = a == outer.path;
    if (same) {
      *first = child.filename().string();
      return true;
    }
    if (a == a.root_path()) break;
    child = a;
  }
  return false;
}

bool Reserved(const PathUse& folder, const std::string& name) {
  if (std::find(folder.reserved_names.begin(), folder.reserved_names.end(), name) !=
      folder.reserved_names.end())
    return true;
  for (const std::string& prefix : folder.reserved_prefixes)
    if (name.compare(0, prefix.size(), prefix) == 0) return true;
  return false;
}

std::string Named(const PathUse& u) { return u.label + " " + u.path; }

// The overlap of two uses, if any, as the line that refuses it.
std::string Overlap(const PathUse& a, const Identity& ia, const PathUse& b, const Identity& ib) {
  if (a.kind == Kind::kInput && b.kind == Kind::kInput) return "";
  if (a.kind == Kind::kInput) return Overlap(b, ib, a, ia);
  // `a` is an output from here on.
  if (b.kind == Kind::kInput) {
    if (ib.std_stream || ia.std_stream) return "";
    if (SameFile(ia, ib))
      return Named(a) + " is the input " + Named(b) + "; writing it would replace it";
    return "";
  }
  if (a.kind == Kind::kOutputFolder && b.kind == Kind::kOutputFile) return Overlap(b, ib, a, ia);
  std::string first;
  if (a.kind == Kind::kOutputFile && b.kind == Kind::kOutputFile) {
    if (ia.std_stream && ib.std_stream)
      return a.label + " and " + b.label + " both write to standard output (-); give one a file";
    // A character device (/dev/null) takes any number of writes.
    if (SameFile(ia, ib) && !(ia.exists && S_ISCHR(ia.mode)))
      return Named(a) + " and " + Named(b) + " are the same file; give each output its own";
    return "";
  }
  if (a.kind == Kind::kOutputFile) {  // and `b` a folder
    if (SameFile(ia, ib)) return Named(a) + " is the output folder " + Named(b);
    if (!Inside(ia, ib, &first)) return "";
    if (a.owner != b.owner)
      return Named(a) + " is inside " + Named(b) + ", which another job writes; write it elsewhere";
    if (Reserved(b, first))
      return Named(a) + " would replace " + first + ", which the conversion writes in " + Named(b) +
             "; choose another name";
    return "";
  }
  // Two folders.
  if (SameFile(ia, ib)) return Named(a) + " and " + Named(b) + " are the same folder";
  if (Inside(ia, ib, &first)) return Named(a) + " is inside " + Named(b) + "; give each its own";
  if (Inside(ib, ia, &first)) return Named(b) + " is inside " + Named(a) + "; give each its own";
  return "";
}

// Whether new files can be made in the existing folder `dir`: a file is
// created there and removed (permission bits say nothing to root or on a
// read-only mount).
Status Writable(const PathUse& u, const fs::path& dir) {
  const fs::path folder = dir.empty() ? fs::path(".") : dir;
  auto probe = CreateTempFile((folder / "write-test").string());
  if (!probe.ok()) {
    const std::string why = probe.message().substr(probe.message().rfind(": ") + 2);
    return Status::Error(Named(u) + ": cannot write in folder " + folder.string() + ": " + why);
  }
  ::close(probe->fd);
  std::remove(probe->path.c_str());
  return Status::Ok();
}

// `folders`: the output folders the command creates; a file may go in one
// that does not exist yet.
Status CheckOutputFile(const PathUse& u, const std::vector<Identity>& folders) {
  if (IsStdoutPath(u.path)) return Status::Ok();
  struct stat st;
  if (::stat(u.path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) return Status::Error(Named(u) + ": is a folder, not a file");
    if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode)) {
      if (::access(u.path.c_str(), W_OK) != 0)
        return Status::Error(Named(u) + ": cannot write: " + std::strerror(errno));
      return Status::Ok();
    }
    if (!S_ISREG(st.st_mode))
      return Status::Error(Named(u) + ": not a file, a device or a FIFO; not replaced");
  }
  auto target = ResolveOutputTarget(u.path);
  if (!target.ok()) return Status::Error(u.label + " " + target.message());
  const fs::path dir = fs::path(*target).parent_path();
  if (!dir.empty()) {
    if (::stat(dir.c_str(), &st) != 0) {
      const Identity parent = IdentityOf(dir.string());
      for (const Identity& folder : folders)
        if (SameFile(parent, folder)) return Status::Ok();
      return Status::Error(Named(u) + ": folder " + dir.string() + " does not exist");
    }
    if (!S_ISDIR(st.st_mode))
      return Status::Error(Named(u) + ": " + dir.string() + " is not a folder");
  }
  return Writable(u, dir);
}

Status CheckOutputFolder(const PathUse& u) {
  struct stat st;
  if (::stat(u.path.c_str(), &st) == 0) {
    if (!S_ISDIR(st.st_mode)) return Status::Error(Named(u) + ": exists and is not a folder");
    return Writable(u, u.path);
  }
  // Created later: the nearest folder that exists must take new entries.
  std::error_code ec;
  for (fs::path a = fs::absolute(u.path, ec).lexically_normal(); !a.empty(); a = a.parent_path()) {
    if (::stat(a.c_str(), &st) == 0) {
      if (!S_ISDIR(st.st_mode))
        return Status::Error(Named(u) + ": cannot create: " + a.string() + " is not a folder");
      return Writable(u, a);
    }
    if (a == a.root_path()) break;
  }
  return Status::Ok();
}

}  // namespace

Status CheckPathUses(const std::vector<PathUse>& uses) {
  std::vector<const PathUse*> used;
  for (const PathUse& u : uses)
    if (!u.path.empty()) used.push_back(&u);
  std::vector<Identity> ids;
  for (const PathUse* u : used) ids.push_back(IdentityOf(u->path));
  for (size_t i = 0; i < used.size(); ++i) {
    for (size_t j = i + 1; j < used.size(); ++j) {
      const std::string overlap = Overlap(*used[i], ids[i], *used[j], ids[j]);
      if (!overlap.empty()) return Status::Error(overlap);
    }
  }
  std::vector<Identity> folders;
  for (size_t i = 0; i < used.size(); ++i)
    if (used[i]->kind == Kind::kOutputFolder) folders.push_back(ids[i]);
  for (const PathUse* u : used) {
    Status s = u->kind == Kind::kOutputFile     ? CheckOutputFile(*u, folders)
               : u->kind == Kind::kOutputFolder ? CheckOutputFolder(*u)
                                                : Status::Ok();
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace autoscale
