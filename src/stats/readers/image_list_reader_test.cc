#include "stats/readers/image_list_reader.h"

#include <catch2/catch.hpp>
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

// Word crops in dir/images: (rows, cols) of each.
const std::pair<int, int> kCrops[] = {{32, 100}, {48, 48}, {20, 300}, {64, 90}};

std::string WriteCrops(const TempDir& dir) {
  for (size_t i = 0; i < 4; ++i)
    WriteFile(dir.File("images/w" + std::to_string(i) + ".png"),
              EncodedImage(kCrops[i].first, kCrops[i].second));
  return dir.File("images");
}

Profile FolderProfile(const std::string& folder, const ModelSpace& space) {
  Profile p = space.NewProfile();
  REQUIRE(ReadImageFolder(folder, space, ReadOptions(), &p).ok());
  return p;
}

TEST_CASE("a rec label file gives the sizes of the images it lists", "[image_list]") {
  TempDir dir;
  const std::string images = WriteCrops(dir);
  const std::string label = dir.File("rec_label.txt");
  WriteFile(label,
            "\xEF\xBB\xBFimages/w0.png\tGenaxis Theatre\r\n"
            "images/w1.png\t[06]\n\n"
            "images/w2.png\t\n"
            "images/w3.png\ta\tb\n");
  const ModelSpace space = RecognitionSpace();
  Profile p = space.NewProfile();
  REQUIRE(ReadImageList(label, ImageListFormat::kRecLabels, space, ReadOptions(), &p).ok());
  CHECK(p.dataset.images == 4);
  CHECK(p.dataset.skipped.Total() == 0);
  CHECK(SameSamples(p, FolderProfile(images, space)));

  SECTION("lines cut across tiny chunks give the same profile") {
    LineChunking chunking;
    chunking.chunk_bytes = 7;
    ReadOptions threads;
    threads.threads = 3;
    Profile q = space.NewProfile();
    REQUIRE(ReadImageList(label, ImageListFormat::kRecLabels, space, threads, chunking, &q).ok());
    CHECK(q == p);
  }
}

TEST_CASE("missing images are counted and named with their line", "[image_list]") {
  TempDir dir;
  WriteCrops(dir);
  const std::string label = dir.File("rec_label.txt");
  WriteFile(label,
            "images/w0.png\tx\n"
            "images/gone.png\ty\n"
            "no tab here\n"
            "images/w1.png\tz\n"
            "rec_label.txt\tnot an image\n");
  const ModelSpace space = RecognitionSpace();
  Profile p = space.NewProfile();
  REQUIRE(ReadImageList(label, ImageListFormat::kRecLabels, space, ReadOptions(), &p).ok());
  CHECK(p.dataset.images == 2);
  CHECK(p.dataset.skipped.missing_file == 1);
  CHECK(p.dataset.skipped.bad_line == 1);
  CHECK(p.dataset.skipped.corrupt == 1);
  REQUIRE(p.dataset.warnings.size() == 3);
  CHECK(p.dataset.warnings[0].where == label + ":2");
  CHECK(p.dataset.warnings[0].message ==
        "image '" + dir.path() + "/images/gone.png': no such file");
  CHECK(p.dataset.warnings[1].where == label + ":3");
  CHECK(p.dataset.warnings[1].message == "no tab between the image path and the text");
  CHECK(p.dataset.warnings[2].where == label + ":5");
}

TEST_CASE("a listed path too long to open is counted as path_too_long", "[image_list]") {
  TempDir dir;
  WriteCrops(dir);
  const std::string label = dir.File("rec_label.txt");
  std::string deep;
  while (deep.size() < 5000) deep += "abcdefghij/";
  WriteFile(label, "images/w0.png\tx\n" + deep + "w.png\ty\n");
  const ModelSpace space = RecognitionSpace();
  Profile p = space.NewProfile();
  REQUIRE(ReadImageList(label, ImageListFormat::kRecLabels, space, ReadOptions(), &p).ok());
  CHECK(p.dataset.images == 1);
  CHECK(p.dataset.skipped.path_too_long == 1);
  CHECK(p.dataset.skipped.Total() == 1);
  REQUIRE(p.dataset.warnings.size() == 1);
  CHECK(p.dataset.warnings[0].where == label + ":2");
}

