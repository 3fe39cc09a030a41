#include "common/json_text.h"

#include <catch2/catch.hpp>

namespace autoscale {
namespace {

TEST_CASE("JsonText writes invalid UTF-8 as U+FFFD", "[json_text]") {
  nlohmann::json j = {{"name", std::string("b\xff.jpg")}};
  CHECK(JsonText(j) == "{\"name\":\"b\xEF\xBF\xBD.jpg\"}");
  CHECK(nlohmann::json::parse(JsonText(j, 2))["name"] == "b\xEF\xBF\xBD.jpg");
}

TEST_CASE("JsonText keeps valid UTF-8 and indents as asked", "[json_text]") {
  nlohmann::json j = {{"k", "h\xC3\xA9"}};
  CHECK(JsonText(j) == "{\"k\":\"h\xC3\xA9\"}");
  CHECK(JsonText(j, 1) == "{\n \"k\": \"h\xC3\xA9\"\n}");
}

}  // namespace
}  // namespace autoscale
