// LMDB and tar benchmark: the sizes of at least 100,000 real word crops held
// in one LMDB (PaddleOCR's image-%09d / num-samples layout) and in WebDataset
// tar shards.
//   containers_bench [--dir DIR] [--images N] [--source DIR] [--threads T] [--rounds R]
// Builds DIR (default bench/cache/containers, git-ignored) from copies of
// the images in --source (default the shared ic15_words_train/images): an
// LMDB DIR/lmdb_N and shards DIR/tar_N/shard-NNN.tar of 10,000 images each,
// plus the same for the source images once (DIR/lmdb_src, DIR/tar_src).
// Then, with the files in the page cache, it checks that the LMDB and the
// tar of the source images give the profile of the source folder, and times
// in the same run, T threads (default 2):
//   (a) ReadLmdbDataset, and a plain read() of data.mdb, 1 MiB at a time;
//   (b) ReadTarShards, and a plain read() of the shards, 1 MiB at a time.
// Goal: (a) and (b) at least 100,000 images/s.
#include <fcntl.h>
#include <lmdb.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "stats/readers/image_folder_reader.h"
#include "stats/readers/lmdb_reader.h"
#include "stats/readers/tar_reader.h"
#include "stats/readers/tar_test_archive.h"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

const fs::path kBenchDir = fs::path(__FILE__).parent_path();

struct Args {
  std::string dir = "bench/cache/containers";  // run from the checkout
  std::string source = "/work/shared/datasets/ic15_words_train/images";
  size_t images = 100000;
  int threads = 2;
  int rounds = 3;
};

constexpr size_t kShardImages = 10000;

