#include "convert/backend.h"

#include <catch2/catch.hpp>

namespace autoscale {
namespace {

TEST_CASE("every listed backend can be made and others are refused with the list", "[backend]") {
  CHECK(BackendNames() ==
        std::vector<std::string>{"onnx", "atc", "lite", "trt", "rknn", "openvino"});
  for (const std::string& name : BackendNames()) {
    CAPTURE(name);
    auto backend = MakeBackend(name);
    REQUIRE(backend.ok());
    CHECK(*backend != nullptr);
  }
  auto bad = MakeBackend("tensorrt");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.message() == "--backend 'tensorrt': expected onnx, atc, lite, trt, rknn or openvino");
}

}  // namespace
}  // namespace autoscale
