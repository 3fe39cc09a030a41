#include "stats/core/model_space.h"

#include "runtime/model_space.h"

namespace autoscale {

ModelSpace::ModelSpace(const InputShape& shape, int64_t limit_side_len)
    : shape_(shape), limit_side_len_(limit_side_len) {}

std::pair<int64_t, int64_t> ModelSpace::Map(double h, double w) const {
  const runtime::Item m = runtime::MapToModelSpace(shape_.dims, limit_side_len_, h, w);
  return {m.h, m.w};
}

void ModelSpace::AddImage(Profile* profile, int64_t h, int64_t w) const {
  auto [mh, mw] = Map(static_cast<double>(h), static_cast<double>(w));
  profile->dataset.images++;
  profile->AddSample({0, mh, mw});
}

void ModelSpace::AddImageBoxes(Profile* profile, const std::vector<BoxSize>& boxes) const {
  profile->dataset.images++;
  if (boxes.empty()) return;
  const int64_t batch = static_cast<int64_t>(boxes.size());
  profile->dataset.boxes += boxes.size();
  profile->AddBoxCount(batch);
  std::vector<runtime::Item> items;
  items.reserve(boxes.size());
  for (const auto& b : boxes) {
    auto [mh, mw] = Map(b.height, b.width);
    profile->AddSample({batch, mh, mw});
    items.push_back({mh, mw});
  }
  profile->AddImageBoxes(items);
}

Profile ModelSpace::NewProfile() const {
  Profile p;
  p.input_shape = shape_;
  p.limit_side_len = limit_side_len_;
  return p;
}

}  // namespace autoscale
