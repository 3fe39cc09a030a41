#include "stats/core/input_shape.h"

#include <catch2/catch.hpp>

using namespace autoscale;

TEST_CASE("input shapes parse with dynamic dims", "[input_shape]") {
  auto s = ParseInputShape("-1,3,48,-1");
  REQUIRE(s.ok());
  CHECK(s->BatchDynamic());
  CHECK_FALSE(s->HeightDynamic());
  CHECK(s->WidthDynamic());
  CHECK(s->ToString() == "-1,3,48,-1");
  auto spaced = ParseInputShape(" 1, 3 ,-1, -1 ");
  REQUIRE(spaced.ok());
  CHECK(spaced->dims == std::array<int64_t, 4>{1, 3, -1, -1});
}

TEST_CASE("a shape with no -1 is valid and static", "[input_shape]") {
  auto s = ParseInputShape("1,3,48,192");
  REQUIRE(s.ok());
  CHECK(s->IsStatic());
}

TEST_CASE("bad input shapes are rejected with the reason", "[input_shape]") {
  struct Case { const char* text; const char* why; };
  const Case cases[] = {
      {"1,3,48", "expected 4"},     {"1,3,48,-1,1", "expected 4"},
      {"1,3,a,-1", "not an integer"}, {"1,3,0,-1", "use a positive size"},
      {"1,3,-2,-1", "use a positive size"}, {"1,-1,48,-1", "channel dim C cannot be dynamic"},
      {"1,3,,-1", "not an integer"}, {"1,3,48.5,-1", "not an integer"},
      {"", "expected 4"},            {"1,3,99999999999999999999,-1", "not an integer"},
  };
  for (const Case& c : cases) {
    auto s = ParseInputShape(c.text);
    INFO(c.text);
    REQUIRE_FALSE(s.ok());
    CHECK_THAT(s.message(), Catch::Contains(c.why));
    CHECK_THAT(s.message(), Catch::Contains("--input_shape"));
  }
}
