#include "runtime/model_space.h"

#include <algorithm>
#include <cmath>

namespace autoscale {
namespace runtime {

namespace {
// Rounds up, forgiving floating-point noise (48 * 100 / 48 stays 100).
int64_t CeilPx(double x) {
  int64_t v = static_cast<int64_t>(std::ceil(x - 1e-6));
  return std::max<int64_t>(v, 1);
}
}  // namespace

Item MapToModelSpace(const InputDims& shape, int64_t limit_side_len, double h, double w) {
  const bool hd = shape[2] == -1, wd = shape[3] == -1;
  const double H = static_cast<double>(shape[2]);
  const double W = static_cast<double>(shape[3]);
  if (!hd && wd) return {shape[2], CeilPx(w * H / h)};
  if (hd && !wd) return {CeilPx(h * W / w), shape[3]};
  if (hd && wd) {
    double ratio = 1.0;
    const double long_side = std::max(h, w);
    if (limit_side_len > 0 && long_side > static_cast<double>(limit_side_len))
      ratio = static_cast<double>(limit_side_len) / long_side;
    return {CeilPx(h * ratio), CeilPx(w * ratio)};
  }
  return {shape[2], shape[3]};
}

}  // namespace runtime
}  // namespace autoscale
