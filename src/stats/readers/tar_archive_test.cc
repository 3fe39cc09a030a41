#include "stats/readers/tar_archive.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "stats/readers/reader_test_fixtures.h"

namespace autoscale {
namespace {

using reader_test::TarArchive;
using reader_test::TarHeader;
using reader_test::TarMemberBytes;

std::vector<std::string> Names(const std::string& tar, std::string* error = nullptr) {
  TarWalker walker(tar.data(), tar.size());
  TarMember m;
  std::vector<std::string> names;
  while (walker.Next(&m)) names.push_back(m.name + "=" + std::string(m.data, m.data + m.size));
  if (error) *error = walker.error();
  return names;
}

TEST_CASE("tar members come in order with their bytes in place", "[tar]") {
  const std::string tar = TarArchive({{"a/000.jpg", "JPEG"}, {"a/000.txt", ""}, {"b.png", "P"}});
  std::string error;
  CHECK(Names(tar, &error) == std::vector<std::string>{"a/000.jpg=JPEG", "a/000.txt=", "b.png=P"});
  CHECK(error.empty());
  CHECK(LooksLikeTarHeader(tar.data(), tar.size()));
  CHECK(!LooksLikeTarHeader("{\"images\": []}", 15));
}

TEST_CASE("GNU long names, pax paths and the ustar prefix name members", "[tar]") {
  const std::string long_name = std::string(150, 'n') + ".png";
  std::string tar = TarMemberBytes("././@LongLink", long_name + '\0', 'L') +
                    TarMemberBytes("short", "1") +
                    TarMemberBytes("PaxHeaders/x", "25 path=dir/from-pax.jpg\n", 'x') +
                    TarMemberBytes("x", "2") + TarMemberBytes("dir", "", '5');
  std::string prefixed = TarHeader("name.png", 1);
  std::memcpy(&prefixed[345], "pre/fix", 7);
  std::memset(&prefixed[148], ' ', 8);
  unsigned sum = 0;
  for (unsigned char c : prefixed) sum += c;
  std::snprintf(&prefixed[148], 8, "%06o", sum);
  tar += prefixed + "3" + std::string(511, '\0') + std::string(1024, '\0');
  TarWalker walker(tar.data(), tar.size());
  TarMember m;
  REQUIRE(walker.Next(&m));
  CHECK(m.name == long_name);
  CHECK(m.regular);
  REQUIRE(walker.Next(&m));
  CHECK(m.name == "dir/from-pax.jpg");
  REQUIRE(walker.Next(&m));
  CHECK(m.name == "dir");
  CHECK(!m.regular);
  REQUIRE(walker.Next(&m));
  CHECK(m.name == "pre/fix/name.png");
  CHECK(std::string(m.data, m.data + m.size) == "3");
  CHECK(!walker.Next(&m));
  CHECK(walker.error().empty());
}

TEST_CASE("a broken tar ends the walk with the byte and the reason", "[tar]") {
  std::string tar = TarArchive({{"a.png", "x"}, {"b.png", "y"}});
  std::string error;
  SECTION("a bad checksum") {
    tar[1024 + 1] = 'Z';  // the second header's name
    CHECK(Names(tar, &error) == std::vector<std::string>{"a.png=x"});
    CHECK(error == "member at byte 1024: bad header checksum");
  }
  SECTION("a member running past the end") {
    tar = TarMemberBytes("a.png", "x") + TarHeader("b.png", 5000);
    CHECK(Names(tar, &error) == std::vector<std::string>{"a.png=x"});
    CHECK(error == "member at byte 1024: member of 5000 bytes runs past the end (0 left)");
  }
  SECTION("a truncated header") {
    tar = TarMemberBytes("a.png", "x") + std::string(100, 'h');
    CHECK(Names(tar, &error).size() == 1);
    CHECK(error == "member at byte 1024: truncated header (100 bytes)");
  }
  SECTION("no end blocks is a complete archive") {
    tar = TarMemberBytes("a.png", "x");
    CHECK(Names(tar, &error).size() == 1);
    CHECK(error.empty());
  }
}

}  // namespace
}  // namespace autoscale
