#include "stats/readers/icdar_line.h"

#include <catch2/catch.hpp>

#include <string>

namespace autoscale {
namespace {

std::string ParseError(const std::string& line) {
  IcdarBox box;
  std::string error;
  return ParseIcdarLine(line, &box, &error) ? "(parsed)" : error;
}

TEST_CASE("an ICDAR line gives 4 points and the text after the eighth comma", "[icdar]") {
  IcdarBox box;
  std::string error;
  REQUIRE(ParseIcdarLine("377,117,463,117,465,130,378,130,Genaxis Theatre", &box, &error));
  CHECK(box.points[0].x == 377);
  CHECK(box.points[3].y == 130);
  CHECK(box.text == "Genaxis Theatre");
  REQUIRE(ParseIcdarLine(" 1.5 , 2 ,3,\t4,5,6,7e1,-8,NO.53 55,57 & 59, \"q\"", &box, &error));
  CHECK(box.points[0].x == 1.5);
  CHECK(box.points[1].y == 4);
  CHECK(box.points[3].x == 70);
  CHECK(box.points[3].y == -8);
  CHECK(box.text == "NO.53 55,57 & 59, \"q\"");
  REQUIRE(ParseIcdarLine("1,2,3,4,5,6,7,8", &box, &error));
  CHECK(box.text.empty());
  REQUIRE(ParseIcdarLine("1,2,3,4,5,6,7,8,", &box, &error));
  CHECK(box.text.empty());
  REQUIRE(ParseIcdarLine("1,2,3,4,5,6,7,8,123,456", &box, &error));
  CHECK(box.text == "123,456");
}

TEST_CASE("malformed ICDAR lines say why", "[icdar]") {
  CHECK(ParseError("1,2,3,4,5,6,7") == "expected 8 comma-separated coordinates, found 7");
  CHECK(ParseError("1,2,3,") == "expected 8 comma-separated coordinates, found 3");
  CHECK(ParseError("Genaxis Theatre") == "coordinate 1 'Genaxis Theatre' is not a number");
  CHECK(ParseError("1,2,3,4,x5,6,7,8,t") == "coordinate 5 'x5' is not a number");
  CHECK(ParseError("1,2,3,4,5,6,7,8 text") == "coordinate 8 '8 text' is not a number");
  CHECK(ParseError("1 2,3,4,5,6,7,8,9,t") == "coordinate 1 '1 2' is not a number");
  CHECK(ParseError(",1,2,3,4,5,6,7,8") == "coordinate 1 '' is not a number");
}

}  // namespace
}  // namespace autoscale
