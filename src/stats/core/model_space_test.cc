#include "stats/core/model_space.h"

#include <catch2/catch.hpp>

using namespace autoscale;

static InputShape Shape(const char* s) { return *ParseInputShape(s); }

TEST_CASE("H fixed, W dynamic keeps the aspect ratio and rounds up", "[model_space]") {
  ModelSpace m(Shape("-1,3,48,-1"), 1280);
  CHECK(m.Map(24, 100) == std::pair<int64_t, int64_t>{48, 200});
  CHECK(m.Map(48, 100) == std::pair<int64_t, int64_t>{48, 100});
  CHECK(m.Map(32, 101) == std::pair<int64_t, int64_t>{48, 152});  // 151.5 -> 152
  CHECK(m.Map(1000, 2) == std::pair<int64_t, int64_t>{48, 1});    // never 0
}

TEST_CASE("W fixed, H dynamic", "[model_space]") {
  ModelSpace m(Shape("1,3,-1,192"), 1280);
  CHECK(m.Map(50, 96) == std::pair<int64_t, int64_t>{100, 192});
}

TEST_CASE("H and W dynamic: the long side is limited, aspect kept, no swap", "[model_space]") {
  ModelSpace m(Shape("1,3,-1,-1"), 1280);
  CHECK(m.Map(720, 1280) == std::pair<int64_t, int64_t>{720, 1280});
  CHECK(m.Map(7016, 4961) == std::pair<int64_t, int64_t>{1280, 906});  // portrait stays portrait
  CHECK(m.Map(605, 436) == std::pair<int64_t, int64_t>{605, 436});     // small images unscaled
  CHECK(m.Map(1000, 2560) == std::pair<int64_t, int64_t>{500, 1280});
}

TEST_CASE("static shapes map every sample to the model's size", "[model_space]") {
  ModelSpace m(Shape("1,3,48,192"), 1280);
  CHECK(m.Map(10, 999) == std::pair<int64_t, int64_t>{48, 192});
}

TEST_CASE("annotated images record box counts as batches", "[model_space]") {
  ModelSpace m(Shape("-1,3,48,-1"), 1280);
  Profile p = m.NewProfile();
  m.AddImageBoxes(&p, {{24, 100}, {48, 48}});
  m.AddImageBoxes(&p, {});
  m.AddImageBoxes(&p, {{12, 12}});
  CHECK(p.dataset.images == 3);
  CHECK(p.dataset.boxes == 3);
  CHECK(p.SampleCount() == 3);
  CHECK(p.batch().counts() == std::map<int64_t, uint64_t>{{1, 1}, {2, 1}});
  CHECK(p.samples().at({2, 48, 200}) == 1);
  CHECK(p.samples().at({2, 48, 48}) == 1);
  CHECK(p.samples().at({1, 48, 48}) == 1);
  CHECK(p.input_shape == Shape("-1,3,48,-1"));
}

TEST_CASE("image folders carry no batch information", "[model_space]") {
  ModelSpace m(Shape("1,3,-1,-1"), 1280);
  Profile p = m.NewProfile();
  m.AddImage(&p, 100, 200);
  CHECK_FALSE(p.HasBatchInfo());
  CHECK(p.samples().at({0, 100, 200}) == 1);
}
