#include "stats/readers/image_folder_reader.h"

#include "support/run_binary.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <atomic>
#include <filesystem>
#include <future>
#include <iostream>
#include <mutex>
#include <sstream>
#include <thread>
#include <map>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <string>
#include <vector>

namespace autoscale {
namespace {

namespace fs = std::filesystem;

using test::TempDir;

// `relative` under `dir`, its folders created.
std::string PathIn(const TempDir& dir, const std::string& relative) {
  const std::string path = dir / relative;
  fs::create_directories(fs::path(path).parent_path());
  return path;
}

void WriteBytes(const std::string& path, const std::string& bytes) {
  test::WriteTextFile(path, bytes);
}

void WriteImage(const std::string& path, int rows, int cols, int type = CV_8UC3) {
  cv::Mat m(rows, cols, type);
  cv::randu(m, 0, 255);
  REQUIRE(cv::imwrite(path, m));
}

// A JPEG whose APP1 EXIF block says orientation 6 (rotate 90 degrees).
void WriteRotatedJpeg(const std::string& path, int rows, int cols) {
  WriteImage(path, rows, cols);
  const std::string jpeg = test::ReadTextFile(path);
  const std::string exif("Exif\0\0II*\0\x08\0\0\0\x01\0\x12\x01\x03\0\x01\0\0\0\x06\0\0\0\0\0\0\0",
                         32);
  std::string app1 = "\xFF\xE1";
  app1 += static_cast<char>(0);
  app1 += static_cast<char>(exif.size() + 2);
  WriteBytes(path, jpeg.substr(0, 2) + app1 + exif + jpeg.substr(2));
}

const unsigned char kGif5x3[] = {0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x05, 0x00, 0x03, 0x00, 0x80,
                                 0x00, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0x2C, 0x00, 0x00,
                                 0x00, 0x00, 0x05, 0x00, 0x03, 0x00, 0x00, 0x02, 0x09, 0x04, 0x08,
                                 0x10, 0x20, 0x40, 0x80, 0x00, 0x01, 0xA2, 0x00, 0x3B};

// Raw sizes: a dynamic H and W with a limit no image reaches.
ModelSpace RawSpace() {
  InputShape shape;
  shape.dims = {1, 3, -1, -1};
  return ModelSpace(shape, 1 << 20);
}

Profile Read(const std::string& dir, int threads, Status* status = nullptr) {
  ModelSpace space = RawSpace();
  Profile p = space.NewProfile();
  ReadOptions options;
  options.threads = threads;
  Status s = ReadImageFolder(dir, space, options, &p);
  if (status)
    *status = s;
  else
    REQUIRE(s.ok());
  return p;
}

std::map<std::pair<int64_t, int64_t>, uint64_t> Sizes(const Profile& p) {
  std::map<std::pair<int64_t, int64_t>, uint64_t> out;
  for (const auto& [k, n] : p.samples()) out[{k.h, k.w}] += n;
  return out;
}

TEST_CASE("a nested folder: sizes, skipped files and warnings in traversal order",
          "[image_folder]") {
  TempDir dir;
  WriteImage(PathIn(dir, "a.jpg"), 37, 91);
  WriteImage(PathIn(dir, "b.png"), 20, 10);
  WriteBytes(PathIn(dir, "c.txt"), "hello\n");
  WriteBytes(PathIn(dir, "empty.jpg"), "");
  WriteBytes(PathIn(dir, "notes.jpg"), "this is text, not a JPEG\n");
  WriteImage(PathIn(dir, "sub/d.bmp"), 5, 7);
  WriteImage(PathIn(dir, "sub/e.webp"), 9, 11);
  WriteRotatedJpeg(PathIn(dir, "sub/rotated.jpg"), 37, 91);
  WriteImage(PathIn(dir, "sub/deeper/f.tif"), 13, 17);
  WriteImage(PathIn(dir, "sub/deeper/g.ppm"), 6, 8);
  WriteImage(PathIn(dir, "sub/deeper/truncated.png"), 30, 30);
  const std::string png = test::ReadTextFile(PathIn(dir, "sub/deeper/truncated.png"));
  WriteBytes(PathIn(dir, "sub/deeper/truncated.png"), png.substr(0, png.size() / 2));
  WriteBytes(PathIn(dir, "sub/deeper/data.bin"), std::string("\x01\x02\x03 binary", 10));
  WriteBytes(PathIn(dir, "z.gif"),
             std::string(reinterpret_cast<const char*>(kGif5x3), sizeof kGif5x3));

  const Profile p = Read(dir.path(), 1);
  CHECK(p.dataset.type == "images");
  CHECK(p.dataset.path == dir.path());
  CHECK(p.dataset.images == 8);
  CHECK(p.dataset.skipped.non_image == 2);
  CHECK(p.dataset.skipped.corrupt == 3);
  const std::map<std::pair<int64_t, int64_t>, uint64_t> expected = {
      {{37, 91}, 1}, {{20, 10}, 1}, {{5, 7}, 1}, {{9, 11}, 1},
      {{91, 37}, 1}, {{13, 17}, 1}, {{6, 8}, 1}, {{3, 5}, 1}};
  CHECK(Sizes(p) == expected);

  // Traversal: a b c empty notes sub/{d deeper/{data f g truncated} e rotated} z.
  REQUIRE(p.dataset.warnings.size() == 3);
  CHECK(p.dataset.warnings_total == 3);
  CHECK(p.dataset.warnings[0].order == 3);
  CHECK(p.dataset.warnings[0].where == PathIn(dir, "empty.jpg"));
  CHECK(p.dataset.warnings[0].message == "empty file");
  CHECK(p.dataset.warnings[1].order == 4);
  CHECK(p.dataset.warnings[1].where == PathIn(dir, "notes.jpg"));
  CHECK(p.dataset.warnings[2].order == 9);
  CHECK(p.dataset.warnings[2].where == PathIn(dir, "sub/deeper/truncated.png"));
  CHECK(p.dataset.warnings[2].message.find("corrupt PNG") == 0);

  CHECK(Read(dir.path(), 4) == p);
  CHECK(Read(dir.path(), 0) == p);
}

TEST_CASE("many files across batches: same profile and first warnings for any thread count",
          "[image_folder]") {
  TempDir dir;
  const std::string jpeg = [&] {
    WriteImage(PathIn(dir, "seed.jpg"), 4, 6);
    std::string b = test::ReadTextFile(PathIn(dir, "seed.jpg"));
    fs::remove(PathIn(dir, "seed.jpg"));
    return b;
  }();
  int corrupt = 0;
  for (int i = 0; i < 700; ++i) {
    char name[64];
    std::snprintf(name, sizeof name, "part%d/img%04d.jpg", i % 3, i);
    if (i % 7 == 3) {
      WriteBytes(PathIn(dir, name), jpeg.substr(0, 20));
      ++corrupt;
    } else {
      WriteBytes(PathIn(dir, name), jpeg);
    }
  }
  const Profile one = Read(dir.path(), 1);
  CHECK(one.dataset.images == 700u - corrupt);
  CHECK(one.dataset.skipped.corrupt == static_cast<uint64_t>(corrupt));
  CHECK(one.dataset.warnings_total == static_cast<uint64_t>(corrupt));
  REQUIRE(one.dataset.warnings.size() == DatasetInfo::kMaxWarnings);
  // The first warning is the first corrupt file of the first folder in order.
  CHECK(one.dataset.warnings[0].where == PathIn(dir, "part0/img0003.jpg"));
  CHECK(one.dataset.warnings[0].order == 1);
  for (size_t i = 1; i < one.dataset.warnings.size(); ++i)
    CHECK(one.dataset.warnings[i - 1].order < one.dataset.warnings[i].order);
  CHECK(Read(dir.path(), 2) == one);
  CHECK(Read(dir.path(), 4) == one);
}

// Holds the scan at its first progress report until `release` is set, and
// records what std::cerr looked like from inside the scan.
class HoldingSink : public ProgressSink {
 public:
  explicit HoldingSink(std::shared_future<void> release) : release_(std::move(release)) {}
  void Begin(const std::string& what, uint64_t total) override {
    what_ = what;
    total_ = total;
    began_.set_value();
  }
  void Advance(uint64_t n) override {
    if (!held_.exchange(true)) release_.wait();
    advanced_ += n;
    std::lock_guard<std::mutex> lock(mutex_);
    cerr_states_.push_back(std::cerr.rdstate());
    cerr_bufs_.push_back(std::cerr.rdbuf());
  }
  void End() override { ended_ = true; }

