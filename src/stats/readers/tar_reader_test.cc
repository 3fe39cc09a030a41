#include "stats/readers/tar_reader.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "stats/readers/annotation_test_files.h"
#include "stats/readers/image_folder_reader.h"
#include "stats/readers/reader_test_fixtures.h"

namespace autoscale {
namespace {

using annotation_test::RecognitionSpace;
using annotation_test::TempDir;
using annotation_test::WriteFile;
using reader_test::EncodedImage;
using reader_test::SameSamples;
using reader_test::TarArchive;

using Members = std::vector<std::pair<std::string, std::string>>;

// WebDataset samples: an image and its text per key; the same images are
// written into dir/folder too.
Members Samples(const TempDir& dir, int first, int count) {
  Members members;
  for (int i = first; i < first + count; ++i) {
    const std::string key = "s" + std::to_string(i);
    const std::string ext = i % 3 == 0 ? ".jpg" : ".png";
    const std::string image = EncodedImage(16 + i, 40 + 7 * i, ext);
    members.push_back({key + ext, image});
    members.push_back({key + ".txt", "word " + std::to_string(i)});
    WriteFile(dir.File("folder/" + key + ext), image);
  }
  return members;
}

Profile Read(const std::string& path, int threads, Status* status = nullptr) {
  const ModelSpace space = RecognitionSpace();
  Profile p = space.NewProfile();
  ReadOptions options;
  options.threads = threads;
  Status s = ReadTarShards(path, space, options, &p);
  if (status)
    *status = s;
  else
    REQUIRE(s.ok());
  return p;
}

TEST_CASE("tar shards give the profile of the same images in a folder", "[tar]") {
  TempDir dir;
  WriteFile(dir.File("shards/data-000.tar"), TarArchive(Samples(dir, 0, 7)));
  WriteFile(dir.File("shards/data-001.tar"), TarArchive(Samples(dir, 7, 5)));
  WriteFile(dir.File("shards/notes.md"), "not a shard");
  const ModelSpace space = RecognitionSpace();
  Profile folder = space.NewProfile();
  REQUIRE(ReadImageFolder(dir.File("folder"), space, ReadOptions(), &folder).ok());
  for (int threads : {1, 2, 3}) {
    CAPTURE(threads);
    Profile all = Read(dir.File("shards"), threads);
    CHECK(all.dataset.images == 12);
    CHECK(all.dataset.skipped.Total() == 0);  // the .txt members are not counted
    CHECK(SameSamples(all, folder));
    CHECK(SameSamples(Read(dir.File("shards") + "/data-00[01].tar", threads), folder));
  }
  CHECK(Read(dir.File("shards/data-001.tar"), 2).dataset.images == 5);
  CHECK(Read(dir.File("shards") + "/data-*1.tar", 2).dataset.images == 5);
}

TEST_CASE("corrupt image members and broken shards are counted and named", "[tar]") {
  TempDir dir;
  Members members = Samples(dir, 0, 4);
  members.push_back({"bad.png", "\x89PNG\r\n\x1a\n-broken"});
  members.push_back({"empty.jpg", ""});
  std::string tar = TarArchive(members);
  tar.resize(tar.size() - 1024);                      // no end blocks
  tar += reader_test::TarHeader("cut.png", 1 << 20);  // and a member cut short
  const std::string path = dir.File("d.tar");
  WriteFile(path, tar);
  Profile p = Read(path, 2);
  CHECK(p.dataset.images == 4);
  CHECK(p.dataset.skipped.corrupt == 3);
  REQUIRE(p.dataset.warnings.size() == 3);
  CHECK(p.dataset.warnings[0].where == path + ":bad.png");
  CHECK(p.dataset.warnings[0].message.find("corrupt PNG") == 0);
  CHECK(p.dataset.warnings[1].where == path + ":empty.jpg");
  CHECK(p.dataset.warnings[1].message == "empty image");
  CHECK(p.dataset.warnings[2].where == path);
  CHECK(p.dataset.warnings[2].message.find("broken tar, the rest is skipped: member at byte ") ==
        0);
}

TEST_CASE("tar shard errors name the path", "[tar]") {
  TempDir dir;
  Status s;
  Read(dir.File("none") + "/*.tar", 1, &s);
  CHECK(s.message() == dir.File("none") + "/*.tar: the pattern matches no file");
  std::filesystem::create_directories(dir.File("empty"));
  Read(dir.File("empty"), 1, &s);
  CHECK(s.message() == dir.File("empty") + ": the folder holds no *.tar file");
  WriteFile(dir.File("text.tar"), TarArchive({{"a.txt", "x"}}));
  Read(dir.File("text.tar"), 1, &s);
  CHECK(s.message() ==
        dir.File("text.tar") + ": no image in the tar shards: 1 members, none a readable image");
  WriteFile(dir.File("z.tar"), "\x1f\x8b\x08 compressed");
  Read(dir.File("z.tar"), 1, &s);
  CHECK(s.message() == dir.File("z.tar") + ": a gzip-compressed tar; shards must be uncompressed");
}

}  // namespace
}  // namespace autoscale
