// End-to-end tests of `autoscale stats` on the rec label, tar and det-label-
// as-images datasets, with --image_root and --samples.
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "support/run_binary.h"

using autoscale::test::ReadTextFile;
using autoscale::test::RunAutoscale;
using autoscale::test::SourcePath;
using autoscale::test::TempDir;
using autoscale::test::WriteTextFile;
namespace fs = std::filesystem;

namespace {

// data/samples/images/words listed as a rec label file in `dir`, the paths
// relative to the words folder (so --image_root is needed).
std::string RecLabels(const TempDir& dir, size_t* listed) {
  std::string text;
  *listed = 0;
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(SourcePath("data/samples/images/words")))
    if (e.path().extension() == ".png" || e.path().extension() == ".jpg")
      names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  for (const std::string& n : names) text += n + "\tword\n";
  *listed = names.size();
  return WriteTextFile(dir / "rec_label.txt", text + "gone.png\tmissing\n");
}

}  // namespace

TEST_CASE("stats on a rec label file: the listed images, the missing one named", "[readers_cli]") {
  TempDir dir;
  size_t listed = 0;
  const std::string label = RecLabels(dir, &listed);
  REQUIRE(listed > 0);
  auto r = RunAutoscale({"stats", "--dataset_path", label, "--image_root",
                         SourcePath("data/samples/images/words"), "--input_shape=-1,3,48,-1",
                         "--json", dir / "out.json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("(rec_labels)"));
  CHECK_THAT(r.out, Catch::Contains("1 missing files"));
  CHECK_THAT(r.out, Catch::Contains("gone.png': no such file"));
  CHECK_THAT(r.out, Catch::Contains("samples: images"));
  auto j = nlohmann::json::parse(ReadTextFile(dir / "out.json"));
  CHECK(j["dataset"]["type"] == "rec_labels");
  CHECK(j["dataset"]["images"] == listed);
  CHECK(j["dataset"]["skipped"]["missing_file"] == 1);

  // The same images as a folder give the same gears.
  auto folder = RunAutoscale({"stats", "--dataset_path", SourcePath("data/samples/images/words"),
                              "--input_shape=-1,3,48,-1", "--json", dir / "folder.json"});
  REQUIRE(folder.exit_code == 0);
  auto f = nlohmann::json::parse(ReadTextFile(dir / "folder.json"));
  CHECK(f["gears"] == j["gears"]);

  auto no_root = RunAutoscale({"stats", "--dataset_path", label, "--input_shape=-1,3,48,-1"});
  CHECK(no_root.exit_code == 1);
  CHECK_THAT(no_root.err, Catch::Contains("no listed image could be read"));
}

TEST_CASE("a det label file gives image sizes for a detector, boxes on request", "[readers_cli]") {
  TempDir dir;
  // The sample det label file's lines, pointed at images that exist.
  const std::string image = SourcePath("data/samples/images/words");
  std::string first;
  for (const auto& e : fs::directory_iterator(image))
    if (e.path().extension() == ".png") first = e.path().string();
  REQUIRE(!first.empty());
  const std::string label = WriteTextFile(
      dir / "det.txt", first +
                           "\t[{\"transcription\": \"a\", \"points\": [[0, 0], [60, 0], [60, "
                           "20], [0, 20]]}, {\"transcription\": \"b\", \"points\": [[0, 30], "
                           "[90, 30], [90, 50], [0, 50]]}]\n");
  auto images = RunAutoscale(
      {"stats", "--dataset_path", label, "--input_shape=1,3,-1,-1", "--json", dir / "images.json"});
  INFO(images.err);
  REQUIRE(images.exit_code == 0);
  CHECK_THAT(images.out, Catch::Contains("samples: images (H and W dynamic: image sizes; "
                                         "--samples boxes for box crops)"));
  auto ji = nlohmann::json::parse(ReadTextFile(dir / "images.json"));
  CHECK(ji["dataset"]["images"] == 1);
  CHECK(ji["dataset"]["boxes"] == 0);

  auto boxes = RunAutoscale({"stats", "--dataset_path", label, "--input_shape=1,3,-1,-1",
                             "--samples", "boxes", "--json", dir / "boxes.json"});
  REQUIRE(boxes.exit_code == 0);
  CHECK_THAT(boxes.out, Catch::Contains("samples: boxes (--samples)"));
  CHECK(nlohmann::json::parse(ReadTextFile(dir / "boxes.json"))["dataset"]["boxes"] == 2);

  auto bad = RunAutoscale(
      {"stats", "--dataset_path", label, "--input_shape=1,3,-1,-1", "--samples", "crops"});
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Catch::Contains("crops"));
}
