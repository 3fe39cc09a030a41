#include "stats/readers/lmdb_reader.h"

#include <catch2/catch.hpp>
#include <map>
#include <string>

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
using reader_test::WriteLmdb;

using Entries = std::map<std::string, std::string>;

// n word crops as PaddleOCR writes them, 1-based; the same images in
// dir/folder.
Entries Crops(const TempDir& dir, int n, const std::string& tag) {
  Entries e{{"num-samples", std::to_string(n)}};
  for (int i = 1; i <= n; ++i) {
    const std::string image = EncodedImage(20 + i % 17, 30 + 11 * i, i % 2 ? ".png" : ".jpg");
    e[LmdbImageKey(i)] = image;
    e["label-" + LmdbImageKey(i).substr(6)] = "word";
    WriteFile(dir.File("folder/" + tag + std::to_string(i) + (i % 2 ? ".png" : ".jpg")), image);
  }
  return e;
}

Profile Read(const std::string& path, int threads, Status* status = nullptr) {
  const ModelSpace space = RecognitionSpace();
  Profile p = space.NewProfile();
  ReadOptions options;
  options.threads = threads;
  Status s = ReadLmdbDataset(path, space, options, &p);
  if (status)
    *status = s;
  else
    REQUIRE(s.ok());
  return p;
}

Profile Folder(const TempDir& dir) {
  const ModelSpace space = RecognitionSpace();
  Profile p = space.NewProfile();
  REQUIRE(ReadImageFolder(dir.File("folder"), space, ReadOptions(), &p).ok());
  return p;
}

TEST_CASE("an LMDB gives the profile of the same images in a folder", "[lmdb]") {
  TempDir dir;
  WriteLmdb(dir.File("lmdb"), Crops(dir, 40, "a"));
  for (int threads : {1, 2, 3}) {
    CAPTURE(threads);
    Profile p = Read(dir.File("lmdb"), threads);
    CHECK(p.dataset.images == 40);
    CHECK(p.dataset.skipped.Total() == 0);
    CHECK(SameSamples(p, Folder(dir)));
  }
  CHECK(Read(dir.File("lmdb/data.mdb"), 2).dataset.images == 40);
}

TEST_CASE("LMDBs in sub-folders are read one after another", "[lmdb]") {
  TempDir dir;
  WriteLmdb(dir.File("root/train/b"), Crops(dir, 5, "b"));
  WriteLmdb(dir.File("root/train/a"), Crops(dir, 9, "a"));
  auto envs = ListLmdbEnvironments(dir.File("root"));
  REQUIRE(envs.ok());
  CHECK(*envs == std::vector<std::string>{dir.File("root/train/a"), dir.File("root/train/b")});
  Profile p = Read(dir.File("root"), 2);
  CHECK(p.dataset.images == 14);
  CHECK(SameSamples(p, Folder(dir)));
}

TEST_CASE("num-samples is honoured and missing or corrupt entries are counted and named",
          "[lmdb]") {
  TempDir dir;
  Entries e = Crops(dir, 6, "a");
  e["num-samples"] = "8";                          // two more than there are...
  e[LmdbImageKey(3)] = "\x89PNG\r\n\x1a\nbroken";  // one corrupt
  e[LmdbImageKey(9)] = EncodedImage(10, 10);       // and one past the count, unread
  const std::string lmdb = dir.File("lmdb");
  WriteLmdb(lmdb, e);
  Profile p = Read(lmdb, 2);
  CHECK(p.dataset.images == 5);
  CHECK(p.dataset.skipped.corrupt == 3);
  REQUIRE(p.dataset.warnings.size() == 3);
  CHECK(p.dataset.warnings[0].where == lmdb + ":image-000000003");
  CHECK(p.dataset.warnings[0].message.find("corrupt PNG: ") == 0);
  CHECK(p.dataset.warnings[1].where == lmdb + ":image-000000007");
  CHECK(p.dataset.warnings[1].message == "missing (num-samples is 8)");
  CHECK(p.dataset.warnings[2].where == lmdb + ":image-000000008");
}

TEST_CASE("LMDB errors name the path and say why", "[lmdb]") {
  TempDir dir;
  Status s;
  WriteLmdb(dir.File("none"), {{"image-000000001", EncodedImage(4, 4)}});
  Read(dir.File("none"), 1, &s);
  CHECK(s.message() == dir.File("none") + ": no num-samples key");
  WriteLmdb(dir.File("text"), {{"num-samples", "12a"}});
  Read(dir.File("text"), 1, &s);
  CHECK(s.message() == dir.File("text") + ": num-samples is not a count");
  // A count far above the keys held is refused at once, not looked up key by key.
  WriteLmdb(dir.File("huge"),
            {{"num-samples", "3888888888888888"}, {"image-000000001", EncodedImage(4, 4)}});
  Read(dir.File("huge"), 1, &s);
  CHECK(s.message() ==
        dir.File("huge") + ": num-samples is 3888888888888888 but the LMDB holds only 2 keys");
  WriteLmdb(dir.File("zero"), {{"num-samples", "0"}});
  Read(dir.File("zero"), 1, &s);
  CHECK(s.message() == dir.File("zero") + ": no readable image in the LMDB: 0 entries unreadable");
  std::filesystem::create_directories(dir.File("plain"));
  Read(dir.File("plain"), 1, &s);
  CHECK(s.message() == dir.File("plain") + ": no LMDB (data.mdb) in the folder");
  WriteFile(dir.File("fake/data.mdb"), "not an lmdb");
  Read(dir.File("fake"), 1, &s);
  CHECK(s.message().find(dir.File("fake") + ": cannot open the LMDB: ") == 0);
}

TEST_CASE("num-samples values and image keys", "[lmdb]") {
  uint64_t n = 0;
  CHECK((ParseNumSamples("4468", &n) && n == 4468));
  CHECK((ParseNumSamples(" 12\n", &n) && n == 12));
  CHECK(!ParseNumSamples("", &n));
  CHECK(!ParseNumSamples("-1", &n));
  CHECK(!ParseNumSamples("99999999999999999999999", &n));
  CHECK(LmdbImageKey(1) == "image-000000001");
  CHECK(LmdbImageKey(1234567890) == "image-1234567890");
}

}  // namespace
}  // namespace autoscale
