#include "stats/readers/dataset_reader.h"

#include <catch2/catch.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include <sys/stat.h>

#include <filesystem>
#include <string>
#include <thread>

#include "stats/readers/annotation_test_files.h"
#include "stats/readers/image_folder_reader.h"
#include "stats/readers/reader_test_fixtures.h"

namespace autoscale {
namespace {

using annotation_test::RecognitionSpace;
using annotation_test::TempDir;
using annotation_test::WriteFile;

const char kGtLine[] = "377,117,463,117,465,130,378,130,Genaxis Theatre\n";
const char kLabelLine[] =
    "a.jpg\t[{\"transcription\": \"x\", \"points\": [[0, 0], [100, 0], [100, 30], [0, 30]]}]\n";

std::string TypeOf(const std::string& path) {
  auto t = DetectDatasetType(path);
  return t.ok() ? DatasetTypeName(*t) : "error: " + t.message();
}

void WritePng(const std::string& path, int rows, int cols) {
  cv::Mat m(rows, cols, CV_8UC3, cv::Scalar(10, 200, 30));
  REQUIRE(cv::imwrite(path, m));
}

TEST_CASE("the dataset type names are one list that parses both ways", "[dataset_reader]") {
  CHECK(DatasetTypeNames() == std::vector<std::string>{"auto", "images", "det_labels", "icdar",
                                                       "rec_labels", "lmdb", "coco", "tar"});
  for (const std::string& name : DatasetTypeNames()) {
    auto parsed = ParseDatasetType(name);
    REQUIRE(parsed.ok());
    CHECK(DatasetTypeName(*parsed) == name);
  }
}

TEST_CASE("dataset type names round-trip", "[dataset_reader]") {
  for (DatasetType t :
       {DatasetType::kAuto, DatasetType::kImages, DatasetType::kDetLabels, DatasetType::kIcdar,
        DatasetType::kRecLabels, DatasetType::kLmdb, DatasetType::kCoco, DatasetType::kTar}) {
    auto parsed = ParseDatasetType(DatasetTypeName(t));
    REQUIRE(parsed.ok());
    CHECK(*parsed == t);
  }
  CHECK(std::string(DatasetTypeName(DatasetType::kDetLabels)) == "det_labels");
  auto bad = ParseDatasetType("voc");
  REQUIRE(!bad.ok());
  CHECK(bad.message() ==
        "--dataset_type 'voc': expected one of auto, images, det_labels, icdar, rec_labels, lmdb, "
        "coco, tar");
}

TEST_CASE("the dataset type is told from the content", "[dataset_reader]") {
  TempDir dir;
  SECTION("a missing path is an error naming it") {
    CHECK(TypeOf(dir.File("nothing")) ==
          "error: " + dir.File("nothing") + ": no such file or directory");
  }
  SECTION("a folder of 8-number gt files is icdar") {
    WriteFile(dir.File("gt/gt_1.txt"), std::string("\xEF\xBB\xBF") + kGtLine);
    WriteFile(dir.File("gt/gt_2.txt"), kGtLine);
    CHECK(TypeOf(dir.File("gt")) == "icdar");
  }
  SECTION("empty gt files are looked past") {
    WriteFile(dir.File("gt/a.csv"), "");
    WriteFile(dir.File("gt/b.csv"), "\r\n\r\n");
    WriteFile(dir.File("gt/c.csv"), std::string("\r\n") + kGtLine);
    CHECK(TypeOf(dir.File("gt")) == "icdar");
  }
  SECTION("the look-ahead reads up to 8 gt files that have a line, in name order") {
    // Seven files of other text, then a gt line in the 8th: still icdar.
    for (int i = 1; i <= 7; ++i) WriteFile(dir.File("d/a" + std::to_string(i) + ".txt"), "notes\n");
    WriteFile(dir.File("d/a8.txt"), kGtLine);
    CHECK(TypeOf(dir.File("d")) == "icdar");
    // Empty files are not counted.
    WriteFile(dir.File("e/a0.txt"), "");
    for (int i = 1; i <= 7; ++i) WriteFile(dir.File("e/a" + std::to_string(i) + ".txt"), "notes\n");
    WriteFile(dir.File("e/a8.txt"), kGtLine);
    CHECK(TypeOf(dir.File("e")) == "icdar");
    // Eight files of other text first: the 9th is not looked at.
    for (int i = 1; i <= 8; ++i) WriteFile(dir.File("f/a" + std::to_string(i) + ".txt"), "notes\n");
    WriteFile(dir.File("f/a9.txt"), kGtLine);
    CHECK(TypeOf(dir.File("f")) == "images");
  }
  SECTION("a folder with images is an image folder even with gt files") {
    WriteFile(dir.File("d/gt_1.txt"), kGtLine);
    WriteFile(dir.File("d/sub/photo.JPG"), "");
    CHECK(TypeOf(dir.File("d")) == "images");
  }
  SECTION("every extension the image reader knows makes an image folder, .png too") {
    for (const char* name : {"a.png", "a.webp", "a.jfif", "a.avif", "a.heic", "a.TIFF"}) {
      CAPTURE(name);
      std::filesystem::remove_all(dir.File("d"));
      WriteFile(dir.File("d/gt_1.txt"), kGtLine);
      WriteFile(dir.File(std::string("d/") + name), "");
      CHECK(HasImageExtension(name));
      CHECK(TypeOf(dir.File("d")) == "images");
    }
    std::filesystem::remove_all(dir.File("d"));
    WriteFile(dir.File("d/gt_1.txt"), kGtLine);
    WriteFile(dir.File("d/a.png.txt"), "");
    CHECK(TypeOf(dir.File("d")) == "icdar");
  }
  SECTION("a folder of other text files is an image folder (whose reader complains)") {
    WriteFile(dir.File("d/notes.txt"), "hello, world\n");
    CHECK(TypeOf(dir.File("d")) == "images");
    std::filesystem::create_directories(dir.File("empty/x"));
    CHECK(TypeOf(dir.File("empty")) == "images");
  }
  SECTION("a file whose first line is path<TAB>[ is a det label file") {
    WriteFile(dir.File("label.txt"), std::string("\xEF\xBB\xBF\r\n\n") + kLabelLine);
    CHECK(TypeOf(dir.File("label.txt")) == "det_labels");
    WriteFile(dir.File("label2.txt"), "x.png\t  []\n");
    CHECK(TypeOf(dir.File("label2.txt")) == "det_labels");
  }
  SECTION("any other file is an error listing what is accepted") {
    WriteFile(dir.File("rec.txt"), "word_1.txt\tGenaxis\n");
    std::string t = TypeOf(dir.File("rec.txt"));
    CHECK(t.find("error: " + dir.File("rec.txt") +
                 ": not a dataset autoscale reads; expected an "
                 "image folder, an ICDAR folder") == 0);
    CHECK(t.find("det label file (image_path<TAB>[{\"points\": ...}] per line)") !=
          std::string::npos);
    WriteFile(dir.File("empty.txt"), "\n\n");
    CHECK(TypeOf(dir.File("empty.txt")).find(": the file has no line to read; expected") !=
          std::string::npos);
  }
}

TEST_CASE("ReadDataset dispatches to the reader and records path and type", "[dataset_reader]") {
  TempDir dir;
  ModelSpace space = RecognitionSpace();
  ReadOptions options;
  SECTION("det labels") {
    WriteFile(dir.File("label.txt"), kLabelLine);
    auto p = ReadDataset(dir.File("label.txt"), DatasetType::kAuto, space, options);
    REQUIRE(p.ok());
    CHECK(p->dataset.type == "det_labels");
    CHECK(p->dataset.path == dir.File("label.txt"));
    CHECK(p->input_shape == space.shape());
    CHECK(p->samples() == std::map<SampleKey, uint64_t>{{{1, 48, 160}, 1}});
  }
  SECTION("icdar, the same box") {
    WriteFile(dir.File("gt/gt_a.txt"), "0,0,100,0,100,30,0,30,x\n");
    auto p = ReadDataset(dir.File("gt"), DatasetType::kAuto, space, options);
    REQUIRE(p.ok());
    CHECK(p->dataset.type == "icdar");
    CHECK(p->dataset.path == dir.File("gt"));
    CHECK(p->samples() == std::map<SampleKey, uint64_t>{{{1, 48, 160}, 1}});
  }
  SECTION("images") {
    WritePng(dir.File("imgs/a.png"), 20, 30);
    auto p = ReadDataset(dir.File("imgs"), DatasetType::kAuto, space, options);
    REQUIRE(p.ok());
    CHECK(p->dataset.type == "images");
    CHECK(p->dataset.path == dir.File("imgs"));
    CHECK(p->dataset.images == 1);
  }
  SECTION("an explicit type is not second-guessed") {
    WriteFile(dir.File("gt/gt_a.txt"), "0,0,100,0,100,30,0,30,x\n");
    auto p = ReadDataset(dir.File("gt"), DatasetType::kDetLabels, space, options);
    REQUIRE(!p.ok());
    CHECK(p.message() == dir.File("gt") + ": is a directory, expected a file");
  }
  SECTION("reader errors come back as they are") {
    WriteFile(dir.File("label.txt"), "a.jpg\t[{]\n");
    auto p = ReadDataset(dir.File("label.txt"), DatasetType::kAuto, space, options);
    REQUIRE(!p.ok());
    CHECK(p.message().find(dir.File("label.txt") + ": no valid det label line") == 0);
    auto missing = ReadDataset(dir.File("none"), DatasetType::kAuto, space, options);
    REQUIRE(!missing.ok());
    CHECK(missing.message() == dir.File("none") + ": no such file or directory");
  }
}

TEST_CASE("a det label file is read from a FIFO, whatever its size says", "[dataset_reader]") {
  TempDir dir;
  const std::string fifo = dir.File("labels.fifo");
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  const ModelSpace space = RecognitionSpace();
  for (DatasetType type : {DatasetType::kDetLabels, DatasetType::kAuto}) {
    INFO(DatasetTypeName(type));
    std::thread writer([&] { WriteFile(fifo, std::string(kLabelLine) + kLabelLine); });
    auto p = ReadDataset(fifo, type, space, ReadOptions());
    writer.join();
    INFO((p.ok() ? "" : p.message()));
    REQUIRE(p.ok());
    CHECK(p->dataset.type == "det_labels");
    CHECK(p->dataset.images == 2);
    CHECK(p->dataset.boxes == 2);
  }
  CHECK(TypeOf("-") == "det_labels");
  auto folder = ReadDataset("-", DatasetType::kImages, space, ReadOptions());
  REQUIRE_FALSE(folder.ok());
  CHECK(folder.message().find("standard input can only hold a det label file") !=
        std::string::npos);
}

TEST_CASE("rec labels, LMDB, COCO and tar shards are told from their content", "[dataset_reader]") {
  TempDir dir;
  SECTION("path<TAB>text with an image path is a rec label file") {
    WriteFile(dir.File("rec.txt"), "\xEF\xBB\xBF\nimages/word_1.png\tGenaxis Theatre\n");
    CHECK(TypeOf(dir.File("rec.txt")) == "rec_labels");
  }
  SECTION("a folder holding data.mdb, a data.mdb file, or LMDBs in sub-folders") {
    reader_test::WriteLmdb(dir.File("lmdb"), {{"num-samples", "0"}});
    CHECK(TypeOf(dir.File("lmdb")) == "lmdb");
    CHECK(TypeOf(dir.File("lmdb/data.mdb")) == "lmdb");
    reader_test::WriteLmdb(dir.File("root/train/a"), {{"num-samples", "0"}});
    reader_test::WriteLmdb(dir.File("root/train/b"), {{"num-samples", "0"}});
    CHECK(TypeOf(dir.File("root")) == "lmdb");
    WritePng(dir.File("root/stray.png"), 4, 4);
    CHECK(TypeOf(dir.File("root")) == "images");  // an image file decides, as before
  }
  SECTION("a JSON object naming images or annotations is COCO") {
    WriteFile(dir.File("a.json"), "\n {\"info\": {}, \"images\": []}");
    CHECK(TypeOf(dir.File("a.json")) == "coco");
    WriteFile(dir.File("b.json"), "{\"annotations\": [], \"images\": []}");
    CHECK(TypeOf(dir.File("b.json")) == "coco");
    WriteFile(dir.File("c.json"), "{\"other\": 1}");
    CHECK(TypeOf(dir.File("c.json")).find("error: ") == 0);
  }
  SECTION("a tar file, a folder of *.tar files, a glob pattern") {
    const std::string tar = reader_test::TarArchive({{"s1.png", "x"}});
    WriteFile(dir.File("shards/a-000.tar"), tar);
    WriteFile(dir.File("shards/a-001.tar"), tar);
    CHECK(TypeOf(dir.File("shards/a-000.tar")) == "tar");
    CHECK(TypeOf(dir.File("shards")) == "tar");
    CHECK(TypeOf(dir.File("shards") + "/a-*.tar") == "tar");
    CHECK(TypeOf(dir.File("shards") + "/b-*.tar") == "tar");  // the reader says it matches nothing
  }
}

TEST_CASE("the samples of a dataset follow --samples and the input shape", "[dataset_reader]") {
  InputShape det, rec;
  det.dims = {1, 3, -1, -1};
  rec.dims = {-1, 3, 48, -1};
  CHECK(SamplesFor(det) == SampleUnit::kImages);
  CHECK(SamplesFor(rec) == SampleUnit::kBoxes);
  CHECK(*DatasetSamples(DatasetType::kDetLabels, SampleUnit::kAuto, det) == SampleUnit::kImages);
  CHECK(*DatasetSamples(DatasetType::kDetLabels, SampleUnit::kAuto, rec) == SampleUnit::kBoxes);
  CHECK(*DatasetSamples(DatasetType::kCoco, SampleUnit::kBoxes, det) == SampleUnit::kBoxes);
  CHECK(*DatasetSamples(DatasetType::kIcdar, SampleUnit::kAuto, det) == SampleUnit::kBoxes);
  CHECK(*DatasetSamples(DatasetType::kTar, SampleUnit::kAuto, rec) == SampleUnit::kImages);
  CHECK(DatasetSamples(DatasetType::kIcdar, SampleUnit::kImages, det).message() ==
        "--samples images: an ICDAR gt folder names no image; use a det label file or a COCO "
        "file");
  CHECK(DatasetSamples(DatasetType::kLmdb, SampleUnit::kBoxes, rec).message() ==
        "--samples boxes: a lmdb dataset has no boxes; its samples are images");
  CHECK(ParseSampleUnit("boxes").ok());
  CHECK(ParseSampleUnit("crops").message() ==
        "--samples 'crops': expected one of auto, images, boxes");

  TempDir dir;
  WritePng(dir.File("a.jpg"), 200, 100);  // JPEG, as the label line names it
  WriteFile(dir.File("label.txt"), kLabelLine);
  ReadOptions options;
  const ModelSpace det_space(det, 1280);
  auto images = ReadDataset(dir.File("label.txt"), DatasetType::kAuto, det_space, options);
  REQUIRE(images.ok());
  CHECK(images->dataset.type == "det_labels");
  CHECK(images->dataset.boxes == 0);
  CHECK(images->samples() == std::map<SampleKey, uint64_t>{{{0, 200, 100}, 1}});
  options.samples = SampleUnit::kBoxes;
  auto boxes = ReadDataset(dir.File("label.txt"), DatasetType::kAuto, det_space, options);
  REQUIRE(boxes.ok());
  CHECK(boxes->dataset.boxes == 1);
  CHECK(boxes->samples() == std::map<SampleKey, uint64_t>{{{1, 30, 100}, 1}});
}

}  // namespace
}  // namespace autoscale
