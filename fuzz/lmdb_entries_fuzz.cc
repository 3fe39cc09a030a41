// Fuzzes the LMDB reader's handling of entries: the input is split into
// key/value pairs (a NUL byte ends a key, the next NUL its value), written
// into a fresh LMDB, and read: any num-samples text, missing or extra keys
// and any value bytes must give a profile or an error naming the LMDB,
// never a crash. (LMDB's own file format is LMDB's to check.)
#include <lmdb.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "stats/readers/lmdb_reader.h"

using namespace autoscale;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string dir =
      (std::filesystem::temp_directory_path() / ("lmdb_fuzz_" + std::to_string(::getpid())))
          .string();
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  MDB_env* env = nullptr;
  MDB_txn* txn = nullptr;
  MDB_dbi dbi = 0;
  if (mdb_env_create(&env) != 0) std::abort();
  mdb_env_set_mapsize(env, size_t{16} << 20);
  if (mdb_env_open(env, dir.c_str(), 0, 0600) != 0) std::abort();
  mdb_txn_begin(env, nullptr, 0, &txn);
  mdb_dbi_open(txn, nullptr, 0, &dbi);
  const char* p = reinterpret_cast<const char*>(data);
  const char* end = p + size;
  while (p < end) {
    const char* k_end = static_cast<const char*>(memchr(p, 0, static_cast<size_t>(end - p)));
    if (k_end == nullptr) break;
    const char* v = k_end + 1;
    const char* v_end = static_cast<const char*>(memchr(v, 0, static_cast<size_t>(end - v)));
    if (v_end == nullptr) v_end = end;
    // Keys as the reader looks them up; "n" stands for num-samples, a short
    // number for that image's key, so the fuzzer need not spell them.
    std::string key(p, k_end);
    if (key == "n")
      key = "num-samples";
    else if (!key.empty() && key.size() < 4 &&
             key.find_first_not_of("0123456789") == std::string::npos)
      key = LmdbImageKey(std::stoull(key));
    MDB_val k{key.size(), key.data()};
    MDB_val val{static_cast<size_t>(v_end - v), const_cast<char*>(v)};
    if (!key.empty() && key.size() < 500) mdb_put(txn, dbi, &k, &val, 0);
    p = v_end + 1;
  }
  mdb_txn_commit(txn);
  mdb_env_close(env);

  InputShape shape;
  shape.dims = {-1, 3, 48, -1};
  const ModelSpace space(shape, 1280);
  Profile profile = space.NewProfile();
  ReadOptions options;
  options.threads = 2;
  Status s = ReadLmdbDataset(dir, space, options, &profile);
  if (!s.ok() && s.message().rfind(dir, 0) != 0) std::abort();
  if (s.ok() && profile.dataset.images == 0) std::abort();
  return 0;
}
