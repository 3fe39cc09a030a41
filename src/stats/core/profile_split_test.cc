#include "stats/core/profile_split.h"

#include <catch2/catch.hpp>

#include "stats/core/model_space.h"

using namespace autoscale;

namespace {
Profile Annotated(int images) {
  ModelSpace m(*ParseInputShape("-1,3,48,-1"), 960);
  Profile p = m.NewProfile();
  for (int i = 0; i < images; ++i) {
    std::vector<BoxSize> boxes;
    for (int k = 0; k <= i % 4; ++k) boxes.push_back({20.0 + k, 50.0 + 7 * i + k});
    m.AddImageBoxes(&p, boxes);
  }
  return p;
}
}  // namespace

TEST_CASE("a split keeps every image whole in one part", "[profile_split]") {
  Profile whole = Annotated(200);
  ProfileSplit split = SplitProfile(whole, 0.25, 7);
  // Merged back, the parts are the whole.
  Profile back = split.kept;
  back.Merge(split.holdout);
  CHECK(back == whole);
  // Every image's boxes stay together: each part's routing units are whole
  // images of the original.
  CHECK(split.holdout.image_boxes().size() + split.kept.image_boxes().size() ==
        whole.image_boxes().size());
  for (const auto& [key, n] : split.holdout.image_boxes()) CHECK(whole.image_boxes().count(key));
  // About a quarter held out.
  CHECK(split.holdout.dataset.images > 30);
  CHECK(split.holdout.dataset.images < 70);
  CHECK(split.holdout.dataset.images + split.kept.dataset.images == 200);
}

TEST_CASE("a split is the same for the same seed and differs for another", "[profile_split]") {
  Profile whole = Annotated(100);
  CHECK(SplitProfile(whole, 0.2, 1).holdout == SplitProfile(whole, 0.2, 1).holdout);
  CHECK(!(SplitProfile(whole, 0.2, 1).holdout == SplitProfile(whole, 0.2, 2).holdout));
}

TEST_CASE("an image folder splits image by image", "[profile_split]") {
  ModelSpace m(*ParseInputShape("1,3,-1,-1"), 960);
  Profile whole = m.NewProfile();
  for (int i = 0; i < 50; ++i) m.AddImage(&whole, 100, 100);  // one distinct size, 50 images
  ProfileSplit split = SplitProfile(whole, 0.5, 3);
  CHECK(split.kept.SampleCount() + split.holdout.SampleCount() == 50);
  CHECK(split.holdout.SampleCount() > 10);
  CHECK(split.kept.SampleCount() > 10);
  CHECK(split.holdout.dataset.images == split.holdout.SampleCount());
}