double Seconds(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

double CpuSeconds() {
  struct rusage ru {};
  ::getrusage(RUSAGE_SELF, &ru);
  auto s = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  return s(ru.ru_utime) + s(ru.ru_stime);
}

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

bool WriteLmdb(const std::string& dir, const std::vector<std::string>& images, size_t n) {
  fs::create_directories(dir);
  MDB_env* env = nullptr;
  MDB_txn* txn = nullptr;
  MDB_dbi dbi = 0;
  if (mdb_env_create(&env) != 0 || mdb_env_set_mapsize(env, size_t{16} << 30) != 0 ||
      mdb_env_open(env, dir.c_str(), MDB_NOSYNC, 0644) != 0 ||
      mdb_txn_begin(env, nullptr, 0, &txn) != 0 || mdb_dbi_open(txn, nullptr, 0, &dbi) != 0)
    return false;
  auto put = [&](const std::string& key, const std::string& value) {
    MDB_val k{key.size(), const_cast<char*>(key.data())};
    MDB_val v{value.size(), const_cast<char*>(value.data())};
    return mdb_put(txn, dbi, &k, &v, 0) == 0;
  };
  for (size_t i = 1; i <= n; ++i) {
    if (!put(autoscale::LmdbImageKey(i), images[(i - 1) % images.size()])) return false;
    if (!put("label-" + autoscale::LmdbImageKey(i).substr(6), "word")) return false;
  }
  if (!put("num-samples", std::to_string(n))) return false;
  const bool ok = mdb_txn_commit(txn) == 0;
  mdb_env_close(env);
  return ok;
}

bool WriteTars(const std::string& dir, const std::vector<std::string>& images, size_t n) {
  fs::create_directories(dir);
  for (size_t first = 0; first < n; first += kShardImages) {
    char name[32];
    std::snprintf(name, sizeof name, "shard-%03zu.tar", first / kShardImages);
    std::ofstream out(fs::path(dir) / name, std::ios::binary);
    for (size_t i = first; i < std::min(n, first + kShardImages); ++i) {
      char key[32];
      std::snprintf(key, sizeof key, "%09zu", i);
      out << autoscale::tar_test::TarMemberBytes(std::string(key) + ".png",
                                                 images[i % images.size()])
          << autoscale::tar_test::TarMemberBytes(std::string(key) + ".txt", "word");
    }
    out << std::string(1024, '\0');
    if (!out) return false;
  }
  return true;
}

// Builds what is missing; a marker file says a container is complete.
bool Build(
    const std::string& path, size_t n, const std::vector<std::string>& images,
    const std::function<bool(const std::string&, const std::vector<std::string>&, size_t)>& write) {
  const std::string marker = path + ".complete";
  if (fs::exists(marker)) return true;
  std::printf("building %s (%zu images)\n", path.c_str(), n);
  std::error_code ec;
  fs::remove_all(path, ec);
  if (!write(path, images, n)) return false;
  std::ofstream(marker) << n << "\n";
  return true;
}

// Reads every file under `path` once through read(2), 1 MiB at a time.
uint64_t PlainRead(const std::string& path) {
  std::vector<fs::path> files;
  if (fs::is_directory(path)) {
    for (const auto& e : fs::recursive_directory_iterator(path))
      if (e.is_regular_file()) files.push_back(e.path());
  } else {
    files.push_back(path);
  }
  std::vector<char> buf(1 << 20);
  uint64_t bytes = 0;
  for (const fs::path& f : files) {
    const int fd = ::open(f.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;
    for (ssize_t r; (r = ::read(fd, buf.data(), buf.size())) > 0;)
      bytes += static_cast<uint64_t>(r);
    ::close(fd);
  }
  return bytes;
}

using Reader = autoscale::Status (*)(const std::string&, const autoscale::ModelSpace&,
                                     const autoscale::ReadOptions&, autoscale::Profile*);

autoscale::ModelSpace Space() {
  autoscale::InputShape shape;
  shape.dims = {-1, 3, 48, -1};
  return autoscale::ModelSpace(shape, 1280);
}

autoscale::Profile Run(Reader reader, const std::string& path, int threads) {
  const autoscale::ModelSpace space = Space();
  autoscale::Profile p = space.NewProfile();
  autoscale::ReadOptions options;
  options.threads = threads;
  autoscale::Status s = reader(path, space, options, &p);
  if (!s.ok()) {
    std::fprintf(stderr, "containers_bench: %s\n", s.message().c_str());
    std::exit(1);
  }
  return p;
}

bool Same(const autoscale::Profile& a, const autoscale::Profile& b) {
  return a.samples() == b.samples() && a.dataset.images == b.dataset.images;
}

struct Timing {
  double reader = 1e9, reader_cpu = 1e9, plain = 1e9;
  uint64_t images = 0, bytes = 0;
};

Timing Time(Reader reader, const std::string& path, const std::string& plain_path, const Args& a) {
  Timing t;
  for (int r = 0; r < a.rounds; ++r) {
    const double cpu = CpuSeconds();
    auto start = Clock::now();
    t.images = Run(reader, path, a.threads).dataset.images;
    t.reader = std::min(t.reader, Seconds(start));
    t.reader_cpu = std::min(t.reader_cpu, CpuSeconds() - cpu);
    start = Clock::now();
    t.bytes = PlainRead(plain_path);
    t.plain = std::min(t.plain, Seconds(start));
  }
  return t;
}

void Print(const char* name, const Timing& t, int threads) {
  const double n = static_cast<double>(t.images);
  std::printf(
      "%s, %d threads: %9.0f images/s  %5.2f us CPU/image   plain read: %9.0f images/s "
      "(%.0f MB/s of %.0f MB)   reader / plain = %.2f   goal >= 100,000 images/s: %s\n",
      name, threads, n / t.reader, t.reader_cpu / n * 1e6, n / t.plain, t.bytes / 1e6 / t.plain,
      t.bytes / 1e6, t.plain / t.reader, n / t.reader >= 100000 ? "met" : "MISSED");
}

bool ParseArgs(int argc, char** argv, Args* a) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string arg = argv[i], value = argv[i + 1];
    if (arg == "--dir")
      a->dir = value;
    else if (arg == "--images")
      a->images = std::stoul(value);
    else if (arg == "--source")
      a->source = value;
    else if (arg == "--threads")
      a->threads = std::stoi(value);
    else if (arg == "--rounds")
      a->rounds = std::stoi(value);
    else
      return false;
  }
  return argc % 2 == 1 && a->images > 0 && a->threads > 0 && a->rounds > 0;
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  if (!ParseArgs(argc, argv, &a)) {
    std::fprintf(stderr,
                 "usage: containers_bench [--dir DIR] [--images N] [--source DIR] "
                 "[--threads T] [--rounds R]\n");
    return 2;
  }
  std::vector<fs::path> sources;
  for (const auto& e : fs::directory_iterator(a.source))
    if (e.is_regular_file() && autoscale::HasImageExtension(e.path().string()))
      sources.push_back(e.path());
  std::sort(sources.begin(), sources.end());
  if (sources.empty()) {
    std::fprintf(stderr, "containers_bench: no image in %s\n", a.source.c_str());
    return 1;
  }
  std::vector<std::string> images;
  for (const fs::path& p : sources) images.push_back(ReadAll(p));
  const std::string n = std::to_string(a.images);
  const std::string lmdb = a.dir + "/lmdb_" + n, tar = a.dir + "/tar_" + n;
  const std::string lmdb_src = a.dir + "/lmdb_src", tar_src = a.dir + "/tar_src";
  if (!Build(lmdb, a.images, images, WriteLmdb) || !Build(tar, a.images, images, WriteTars) ||
      !Build(lmdb_src, images.size(), images, WriteLmdb) ||
      !Build(tar_src, images.size(), images, WriteTars)) {
    std::fprintf(stderr, "containers_bench: cannot write into %s\n", a.dir.c_str());
    return 1;
  }
  PlainRead(lmdb);  // warm the page cache
  PlainRead(tar);

  // The same images, three ways: one profile.
  const autoscale::Profile folder = Run(autoscale::ReadImageFolder, a.source, a.threads);
  const bool lmdb_same = Same(Run(autoscale::ReadLmdbDataset, lmdb_src, a.threads), folder);
  const bool tar_same = Same(Run(autoscale::ReadTarShards, tar_src, a.threads), folder);
  std::printf("%s: %llu images; the LMDB of them gives %s profile, the tar shards %s\n",
              a.source.c_str(), static_cast<unsigned long long>(folder.dataset.images),
              lmdb_same ? "the same" : "ANOTHER", tar_same ? "the same" : "ANOTHER");

  const Timing tl = Time(autoscale::ReadLmdbDataset, lmdb, lmdb + "/data.mdb", a);
  const Timing tt = Time(autoscale::ReadTarShards, tar, tar, a);
  std::printf("wall clock, best of %d, warm cache:\n", a.rounds);
  Print("(a) ReadLmdbDataset", tl, a.threads);
  Print("(b) ReadTarShards   ", tt, a.threads);
  const bool met = tl.images / tl.reader >= 100000 && tt.images / tt.reader >= 100000;
  return met && lmdb_same && tar_same ? 0 : 1;
}
