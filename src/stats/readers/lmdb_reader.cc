#include "stats/readers/lmdb_reader.h"

#include <lmdb.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>

#include "common/parallel_workers.h"
#include "stats/readers/image_bytes.h"

namespace autoscale {

namespace fs = std::filesystem;

namespace {

// Keys workers take at a time.
constexpr uint64_t kBlockKeys = 1024;

// An environment opened read-only and without the lock file, so read-only
// media work and nothing is written next to the data.
class Env {
 public:
  ~Env() {
    if (env_ != nullptr) mdb_env_close(env_);
  }
  Status Open(const std::string& path, bool is_file) {
    int rc = mdb_env_create(&env_);
    if (rc == 0)
      rc = mdb_env_open(env_, path.c_str(),
                        MDB_RDONLY | MDB_NOLOCK | MDB_NOTLS | (is_file ? MDB_NOSUBDIR : 0), 0);
    if (rc != 0) return Status::Error(path + ": cannot open the LMDB: " + mdb_strerror(rc));
    return Status::Ok();
  }
  MDB_env* get() const { return env_; }

 private:
  MDB_env* env_ = nullptr;
};

// A read transaction on the main database.
class ReadTxn {
 public:
  explicit ReadTxn(MDB_env* env) {
    rc_ = mdb_txn_begin(env, nullptr, MDB_RDONLY, &txn_);
    if (rc_ == 0) rc_ = mdb_dbi_open(txn_, nullptr, 0, &dbi_);
  }
  ~ReadTxn() {
    if (txn_ != nullptr) mdb_txn_abort(txn_);
  }
  int rc() const { return rc_; }
  // How many keys the database holds, or 0 when it cannot tell.
  uint64_t Entries() const {
    MDB_stat stat;
    return mdb_stat(txn_, dbi_, &stat) == 0 ? uint64_t{stat.ms_entries} : 0;
  }
  // The value of `key`, or rc MDB_NOTFOUND.
  int Get(const std::string& key, MDB_val* value) const {
    MDB_val k{key.size(), const_cast<char*>(key.data())};
    return mdb_get(txn_, dbi_, &k, value);
  }

