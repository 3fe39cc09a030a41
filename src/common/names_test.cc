#include "common/names.h"

#include <catch2/catch.hpp>

namespace autoscale {
namespace {

TEST_CASE("names joined with a separator", "[names]") {
  CHECK(JoinNames({}, ", ") == "");
  CHECK(JoinNames({"onnx"}, ", ") == "onnx");
  CHECK(JoinNames({"auto", "images", "icdar"}, "|") == "auto|images|icdar");
  CHECK(JoinNames({"onnx", "atc", "lite"}, ", ", " or ") == "onnx, atc or lite");
  CHECK(JoinNames({"onnx", "atc"}, ", ", " or ") == "onnx or atc");
  CHECK(JoinNames({"onnx"}, ", ", " or ") == "onnx");
}

}  // namespace
}  // namespace autoscale
