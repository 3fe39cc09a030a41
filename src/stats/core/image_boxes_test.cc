#include "stats/core/image_boxes.h"

#include <catch2/catch.hpp>
#include <random>

using namespace autoscale;
using runtime::Item;

namespace {
bool Same(const std::vector<Item>& a, const std::vector<Item>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i].h != b[i].h || a[i].w != b[i].w) return false;
  return true;
}
}  // namespace

TEST_CASE("an image's boxes round-trip sorted by (w, h), order-free", "[image_boxes]") {
  const std::vector<Item> boxes = {{48, 300}, {48, 20}, {96, 20}, {48, 20}, {17, 5000}};
  const std::string key = EncodeImageBoxes(boxes);
  // Two bytes per box while the steps are under 64; the width steps of 280
  // and 4700 take two bytes each.
  CHECK(key.size() == 12);
  auto back = DecodeImageBoxes(key);
  REQUIRE(back.ok());
  CHECK(Same(*back, {{48, 20}, {48, 20}, {96, 20}, {48, 300}, {17, 5000}}));
  std::vector<Item> shuffled = {{17, 5000}, {48, 20}, {48, 300}, {96, 20}, {48, 20}};
  CHECK(EncodeImageBoxes(shuffled) == key);
  CHECK(EncodeImageBoxes({}).empty());
}

TEST_CASE("random box lists round-trip through bytes and hex", "[image_boxes]") {
  std::mt19937 rng(3);
  std::uniform_int_distribution<int64_t> side(1, 100000);
  for (int t = 0; t < 200; ++t) {
    std::vector<Item> boxes(rng() % 20);
    for (Item& b : boxes) b = {side(rng), side(rng)};
    const std::string key = EncodeImageBoxes(boxes);
    auto hex = FromHex(ToHex(key));
    REQUIRE(hex.ok());
    CHECK(*hex == key);
    auto back = DecodeImageBoxes(key);
    REQUIRE(back.ok());
    CHECK(EncodeImageBoxes(*back) == key);
    CHECK(back->size() == boxes.size());
  }
}

TEST_CASE("malformed keys and hex are refused", "[image_boxes]") {
  CHECK(!DecodeImageBoxes(std::string("\x80", 1)).ok());      // varint cut short
  CHECK(!DecodeImageBoxes(std::string("\x05", 1)).ok());      // width without height
  CHECK(!DecodeImageBoxes(std::string("\x00\x02", 2)).ok());  // width 0
  CHECK(!FromHex("abc").ok());
  CHECK(!FromHex("zz").ok());
  CHECK(*FromHex("0aFF") == std::string("\x0a\xff", 2));
}
