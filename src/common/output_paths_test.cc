#include "common/output_paths.h"

#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "support/run_binary.h"

using namespace autoscale;
namespace fs = std::filesystem;
using Kind = PathUse::Kind;

namespace {

PathUse In(const std::string& label, const std::string& path) {
  return {Kind::kInput, label, path, "", {}, {}};
}
PathUse Out(const std::string& label, const std::string& path, const std::string& owner = "") {
  return {Kind::kOutputFile, label, path, owner, {}, {}};
}
PathUse Folder(const std::string& label, const std::string& path, const std::string& owner = "") {
  return {Kind::kOutputFolder, label, path, owner, {"gears.json", "logs"}, {"model_"}};
}

std::string Refused(const std::vector<PathUse>& uses) {
  Status s = CheckPathUses(uses);
  return s.ok() ? "" : s.message();
}

}  // namespace

TEST_CASE("two outputs that are one file are refused, whatever their paths' text",
          "[output_paths]") {
  test::TempDir dir;
  fs::create_directories(dir / "sub");
  const std::string a = dir / "a.json";
  CHECK(Refused({Out("--json", a), Out("--report", dir / "sub/../a.json")}) ==
        "--json " + a + " and --report " + dir / "sub/../a.json" +
            " are the same file; give each output its own");
  // An existing file under another name: a hard link, a link to it.
  test::WriteTextFile(a, "{}");
  fs::create_hard_link(a, dir / "hard.json");
  fs::create_symlink(a, dir / "soft.json");
  CHECK_THAT(Refused({Out("--json", a), Out("--report", dir / "hard.json")}),
             Catch::Contains("are the same file"));
  CHECK_THAT(Refused({Out("--json", dir / "soft.json"), Out("--report", a)}),
             Catch::Contains("are the same file"));
  CHECK(Refused({Out("--json", a), Out("--report", dir / "b.html")}).empty());
}

TEST_CASE("an output that is an input is refused naming both", "[output_paths]") {
  test::TempDir dir;
  const std::string labels = test::WriteTextFile(dir / "labels.txt", "x\n");
  fs::create_symlink(labels, dir / "link.txt");
  CHECK(Refused({In("--dataset_path", dir / "link.txt"), Out("--json", labels)}) ==
        "--json " + labels + " is the input --dataset_path " + dir / "link.txt" +
            "; writing it would replace it");
}

TEST_CASE("standard output once, a character device any number of times", "[output_paths]") {
  CHECK(Refused({Out("--json", "-"), Out("--report", "-")}) ==
        "--json and --report both write to standard output (-); give one a file");
  CHECK(Refused({Out("--json", "-"), Out("--report", "/dev/null")}).empty());
  CHECK(Refused({Out("--json", "/dev/null"), Out("--report", "/dev/null")}).empty());
}

TEST_CASE("outputs in an output folder: its own names and other owners are refused",
          "[output_paths]") {
  test::TempDir dir;
  const std::string out = dir / "out";
  CHECK(Refused({Folder("--output_path", out), Out("--report", out + "/gears.json")}) ==
        "--report " + out +
            "/gears.json would replace gears.json, which the conversion writes in "
            "--output_path " +
            out + "; choose another name");
  CHECK_THAT(Refused({Folder("--output_path", out), Out("--json", out + "/logs/x.json")}),
             Catch::Contains("would replace logs"));
  CHECK_THAT(Refused({Folder("--output_path", out), Out("--json", out + "/model_dynamic_hw.onnx")}),
             Catch::Contains("would replace model_dynamic_hw.onnx"));
  // Another name in its own folder is fine.
  CHECK(Refused({Folder("--output_path", out), Out("--json", out + "/report.json")}).empty());
  // Any name in another job's folder is not.
  CHECK(Refused({Folder("job 'b' output_path", out, "b"),
                 Out("job 'a' json", out + "/report.json", "a")}) ==
        "job 'a' json " + out + "/report.json is inside job 'b' output_path " + out +
            ", which another job writes; write it elsewhere");
  // Folders inside one another.
  CHECK_THAT(Refused({Folder("job 'a' output_path", out, "a"),
                      Folder("job 'b' output_path", out + "/b", "b")}),
             Catch::Contains("is inside"));
}

TEST_CASE("every output location is checked before any work", "[output_paths]") {
  test::TempDir dir;
  CHECK(Refused({Out("--json", dir / "nowhere/a.json")}) ==
        "--json " + dir / "nowhere/a.json" + ": folder " + dir / "nowhere" + " does not exist");
  fs::create_directories(dir / "folder");
  CHECK(Refused({Out("--report", dir / "folder")}) ==
        "--report " + dir / "folder" + ": is a folder, not a file");
  test::WriteTextFile(dir / "file", "");
  CHECK_THAT(Refused({Out("--json", dir / "file/a.json")}), Catch::Contains("is not a folder"));
  CHECK_THAT(Refused({Folder("--output_path", dir / "file/out")}),
             Catch::Contains("cannot create: " + dir / "file" + " is not a folder"));
  CHECK(Refused({Folder("--output_path", dir / "new/deeper")}).empty());
  CHECK_FALSE(fs::exists(dir / "new"));
  // The checks leave nothing behind.
  CHECK(Refused({Out("--json", dir / "a.json"), Folder("--output_path", dir / "folder")}).empty());
  CHECK(fs::is_empty(dir / "folder"));
  CHECK_FALSE(fs::exists(dir / "a.json"));
  if (::geteuid() != 0) {  // root writes anywhere
    fs::create_directories(dir / "locked");
    fs::permissions(dir / "locked", fs::perms::owner_read | fs::perms::owner_exec);
    CHECK_THAT(Refused({Out("--json", dir / "locked/a.json")}),
               Catch::Contains("cannot write in folder " + dir / "locked"));
    fs::permissions(dir / "locked", fs::perms::owner_all);
  }
}
