#include "common/atomic_file.h"

#include <catch2/catch.hpp>
#include <filesystem>

#include "support/run_binary.h"

using namespace autoscale;

TEST_CASE("atomic writes leave no temporary file behind", "[atomic_file]") {
  test::TempDir dir;
  REQUIRE(WriteFileAtomic(dir / "a.json", "{}\n").ok());
  CHECK(test::ReadTextFile(dir / "a.json") == "{}\n");
  int entries = 0;
  for (auto& e : std::filesystem::directory_iterator(dir.path())) (void)e, ++entries;
  CHECK(entries == 1);
}

TEST_CASE("a write into a missing folder fails with the path and leaves nothing", "[atomic_file]") {
  test::TempDir dir;
  Status s = WriteFileAtomic(dir / "no/such/dir/a.json", "x");
  REQUIRE_FALSE(s.ok());
  CHECK_THAT(s.message(), Catch::Contains("no/such/dir/a.json: cannot write"));
}

TEST_CASE("ReadFile names the path it cannot read", "[atomic_file]") {
  test::TempDir dir;
  auto r = ReadFile(dir / "missing");
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.message(), Catch::Contains("missing: cannot read"));
  r = ReadFile(dir.path());
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.message(), Catch::Contains("is a folder"));
}
