#include "stats/readers/det_label_line.h"

#include <catch2/catch.hpp>

#include <string>

namespace autoscale {
namespace {

std::string ParseError(const std::string& line) {
  DetLabelLine out;
  std::string error;
  if (ParseDetLabelLine(line, &out, &error)) return "(parsed)";
  return error;
}

TEST_CASE("a det label line gives its path and every box's points", "[det_labels]") {
  DetLabelLine out;
  std::string error;
  const std::string line =
      "imgs/a b.jpg\t[{\"transcription\": \"CAF\xC3\x89, \\\"ok\\\" \\\\ \\u00e9\\n\", "
      "\"points\": [[1, 2], [3.5, -4], [5e1, 6], [7, 8]], \"difficult\": false, "
      "\"extra\": {\"a\": [1, {\"b\": null}], \"c\": NaN}}, "
      "{\"points\":[[0,0],[10,0],[10,10],[5,15],[0,10]],\"transcription\":\"###\"}]";
  REQUIRE(ParseDetLabelLine(line, &out, &error));
  CHECK(out.image == "imgs/a b.jpg");
  REQUIRE(out.BoxCount() == 2);
  CHECK(out.BoxPoints(0) == 4);
  CHECK(out.BoxPoints(1) == 5);
  CHECK(out.points[1].x == 3.5);
  CHECK(out.points[1].y == -4);
  CHECK(out.points[2].x == 50);
  CHECK(out.points[7].y == 15);

  SECTION("an empty list is an image without boxes") {
    REQUIRE(ParseDetLabelLine("a.jpg\t[]", &out, &error));
    CHECK(out.BoxCount() == 0);
    REQUIRE(ParseDetLabelLine("a.jpg\t  [ ]  ", &out, &error));
    CHECK(out.BoxCount() == 0);
  }
  SECTION("a repeated points key: the last one counts") {
    REQUIRE(ParseDetLabelLine("a.jpg\t[{\"points\": [[1,1]], \"points\": [[0,0],[2,0],[2,2],[0,2]]}]",
                              &out, &error));
    CHECK(out.BoxPoints(0) == 4);
  }
  SECTION("a box of too few points parses; geometry rejects it") {
    REQUIRE(ParseDetLabelLine("a.jpg\t[{\"points\": []}, {\"points\": [[1, 2]]}]", &out, &error));
    CHECK(out.BoxPoints(0) == 0);
    CHECK(out.BoxPoints(1) == 1);
  }
}

TEST_CASE("malformed det label lines say why", "[det_labels]") {
  CHECK(ParseError("a.jpg [{\"points\": [[0,0]]}]") == "no tab between the image path and the labels");
  CHECK(ParseError("\t[]") == "no image path before the tab");
  CHECK(ParseError("a.jpg\t") == "no labels after the tab");
  CHECK(ParseError("a.jpg\t{\"points\": []}") == "the labels are not a JSON list (expected '[')");
  CHECK(ParseError("a.jpg\t[{\"points\": [[0,0]]},]") ==
        "invalid JSON at column 28: box 2 is not a JSON object");
  CHECK(ParseError("a.jpg\t[{\"points\": [[0,0]]}") ==
        "invalid JSON at column 27: expected ',' or ']' after box 1");
  CHECK(ParseError("a.jpg\t[{\"transcription\": \"x\"}]") == "box 1 has no \"points\"");
  CHECK(ParseError("a.jpg\t[{}]") == "box 1 has no \"points\"");
  CHECK(ParseError("a.jpg\t[{\"points\": [[0,0,1]]}]") ==
        "invalid JSON at column 24: \"points\" of box 1 is not a list of [x, y] number pairs");
  CHECK(ParseError("a.jpg\t[{\"points\": [0, 0]}]").find("is not a list of [x, y]") != std::string::npos);
  CHECK(ParseError("a.jpg\t[{\"points\": null}]").find("is not a list of [x, y]") != std::string::npos);
  CHECK(ParseError("a.jpg\t[{\"points\": [[\"1\", 2]]}]").find("is not a list of [x, y]") != std::string::npos);
  CHECK(ParseError("a.jpg\t[{\"transcription\": \"abc, \"points\": []}]").find("invalid JSON") == 0);
  CHECK(ParseError("a.jpg\t[{\"transcription\": \"abc}]") ==
        "invalid JSON at column 26: unterminated string");
  CHECK(ParseError("a.jpg\t[{\"transcription\": \"a\\qb\", \"points\": []}]") ==
        "invalid JSON at column 28: bad escape in a string");
  CHECK(ParseError("a.jpg\t[{\"transcription\": \"\\u12g4\", \"points\": []}]") ==
        "invalid JSON at column 27: bad \\u escape in a string");
  CHECK(ParseError("a.jpg\t[{\"points\" [[0,0]]}]") ==
        "invalid JSON at column 18: expected ':' after a key");
  CHECK(ParseError("a.jpg\t[{\"points\": [[0,0]] \"x\": 1}]") ==
        "invalid JSON at column 27: expected ',' or '}' in box 1");
  CHECK(ParseError("a.jpg\t[{\"points\": [], \"x\": tru}]") ==
        "invalid JSON at column 28: unexpected character");
  CHECK(ParseError("a.jpg\t[] x") == "invalid JSON at column 10: unexpected text after the list");
  CHECK(ParseError("a.jpg\t[{\"points\": [], \"x\": " + std::string(200, '[') +
                   std::string(200, ']') + "}]")
            .find("nested deeper than 100") != std::string::npos);
}

}  // namespace
}  // namespace autoscale
