#include "runtime/cost_table.h"

#include <catch2/catch.hpp>

namespace autoscale {
namespace runtime {
namespace {

const char* kRows = "1,48,160,1.5\n2,48,320,2.5\n4,48,640,7\n";

std::string Error(const std::string& text) {
  auto r = ParseCostTable(text, "costs.csv");
  REQUIRE_FALSE(r.ok());
  return r.message();
}

TEST_CASE("A cost table reads its columns in any order and ignores others") {
  auto r = ParseCostTable(
      "# measured on the device\n\n ms , note, width,batch ,height\r\n"
      "1.5, warm ,160,1,48\r\n# a comment\r\n2.5,,320,2,48\r\n\r\n7,x,640,4,48\r\n",
      "costs.csv");
  REQUIRE(r.ok());
  REQUIRE(r->size() == 3);
  CHECK((*r)[1].batch == 2);
  CHECK((*r)[1].height == 48);
  CHECK((*r)[1].width == 320);
  CHECK((*r)[1].ms == 2.5);
  CHECK((*r)[2].ms == 7);
}

TEST_CASE("Cost table errors name the file and line") {
  CHECK(Error("batch,height,width\n1,2,3\n") == "costs.csv:1: no 'ms' column");
  CHECK(Error("# c\nbatch,width,ms\n") == "costs.csv:2: no 'height' column");
  CHECK(Error("batch,height,width,ms\n1,48,x,2\n") ==
        "costs.csv:2: 'width' is not an integer: 'x'");
  CHECK(Error("batch,height,width,ms\n1,48,160,fast\n") ==
        "costs.csv:2: 'ms' is not a number: 'fast'");
  CHECK(Error(std::string("batch,height,width,ms\n") + kRows + "1,48,160,-2\n") ==
        "costs.csv:5: 'ms' is negative: -2");
  CHECK(Error("batch,height,width,ms\n\n0,48,160,2\n") ==
        "costs.csv:3: 'batch' must be positive, got 0");
  CHECK(Error("batch,height,width,ms\n1,-48,160,2\n") ==
        "costs.csv:2: 'height' must be positive, got -48");
  CHECK(Error("batch,height,width,ms\n1,48,160\n") == "costs.csv:2: 3 cells, the header has 4");
  CHECK(Error("batch,height,width,ms\n1,48,160,1\n2,48,160,2\n") ==
        "costs.csv: the fit needs rows of at least 3 distinct (batch, batch*height*width), got 2");
  CHECK(Error("# only a comment\n") == "costs.csv:1: no header line (batch,height,width,ms)");
}

TEST_CASE("A missing cost table file is an error naming it") {
  auto r = LoadCostTable("/nonexistent/costs.csv");
  CHECK(r.message() == "/nonexistent/costs.csv: cannot read the file");
}

TEST_CASE("The cost plan lists the shapes to measure") {
  CHECK(CostPlanCsv({{1, 48, 320}, {8, 48, 640}}) == "batch,height,width\n1,48,320\n8,48,640\n");
}

}  // namespace
}  // namespace runtime
}  // namespace autoscale
