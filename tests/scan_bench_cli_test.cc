// End-to-end test of bench/scan_bench's --dir: a folder it did not make is
// never written to.
#include <catch2/catch.hpp>
#include <filesystem>

#include "support/run_binary.h"

using autoscale::test::BinaryPath;
using autoscale::test::ReadTextFile;
using autoscale::test::RunProgram;
using autoscale::test::SourcePath;
using autoscale::test::TempDir;
using autoscale::test::WriteTextFile;
namespace fs = std::filesystem;

TEST_CASE("scan_bench leaves a folder it did not make untouched", "[scan_bench_cli]") {
  const std::string bench = BinaryPath("bin/scan_bench");
  if (!fs::exists(bench)) {
    WARN("scan_bench is not built (AUTOSCALE_BENCH=OFF): skipped");
    return;
  }
  TempDir dir;
  WriteTextFile(dir / "mine/notes.txt", "keep me\n");
  fs::create_directories(dir / "source");
  fs::copy_file(SourcePath("data/samples/images/scenes/s01.jpg"), dir / "source/a.jpg");
  auto r = RunProgram({bench, "--dir", dir / "mine", "--files", "3", "--source", dir / "source"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("is not a folder scan_bench made"));
  CHECK(ReadTextFile(dir / "mine/notes.txt") == "keep me\n");
  CHECK(std::distance(fs::recursive_directory_iterator(dir / "mine"),
                      fs::recursive_directory_iterator()) == 1);
  CHECK_FALSE(fs::exists(dir / "mine.complete"));
}
