#include "stats/core/model_space.h"

#include <algorithm>
#include <cmath>

namespace autoscale {

namespace {
// Rounds up, forgiving floating-point noise (48 * 100 / 48 stays 100).
int64_t CeilPx(double x) {
  int64_t v = static_cast<int64_t>(std::ceil(x - 1e-6));
  return std::max<int64_t>(v, 1);
}
}  // namespace

ModelSpace::ModelSpace(const InputShape& shape, int64_t limit_side_len)
    : shape_(shape), limit_side_len_(limit_side_len) {}

std::pair<int64_t, int64_t> ModelSpace::Map(double h, double w) const {
  const bool hd = shape_.HeightDynamic(), wd = shape_.WidthDynamic();
  const double H = static_cast<double>(shape_.dims[kH]);
  const double W = static_cast<double>(shape_.dims[kW]);
  if (!hd && wd) return {shape_.dims[kH], CeilPx(w * H / h)};
  if (hd && !wd) return {CeilPx(h * W / w), shape_.dims[kW]};
  if (hd && wd) {
    double ratio = 1.0;
    double long_side = std::max(h, w);
    if (long_side > static_cast<double>(limit_side_len_))
      ratio = static_cast<double>(limit_side_len_) / long_side;
    return {CeilPx(h * ratio), CeilPx(w * ratio)};
  }
  return {shape_.dims[kH], shape_.dims[kW]};
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
  for (const auto& b : boxes) {
    auto [mh, mw] = Map(b.height, b.width);
    profile->AddSample({batch, mh, mw});
  }
}

Profile ModelSpace::NewProfile() const {
  Profile p;
  p.input_shape = shape_;
  p.limit_side_len = limit_side_len_;
  return p;
}

}  // namespace autoscale