TEST_CASE("image_root: the folder relative paths are taken from", "[image_list]") {
  TempDir dir;
  WriteCrops(dir);
  const std::string label = dir.File("labels/rec.txt");
  WriteFile(label, "w0.png\tx\nw1.png\ty\n" + dir.path() + "/images/w2.png\tabsolute\n");
  const ModelSpace space = RecognitionSpace();
  ReadOptions options;
  Profile beside = space.NewProfile();
  auto no_root = ReadImageList(label, ImageListFormat::kRecLabels, space, options, &beside);
  REQUIRE(no_root.ok());  // the absolute path is still found
  CHECK(beside.dataset.images == 1);
  CHECK(beside.dataset.skipped.missing_file == 2);
  options.image_root = dir.path() + "/images";
  Profile p = space.NewProfile();
  REQUIRE(ReadImageList(label, ImageListFormat::kRecLabels, space, options, &p).ok());
  CHECK(p.dataset.images == 3);
  CHECK(p.dataset.skipped.Total() == 0);
}

TEST_CASE("a det label file read as images: one sample per listed image", "[image_list]") {
  TempDir dir;
  const std::string images = WriteCrops(dir);
  const std::string label = dir.File("det_label.txt");
  const std::string box = "[{\"transcription\": \"x\", \"points\": [[0,0],[9,0],[9,5],[0,5]]}]";
  WriteFile(label, "images/w0.png\t" + box + "\nimages/w1.png\t[]\nimages/w2.png\t" + box +
                       "\nimages/w3.png\t" + box + "\nimages/w3.png\t[{\"points\": 3}]\n");
  const ModelSpace space = reader_test::DetectionSpace();
  Profile p = space.NewProfile();
  REQUIRE(ReadImageList(label, ImageListFormat::kDetLabels, space, ReadOptions(), &p).ok());
  CHECK(p.dataset.images == 4);
  CHECK(p.dataset.boxes == 0);
  CHECK(p.dataset.skipped.bad_line == 1);  // the same lines are malformed as when read as boxes
  CHECK(SameSamples(p, FolderProfile(images, space)));
}

TEST_CASE("a label file with no readable image is an error with the counts", "[image_list]") {
  TempDir dir;
  const std::string label = dir.File("rec.txt");
  WriteFile(label, "a.png\tx\nb.png\ty\n");
  const ModelSpace space = RecognitionSpace();
  Profile p = space.NewProfile();
  Status s = ReadImageList(label, ImageListFormat::kRecLabels, space, ReadOptions(), &p);
  REQUIRE(!s.ok());
  CHECK(s.message() == label +
                           ": no listed image could be read: 2 missing, 0 unreadable, 0 "
                           "malformed lines; first: " +
                           label + ":1: image '" + dir.path() + "/a.png': no such file");
  WriteFile(label, "");
  s = ReadImageList(label, ImageListFormat::kRecLabels, space, ReadOptions(), &p);
  CHECK(s.message() == label + ": no listed image could be read: the file is empty");
}

TEST_CASE("rec label lines and paths", "[image_list]") {
  std::string_view image;
  std::string error;
  CHECK(ParseRecLabelLine("a/b.jpg\ttext\twith tab", &image, &error));
  CHECK(image == "a/b.jpg");
  CHECK(!ParseRecLabelLine("\ttext", &image, &error));
  CHECK(error == "no image path before the tab");
  CHECK(LooksLikeRecLabelLine("word_1.png\tGenaxis Theatre"));
  CHECK(!LooksLikeRecLabelLine("img.jpg\t[{\"points\": []}]"));
  CHECK(!LooksLikeRecLabelLine("notes.txt\tsomething"));
  CHECK(ResolveListedImage("/d/label.txt", "", "x.png") == "/d/x.png");
  CHECK(ResolveListedImage("label.txt", "", "x.png") == "./x.png");
  CHECK(ResolveListedImage("/d/label.txt", "/root/", "x.png") == "/root/x.png");
  CHECK(ResolveListedImage("/d/label.txt", "/root", "/abs/x.png") == "/abs/x.png");
}

}  // namespace
}  // namespace autoscale