 private:
  MDB_txn* txn_ = nullptr;
  MDB_dbi dbi_ = 0;
  int rc_ = 0;
};

Status ReadEnvironment(const std::string& env_path, size_t env_index, const ModelSpace& space,
                       int threads, ProgressScope* progress, std::vector<Profile>* parts) {
  std::error_code ec;
  Env env;
  Status s = env.Open(env_path, fs::is_regular_file(env_path, ec));
  if (!s.ok()) return s;
  uint64_t count = 0;
  {
    ReadTxn txn(env.get());
    if (txn.rc() != 0)
      return Status::Error(env_path + ": cannot read the LMDB: " + mdb_strerror(txn.rc()));
    MDB_val value;
    const int rc = txn.Get("num-samples", &value);
    if (rc == MDB_NOTFOUND) return Status::Error(env_path + ": no num-samples key");
    if (rc != 0) return Status::Error(env_path + ": num-samples: " + mdb_strerror(rc));
    if (!ParseNumSamples(std::string_view(static_cast<const char*>(value.mv_data), value.mv_size),
                         &count))
      return Status::Error(env_path + ": num-samples is not a count");
    // Each sample is a key of its own: a count above the keys held is not
    // this database's (looking each one up would take as long as it says).
    const uint64_t entries = txn.Entries();
    if (count > entries)
      return Status::Error(env_path + ": num-samples is " + std::to_string(count) +
                           " but the LMDB holds only " + std::to_string(entries) + " keys");
  }
  std::atomic<uint64_t> next{0};
  std::atomic<int> failed{0};
  RunWorkers(threads, [&](int t) {
    Profile& part = (*parts)[static_cast<size_t>(t)];
    ReadTxn txn(env.get());
    if (txn.rc() != 0) {
      failed = txn.rc();
      return;
    }
    MDB_val value;
    for (;;) {
      const uint64_t first = next.fetch_add(kBlockKeys);
      if (first >= count) break;
      const uint64_t last = std::min(count, first + kBlockKeys);
      for (uint64_t i = first; i < last; ++i) {
        const std::string key = LmdbImageKey(i + 1);
        const uint64_t order = (uint64_t{env_index} << 40) | i;
        const int rc = txn.Get(key, &value);
        if (rc != 0) {
          part.dataset.skipped.corrupt++;
          part.AddWarning(order, env_path + ":" + key,
                          rc == MDB_NOTFOUND
                              ? "missing (num-samples is " + std::to_string(count) + ")"
                              : std::string(mdb_strerror(rc)));
          continue;
        }
        ImageFileInfo info = SizeImageBytes(value.mv_data, value.mv_size, "");
        if (info.kind == ImageFileKind::kImage) {
          space.AddImage(&part, info.height, info.width);
        } else {
          part.dataset.skipped.corrupt++;
          part.AddWarning(order, env_path + ":" + key, info.message);
        }
      }
      progress->Advance(last - first);
    }
  });
  if (failed != 0)
    return Status::Error(env_path + ": cannot read the LMDB: " + mdb_strerror(failed));
  return Status::Ok();
}

}  // namespace

bool ParseNumSamples(std::string_view value, uint64_t* count) {
  size_t i = 0;
  while (i < value.size() && (value[i] == ' ' || value[i] == '\n' || value[i] == '\r')) ++i;
  uint64_t n = 0;
  bool digits = false;
  for (; i < value.size() && value[i] >= '0' && value[i] <= '9'; ++i) {
    if (n > (UINT64_MAX - 9) / 10) return false;
    n = n * 10 + static_cast<uint64_t>(value[i] - '0');
    digits = true;
  }
  while (i < value.size() && (value[i] == ' ' || value[i] == '\n' || value[i] == '\r')) ++i;
  if (!digits || i != value.size()) return false;
  *count = n;
  return true;
}

std::string LmdbImageKey(uint64_t index) {
  char key[32];
  std::snprintf(key, sizeof key, "image-%09llu", static_cast<unsigned long long>(index));
  return key;
}

Result<std::vector<std::string>> ListLmdbEnvironments(const std::string& path) {
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (!fs::exists(st)) return Status::Error(path + ": no such file or directory");
  if (!fs::is_directory(st)) return std::vector<std::string>{path};
  std::vector<std::string> envs;
  if (fs::is_regular_file(fs::path(path) / "data.mdb", ec)) return std::vector<std::string>{path};
  fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    std::error_code file_ec;
    if (it->path().filename() == "data.mdb" && it->is_regular_file(file_ec))
      envs.push_back(it->path().parent_path().string());
  }
  if (ec) return Status::Error(path + ": cannot list: " + ec.message());
  if (envs.empty()) return Status::Error(path + ": no LMDB (data.mdb) in the folder");
  std::sort(envs.begin(), envs.end());
  return envs;
}

Status ReadLmdbDataset(const std::string& path, const ModelSpace& space, const ReadOptions& options,
                       Profile* profile) {
  auto envs = ListLmdbEnvironments(path);
  if (!envs.ok()) return envs.status();
  const int threads = WorkerCount(options.threads, 0);
  std::vector<Profile> parts(static_cast<size_t>(threads), space.NewProfile());
  ProgressScope progress(options.progress, "images");
  for (size_t e = 0; e < envs->size(); ++e) {
    Status s = ReadEnvironment((*envs)[e], e, space, threads, &progress, &parts);
    if (!s.ok()) return s;
  }
  Profile merged = space.NewProfile();
  for (const Profile& part : parts) merged.Merge(part);
  if (merged.dataset.images == 0) {
    std::string why = std::to_string(merged.dataset.skipped.corrupt) + " entries unreadable";
    if (!merged.dataset.warnings.empty())
      why += "; first: " + merged.dataset.warnings.front().where + ": " +
             merged.dataset.warnings.front().message;
    return Status::Error(path + ": no readable image in the LMDB: " + why);
  }
  profile->Merge(merged);
  return Status::Ok();
}

}  // namespace autoscale