  std::future<void> began() { return began_.get_future(); }

  std::string what_;
  uint64_t total_ = 0;
  std::atomic<uint64_t> advanced_{0};
  std::atomic<bool> ended_{false};
  std::mutex mutex_;
  std::vector<std::ios::iostate> cerr_states_;
  std::vector<std::streambuf*> cerr_bufs_;

 private:
  std::promise<void> began_;
  std::shared_future<void> release_;
  std::atomic<bool> held_{false};
};

// Points std::cerr at a string while it lives.
class CapturedCerr {
 public:
  CapturedCerr() : saved_(std::cerr.rdbuf(&captured_)) {}
  ~CapturedCerr() { std::cerr.rdbuf(saved_); }
  std::string text() const { return captured_.str(); }
  std::streambuf* buf() { return &captured_; }

 private:
  std::stringbuf captured_;
  std::streambuf* saved_;
};

TEST_CASE("a scan leaves std::cerr alone: lines another thread writes meanwhile arrive",
          "[image_folder]") {
  TempDir dir;
  const std::string gif(reinterpret_cast<const char*>(kGif5x3), sizeof kGif5x3);
  for (int i = 0; i < 600; ++i) WriteBytes(PathIn(dir, "g" + std::to_string(i) + ".gif"), gif);

  CapturedCerr cerr;
  std::promise<void> release;
  HoldingSink sink(release.get_future().share());
  std::future<void> began = sink.began();
  std::thread writer([&] {
    began.wait();  // the scan is under way and held at its first report
    for (int i = 0; i < 50; ++i) std::cerr << "job line " << i << "\n";
    release.set_value();
  });
  ModelSpace space = RawSpace();
  Profile p = space.NewProfile();
  ReadOptions options;
  options.threads = 2;
  options.progress = &sink;
  const Status s = ReadImageFolder(dir.path(), space, options, &p);
  writer.join();
  REQUIRE(s.ok());
  CHECK(p.dataset.images == 600u);

  std::string expected;
  for (int i = 0; i < 50; ++i) expected += "job line " + std::to_string(i) + "\n";
  CHECK(cerr.text() == expected);
  CHECK(std::cerr.rdstate() == std::ios::goodbit);
  CHECK(std::cerr.rdbuf() == cerr.buf());
  REQUIRE_FALSE(sink.cerr_states_.empty());
  for (std::ios::iostate state : sink.cerr_states_) CHECK(state == std::ios::goodbit);
  for (std::streambuf* buf : sink.cerr_bufs_) CHECK(buf == cerr.buf());
  // Progress went to the sink: every file, in "files", then the end.
  CHECK(sink.what_ == "files");
  CHECK(sink.advanced_ == 600u);
  CHECK(sink.ended_);
}

TEST_CASE("formats only OpenCV reads go through cv::imread", "[image_folder]") {
  TempDir dir;
  int checked = 0;
  for (const char* ext : {".ppm", ".pgm", ".pbm", ".pam", ".pfm", ".sr", ".ras", ".hdr", ".jp2"}) {
    const std::string path = PathIn(dir, std::string("x") + ext);
    const std::string e = ext;
    const int type = e == ".pgm" || e == ".pbm"   ? CV_8UC1
                     : e == ".pfm" || e == ".hdr" ? CV_32FC3
                                                  : CV_8UC3;
    cv::Mat m(37, 91, type);
    cv::randu(m, 0, 1);
    bool written = false;
    try {
      written = cv::imwrite(path, m);
    } catch (const cv::Exception&) {
    }
    if (!written) continue;
    CAPTURE(ext);
    const cv::Mat back = cv::imread(path);
    REQUIRE_FALSE(back.empty());
    const ImageFileInfo info = ReadImageFileSize(path);
    CHECK(info.kind == ImageFileKind::kImage);
    CHECK(info.height == back.rows);
    CHECK(info.width == back.cols);
    ++checked;
  }
  CHECK(checked >= 6);
}

TEST_CASE("single files: empty, text named .jpg, non-image, unknown content", "[image_folder]") {
  TempDir dir;
  WriteBytes(PathIn(dir, "empty.jpg"), "");
  WriteBytes(PathIn(dir, "empty.dat"), "");
  WriteBytes(PathIn(dir, "text.jpg"), "not an image\n");
  WriteBytes(PathIn(dir, "text.md"), "# title\n");
  WriteBytes(PathIn(dir, "fake.ppm"), "P6\n10 10\n255\n");  // no pixels
  CHECK(ReadImageFileSize(PathIn(dir, "empty.jpg")).kind == ImageFileKind::kCorrupt);
  CHECK(ReadImageFileSize(PathIn(dir, "empty.dat")).kind == ImageFileKind::kNonImage);
  const ImageFileInfo text = ReadImageFileSize(PathIn(dir, "text.jpg"));
  CHECK(text.kind == ImageFileKind::kCorrupt);
  CHECK(text.message == "the content is not an image format we know");
  CHECK(ReadImageFileSize(PathIn(dir, "text.md")).kind == ImageFileKind::kNonImage);
  CHECK(ReadImageFileSize(PathIn(dir, "text.md")).message.empty());
  CHECK(ReadImageFileSize(PathIn(dir, "fake.ppm")).kind == ImageFileKind::kCorrupt);
  const ImageFileInfo missing = ReadImageFileSize(PathIn(dir, "missing.png"));
  CHECK(missing.kind == ImageFileKind::kCorrupt);
  CHECK(missing.message.find("cannot open") == 0);
}

TEST_CASE("a header that needs more than the first 4 KiB", "[image_folder]") {
  TempDir dir;
  // A 40 KiB APP2 segment pushes SOF far past the first read; the APP1 EXIF
  // block sits behind it too.
  WriteImage(PathIn(dir, "big.jpg"), 37, 91);
  const std::string jpeg = test::ReadTextFile(PathIn(dir, "big.jpg"));
  const std::string filler(40000, 'x');
  std::string app2 = "\xFF\xE2";
  app2 += static_cast<char>((filler.size() + 2) >> 8);
  app2 += static_cast<char>((filler.size() + 2) & 0xFF);
  const std::string exif("Exif\0\0MM\0*\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01\0\x08\0\0\0\0\0\0",
                         32);
  std::string app1 = "\xFF\xE1";
  app1 += static_cast<char>(0);
  app1 += static_cast<char>(exif.size() + 2);
  WriteBytes(PathIn(dir, "big.jpg"),
             jpeg.substr(0, 2) + app2 + filler + app1 + exif + jpeg.substr(2));
  const cv::Mat back = cv::imread(PathIn(dir, "big.jpg"));
  const ImageFileInfo info = ReadImageFileSize(PathIn(dir, "big.jpg"));
  REQUIRE(info.kind == ImageFileKind::kImage);
  CHECK(info.height == 91);
  CHECK(info.width == 37);
  CHECK(info.height == back.rows);
  CHECK(info.width == back.cols);

  // A large PNG: the chunk walk to IEND crosses many reads.
  WriteImage(PathIn(dir, "big.png"), 300, 500);
  const ImageFileInfo png = ReadImageFileSize(PathIn(dir, "big.png"));
  CHECK(png.kind == ImageFileKind::kImage);
  CHECK(png.height == 300);
  CHECK(png.width == 500);
}

TEST_CASE("symbolic links: files read, folder loops not followed", "[image_folder]") {
  TempDir dir;
  WriteImage(PathIn(dir, "real/a.png"), 3, 4);
  fs::create_symlink(PathIn(dir, "real/a.png"), PathIn(dir, "link.png"));
  fs::create_directory_symlink(dir.path(), PathIn(dir, "real/loop"));
  fs::create_symlink(PathIn(dir, "nowhere.png"), PathIn(dir, "broken.png"));
  const Profile p = Read(dir.path(), 2);
  CHECK(p.dataset.images == 2);
  CHECK(p.dataset.warnings_total == 2);
  bool saw_loop = false, saw_broken = false;
  for (const auto& w : p.dataset.warnings) {
    if (w.where == PathIn(dir, "real/loop")) saw_loop = true;
    if (w.where == PathIn(dir, "broken.png")) saw_broken = true;
  }
  CHECK(saw_loop);
  CHECK(saw_broken);
  CHECK(p.dataset.skipped.link_loop == 1);
  CHECK(p.dataset.skipped.broken_link == 1);
}

TEST_CASE("broken and looping links and paths too long are counted in skipped", "[image_folder]") {
  TempDir dir;
  WriteImage(PathIn(dir, "a.png"), 3, 4);
  fs::create_symlink("self.png", PathIn(dir, "self.png"));  // loops on itself
  fs::create_symlink("ping.png", PathIn(dir, "pong.png"));  // a loop of two
  fs::create_symlink("pong.png", PathIn(dir, "ping.png"));
  fs::create_symlink("missing.png", PathIn(dir, "gone.png"));  // points to nothing
  fs::create_directory_symlink("..", PathIn(dir, "sub/up"));   // leads back up
  // A chain of folders whose full path is longer than PATH_MAX, made one
  // level at a time, with an image at its end.
  const std::string name(200, 'd');
  int fd = ::open(dir.path().c_str(), O_RDONLY | O_DIRECTORY);
  REQUIRE(fd >= 0);
  for (int level = 0; level < 24; ++level) {
    REQUIRE(::mkdirat(fd, name.c_str(), 0700) == 0);
    const int next = ::openat(fd, name.c_str(), O_RDONLY | O_DIRECTORY);
    ::close(fd);
    REQUIRE(next >= 0);
    fd = next;
  }
  const int image = ::openat(fd, "deep.png", O_WRONLY | O_CREAT, 0600);
  REQUIRE(image >= 0);
  ::close(image);
  ::close(fd);

  const Profile p = Read(dir.path(), 2);
  CHECK(p.dataset.images == 1);
  CHECK(p.dataset.skipped.link_loop == 4);
  CHECK(p.dataset.skipped.broken_link == 1);
  CHECK(p.dataset.skipped.path_too_long == 1);
  CHECK(p.dataset.warnings_total == 6);
  const auto j = p.ToJson()["dataset"]["skipped"];
  CHECK(j["link_loop"] == 4);
  CHECK(j["broken_link"] == 1);
  CHECK(j["path_too_long"] == 1);
  // A path too long cannot be removed by name: walk down, then remove upwards.
  std::vector<int> levels = {::open(dir.path().c_str(), O_RDONLY | O_DIRECTORY)};
  for (int level = 0; level < 24; ++level)
    levels.push_back(::openat(levels.back(), name.c_str(), O_RDONLY | O_DIRECTORY));
  ::unlinkat(levels.back(), "deep.png", 0);
  for (size_t level = levels.size() - 1; level > 0; --level) {
    ::close(levels[level]);
    ::unlinkat(levels[level - 1], name.c_str(), AT_REMOVEDIR);
  }
  ::close(levels[0]);
}

// Opens each FIFO for writing and closes it again, which ends a read that
// waits on it, so that a failing test still ends.
void ReleaseFifos(const std::vector<std::string>& fifos) {
  for (const std::string& f : fifos) {
    const int fd = ::open(f.c_str(), O_WRONLY | O_NONBLOCK);
    if (fd >= 0) ::close(fd);
  }
}

TEST_CASE("a FIFO in an image folder is skipped unopened and named in a warning",
          "[image_folder]") {
  TempDir dir;
  WriteImage(PathIn(dir, "a.png"), 3, 4);
  const std::string fifo = PathIn(dir, "sub/pipe.jpg");
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  fs::create_symlink(fifo, PathIn(dir, "link_to_pipe.png"));
  const std::vector<std::string> fifos = {fifo};

  auto scan = std::async(std::launch::async, [&] { return Read(dir.path(), 2); });
  const bool finished = scan.wait_for(std::chrono::seconds(10)) == std::future_status::ready;
  while (scan.wait_for(std::chrono::milliseconds(50)) != std::future_status::ready)
    ReleaseFifos(fifos);
  REQUIRE(finished);
  const Profile p = scan.get();
  CHECK(p.dataset.images == 1);
  CHECK(p.dataset.skipped.non_image == 2);
  CHECK(p.dataset.skipped.corrupt == 0);
  std::map<std::string, std::string> warned;
  for (const auto& w : p.dataset.warnings) warned[w.where] = w.message;
  CHECK(warned[fifo] == "not a regular file (a FIFO): skipped");
  CHECK(warned[PathIn(dir, "link_to_pipe.png")] == "not a regular file (a FIFO): skipped");

  // A path read directly (a file that became a FIFO after the walk).
  auto one = std::async(std::launch::async, [&] { return ReadImageFileSize(fifo); });
  const bool read = one.wait_for(std::chrono::seconds(10)) == std::future_status::ready;
  while (one.wait_for(std::chrono::milliseconds(50)) != std::future_status::ready)
    ReleaseFifos(fifos);
  REQUIRE(read);
  CHECK(one.get().kind == ImageFileKind::kNonImage);
}

TEST_CASE("errors name the folder and say why", "[image_folder]") {
  TempDir dir;
  Status s;
  Read(PathIn(dir, "missing"), 1, &s);
  CHECK_FALSE(s.ok());
  CHECK(s.message().find(PathIn(dir, "missing")) == 0);

  WriteBytes(PathIn(dir, "file.png"), "x");
  Read(PathIn(dir, "file.png"), 1, &s);
  CHECK(s.message() == PathIn(dir, "file.png") + ": not a folder");

  fs::create_directories(PathIn(dir, "empty"));
  Read(PathIn(dir, "empty"), 1, &s);
  CHECK(s.message() ==
        PathIn(dir, "empty") + ": no readable image found (the folder holds no files)");

  WriteBytes(PathIn(dir, "junk/a.txt"), "a");
  WriteBytes(PathIn(dir, "junk/b.jpg"), "b");
  Read(PathIn(dir, "junk"), 1, &s);
  CHECK(s.message() == PathIn(dir, "junk") +
                           ": no readable image found: 2 files skipped (1 not images, 1 corrupt or "
                           "unreadable); first: " +
                           PathIn(dir, "junk/b.jpg") +
                           ": the content is not an image format we know");

  if (::geteuid() != 0) {  // root reads any folder
    fs::create_directories(PathIn(dir, "locked"));
    fs::permissions(PathIn(dir, "locked"), fs::perms::none);
    Read(PathIn(dir, "locked"), 1, &s);
    CHECK(s.message().find("cannot read the folder") != std::string::npos);
    fs::permissions(PathIn(dir, "locked"), fs::perms::owner_all);
  }
}

TEST_CASE("image extensions", "[image_folder]") {
  CHECK(HasImageExtension("a/b.JPG"));
  CHECK(HasImageExtension("x.tiff"));
  CHECK(HasImageExtension("x.webp"));
  CHECK_FALSE(HasImageExtension("x.txt"));
  CHECK_FALSE(HasImageExtension("dir.png/file"));
  CHECK_FALSE(HasImageExtension("png"));
}

}  // namespace
}  // namespace autoscale
