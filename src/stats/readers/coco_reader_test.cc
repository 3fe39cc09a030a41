#include "stats/readers/coco_reader.h"

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <string>

#include "stats/readers/annotation_test_files.h"
#include "stats/readers/det_label_line.h"
#include "stats/readers/det_label_reader.h"
#include "stats/readers/reader_test_fixtures.h"

namespace autoscale {
namespace {

using annotation_test::RecognitionSpace;
using annotation_test::TempDir;
using annotation_test::WriteFile;
using reader_test::DetectionSpace;
using reader_test::SameSamples;

Result<Profile> ReadText(const std::string& json, SampleUnit samples, const ModelSpace& space,
                         size_t buffer = 1 << 20) {
  MemoryByteStream in(json.data(), json.size());
  CocoScanOptions scan;
  scan.buffer_bytes = buffer;
  Profile p = space.NewProfile();
  Status s = ReadCoco(&in, "c.json", samples, space, scan, &p);
  if (!s.ok()) return s;
  return p;
}

// The det label file `label` written as COCO: each image 1280x720, each box
// a one-polygon segmentation (and a bbox), ids out of order, with the keys
// real files carry; images[] first as COCO writers put it, or last.
std::string LabelFileAsCoco(const std::string& label, bool images_first) {
  std::ifstream in(label);
  std::string line, images, annotations;
  DetLabelLine parsed;
  std::string error;
  int image_id = 1000, annotation_id = 1;
  while (std::getline(in, line)) {
    REQUIRE(ParseDetLabelLine(line, &parsed, &error));
    image_id -= 3;
    images += std::string(images.empty() ? "" : ",") + "{\"id\": " + std::to_string(image_id) +
              ", \"file_name\": \"" + std::string(parsed.image) +
              "\", \"width\": 1280, \"height\": 720, \"license\": null}";
    for (size_t b = 0; b < parsed.BoxCount(); ++b) {
      std::ostringstream a;
      a.precision(17);
      a << (annotations.empty() ? "" : ",\n") << "{\"id\": " << annotation_id++
        << ", \"image_id\": " << image_id
        << ", \"category_id\": 1, \"iscrowd\": 0, \"area\": 1.5e2, \"bbox\": [0, 0, 1, 1], "
           "\"segmentation\": [[";
      for (size_t k = 0; k < parsed.BoxPoints(b); ++k) {
        const Point& p = parsed.points[parsed.BoxBegin(b) + k];
        a << (k ? ", " : "") << p.x << ", " << p.y;
      }
      a << "]], \"attributes\": {\"text\": \"a \\\"quoted\\\" \\u00e9 word\", \"tags\": [[], {}]}}";
      annotations += a.str();
    }
  }
  const std::string info =
      "{\"info\": {\"year\": 2015, \"description\": \"" + std::string(3000, 'd') + "\"}, ";
  const std::string categories = "\"categories\": [{\"id\": 1, \"name\": \"text\"}]}\n";
  if (images_first)
    return info + "\"images\": [" + images + "], \"licenses\": [], \"annotations\": [" +
           annotations + "], " + categories;
  return info + "\"annotations\": [" + annotations + "], \"licenses\": [], \"images\": [" + images +
         "], " + categories;
}

TEST_CASE("COCO boxes give the profile of the same det label file", "[coco]") {
  TempDir dir;
  const auto pair = annotation_test::WriteAnnotationPair(dir.path(), 60, 7);
  const ModelSpace space = RecognitionSpace();
  Profile labels = space.NewProfile();
  REQUIRE(ReadDetLabelFile(pair.label_file, space, ReadOptions(), &labels).ok());
  for (bool images_first : {true, false})
    for (size_t buffer : {size_t{1024}, size_t{1} << 20}) {
      CAPTURE(images_first, buffer);
      const std::string json = LabelFileAsCoco(pair.label_file, images_first);
      auto p = ReadText(json, SampleUnit::kBoxes, space, buffer);
      REQUIRE(p.ok());
      CHECK(SameSamples(*p, labels));
      CHECK(p->dataset.skipped.degenerate_box == labels.dataset.skipped.degenerate_box);
    }
  WriteFile(dir.File("c.json"), LabelFileAsCoco(pair.label_file, false));
  Profile file = space.NewProfile();
  REQUIRE(ReadCocoFile(dir.File("c.json"), SampleUnit::kBoxes, space, ReadOptions(), &file).ok());
  CHECK(SameSamples(file, labels));
}

TEST_CASE("COCO images give their sizes for a detector", "[coco]") {
  const std::string json =
      "{\"images\": [{\"id\": 1, \"width\": 1280, \"height\": 720}, {\"id\": 2, \"width\": 600, "
      "\"height\": 800.0, \"file_name\": \"x.jpg\"}, {\"id\": 3, \"height\": 5}, {\"id\": 4, "
      "\"width\": 0, \"height\": 9}], \"annotations\": [{\"image_id\": 1, \"bbox\": \"skipped\"}]}";
  const ModelSpace space = DetectionSpace();
  auto p = ReadText(json, SampleUnit::kImages, space);
  REQUIRE(p.ok());
  CHECK(p->dataset.images == 2);
  Profile expected = space.NewProfile();
  space.AddImage(&expected, 720, 1280);
  space.AddImage(&expected, 800, 600);
  CHECK(p->samples() == expected.samples());
  CHECK(p->dataset.skipped.bad_line == 2);
  REQUIRE(p->dataset.warnings.size() == 2);
  CHECK(p->dataset.warnings[0].where == "c.json:images[2]");
  CHECK(p->dataset.warnings[0].message == "no numeric \"width\" and \"height\"");
  CHECK(p->dataset.warnings[1].message == "size 0 x 9 is out of range");
}

TEST_CASE("COCO boxes: polygons, bboxes, images without boxes, bad entries", "[coco]") {
  const std::string json =
      "{\"images\": [{\"id\": 1}, {\"id\": 2}, {\"id\": 3}], \"annotations\": ["
      "{\"image_id\": 1, \"bbox\": [10, 10, 100, 30]},"
      "{\"image_id\": 1, \"segmentation\": [[0, 0, 100, 0, 100, 30, 0, 30]], \"bbox\": [0,0,1,1]},"
      "{\"image_id\": 1, \"segmentation\": {\"counts\": \"abc\", \"size\": [9, 9]}, "
      "\"bbox\": [0, 0, 50, 20]},"
      "{\"image_id\": 2, \"bbox\": [0, 0, 0.5, 20]},"
      "{\"image_id\": 2},"
      "{\"bbox\": [0, 0, 5, 5]},"
      "{\"image_id\": 9, \"bbox\": [0, 0, 5, 5]}]}";
  const ModelSpace space = RecognitionSpace();
  auto p = ReadText(json, SampleUnit::kBoxes, space);
  REQUIRE(p.ok());
  CHECK(p->dataset.images == 3);
  CHECK(p->dataset.boxes == 3);
  Profile expected = space.NewProfile();
  space.AddImageBoxes(&expected, {{30, 100}, {30, 100}, {20, 50}});
  space.AddImageBoxes(&expected, {});
  space.AddImageBoxes(&expected, {});
  CHECK(p->samples() == expected.samples());
  CHECK(p->image_boxes() == expected.image_boxes());
  CHECK(p->dataset.skipped.degenerate_box == 1);
  CHECK(p->dataset.skipped.bad_line == 3);
  REQUIRE(p->dataset.warnings.size() == 4);
  CHECK(p->dataset.warnings[0].where == "c.json:annotations[3]");
  CHECK(p->dataset.warnings[1].where == "c.json:annotations[4]");
  CHECK(p->dataset.warnings[1].message ==
        "neither a polygon in \"segmentation\" nor a 4-number \"bbox\"");
  CHECK(p->dataset.warnings[2].where == "c.json:annotations[5]");
  CHECK(p->dataset.warnings[2].message == "no numeric \"image_id\"");
  CHECK(p->dataset.warnings[3].message == "image_id 9 is not in images");
}

TEST_CASE("an image whose annotations are not consecutive is still one image", "[coco]") {
  const std::string box = ", \"bbox\": [0, 0, 100, 30]}";
  const std::string json = "{\"images\": [{\"id\": 2}, {\"id\": 1}], \"annotations\": [" +
                           std::string("{\"image_id\": 1") + box + ", {\"image_id\": 2" + box +
                           ", {\"image_id\": 1" + box + "]}";
  const ModelSpace space = RecognitionSpace();
  auto p = ReadText(json, SampleUnit::kBoxes, space, 1024);
  REQUIRE(p.ok());
  Profile expected = space.NewProfile();
  space.AddImageBoxes(&expected, {{30, 100}, {30, 100}});
  space.AddImageBoxes(&expected, {{30, 100}});
  CHECK(p->image_boxes() == expected.image_boxes());
  CHECK(p->samples() == expected.samples());
}

TEST_CASE("malformed COCO JSON is an error with the byte offset", "[coco]") {
  const ModelSpace space = RecognitionSpace();
  const auto error = [&](const std::string& json) {
    auto p = ReadText(json, SampleUnit::kBoxes, space, 1024);
    return p.ok() ? std::string("ok") : p.message();
  };
  CHECK(error("[1]") == "c.json: byte 0: expected '{'");
  CHECK(error("{\"images\": [{\"id\": 1}, 3]}") == "c.json: byte 23: images[1] is not an object");
  CHECK(error("{\"images\": [{\"id\": 1}]") == "c.json: byte 22: expected ',' or '}'");
  CHECK(error("{\"info\": {\"a\": [1, 2}}") == "c.json: byte 20: expected ',' or ']'");
  CHECK(error("{\"info\": \"abc") == "c.json: byte 13: unterminated string");
  CHECK(error("{\"info\": tru}") == "c.json: byte 9: expected true");
  CHECK(error("{\"info\": 1.2.3}") == "c.json: byte 9: malformed number");
  CHECK(error("{\"images\": []} x") == "c.json: byte 15: data after the top-level object");
  CHECK(error("{\"info\": " + std::string(5000, '[') + "}") ==
        "c.json: byte 4105: nesting deeper than 4096");
  CHECK(error("{\"images\": [{\"id\": 1}], \"annotations\": []}") ==
        "c.json: no sample in the COCO file: 1 images, no valid box");
  CHECK(error("{\"info\": [\"a\\qb\"]}") == "c.json: byte 13: bad escape in a string");
}

TEST_CASE("skipped COCO values of every kind, across buffer refills", "[coco]") {
  std::string skipped = "{\"k\": [true, false, null, -1.5e-3, \"" + std::string(2500, 's') +
                        "\\\"\", {}, [], {\"x\": [[{}]]}]}";
  const std::string json = "{\"info\": " + skipped +
                           ", \"images\": [{\"id\": 1, \"x\": " + skipped +
                           "}], \"annotations\": [{\"image_id\": 1, \"bbox\": [0, 0, 40, 20], "
                           "\"extra\": " +
                           skipped + "}]}";
  auto p = ReadText(json, SampleUnit::kBoxes, RecognitionSpace(), 1024);
  REQUIRE(p.ok());
  CHECK(p->dataset.boxes == 1);
}

TEST_CASE("a COCO start is told from other JSON", "[coco]") {
  CHECK(LooksLikeCocoStart("\xEF\xBB\xBF {\"images\": ["));
  CHECK(LooksLikeCocoStart("{\n  \"info\": {},\n  \"annotations\": []"));
  CHECK(!LooksLikeCocoStart("[{\"images\": 1}]"));
  CHECK(!LooksLikeCocoStart("img.jpg\t[{\"points\": []}]"));
}

}  // namespace
}  // namespace autoscale
