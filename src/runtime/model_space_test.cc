#include "runtime/model_space.h"

#include <catch2/catch.hpp>

namespace autoscale {
namespace runtime {
namespace {

TEST_CASE("Fixed H, dynamic W scales the width and rounds it up") {
  const InputDims shape{-1, 3, 48, -1};
  Item a = MapToModelSpace(shape, 0, 24, 100);
  CHECK(a.h == 48);
  CHECK(a.w == 200);
  Item b = MapToModelSpace(shape, 0, 48, 100.2);
  CHECK(b.w == 101);
  // 100 * 48 / 48 is not pushed to 101 by floating-point noise.
  CHECK(MapToModelSpace(shape, 0, 48, 100).w == 100);
  CHECK(MapToModelSpace(shape, 0, 1000, 1).w == 1);
}

TEST_CASE("Fixed W, dynamic H scales the height") {
  Item a = MapToModelSpace({1, 3, -1, 32}, 0, 90, 30);
  CHECK(a.h == 96);
  CHECK(a.w == 32);
}

TEST_CASE("Both dynamic caps the long side at limit_side_len without upscaling") {
  const InputDims shape{1, 3, -1, -1};
  Item big = MapToModelSpace(shape, 960, 1000, 2000);
  CHECK(big.h == 480);
  CHECK(big.w == 960);
  Item small = MapToModelSpace(shape, 960, 100, 200);
  CHECK(small.h == 100);
  CHECK(small.w == 200);
  Item odd = MapToModelSpace(shape, 100, 33, 300);
  CHECK(odd.h == 11);
  CHECK(odd.w == 100);
  Item unlimited = MapToModelSpace(shape, 0, 1000, 2000);
  CHECK(unlimited.h == 1000);
  CHECK(unlimited.w == 2000);
}

TEST_CASE("Both fixed maps everything to the input shape") {
  Item a = MapToModelSpace({1, 3, 64, 128}, 960, 7, 9000);
  CHECK(a.h == 64);
  CHECK(a.w == 128);
}

}  // namespace
}  // namespace runtime
}  // namespace autoscale
