// What one model call costs at shape (n, h, w): either input pixels plus a
// fixed per-call overhead, or milliseconds measured on the device (a table,
// with a least-squares fit for the shapes it does not list).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/status.h"

namespace autoscale {
namespace runtime {

// The fixed cost of a call in input pixels, used when a deployment or config
// gives no cost model: one 48x320 crop. On a CPU (PP-OCRv4 rec, ONNX Runtime:
// 1.6 ms at 1x3x48x32, 117 ms at 1x3x48x2592, i.e. 0.94 us/px plus 0.15 ms)
// a call costs about 170 px; an accelerator (Ascend, TensorRT) pays 0.1-1 ms
// of launch, host-device copy and sync per call while computing 1e8-1e9 px/s,
// about 1e4-1e5 px. 15360 sits at the low end of the accelerators the gears
// are for: batching pays off there, and it is still well above the CPU's.
constexpr double kDefaultCallOverhead = 15360;

// One measured call: a batch of `batch` inputs of height x width took `ms`.
struct CostRow {
  int64_t batch = 0;
  int64_t height = 0;
  int64_t width = 0;
  double ms = 0;
};

// ms = a + b*n + c*n*h*w, every coefficient >= 0.
struct CostFit {
  double a = 0;  // per call
  double b = 0;  // per batch slot
  double c = 0;  // per input pixel
  // Largest |fit - measured| / measured over the rows the fit was made from.
  double max_relative_error = 0;
};

// OK when every row is positive (batch, height, width, ms > 0) and `rows` has
// at least 3 distinct (batch, batch*height*width) points,
// the least a fit of three coefficients needs; otherwise an error naming
// `where`.
Status CheckFitRows(const std::vector<CostRow>& rows, const std::string& where);

// The non-negative least-squares fit of ms = a + b*n + c*n*h*w to `rows`,
// each residual divided by its row's ms (relative error: a small shape,
// however often it runs, is fitted as well as a huge one). Exact: the best
// of the unconstrained fits on every subset of the three coefficients that
// comes out non-negative. Errors as CheckFitRows.
Result<CostFit> FitCostRows(const std::vector<CostRow>& rows, const std::string& where);

class CostModel {
 public:
  enum class Kind { kPixels, kTable };

  // Cost = call_overhead + n*h*w, in "px". call_overhead must be >= 0.
  static CostModel Pixels(double call_overhead = kDefaultCallOverhead);
  // Cost in "ms": a shape listed in `rows` costs its measured value (the
  // median of its rows when it is listed several times); any other shape
  // costs the fit. Errors as FitCostRows.
  static Result<CostModel> Table(std::vector<CostRow> rows, const std::string& where);

  double Cost(int64_t n, int64_t h, int64_t w) const;
  // "px" or "ms".
  std::string unit() const;

  Kind kind() const { return kind_; }
  double call_overhead() const { return call_overhead_; }
  // The table's rows as given and its fit (empty / zero for a pixel model).
  const std::vector<CostRow>& rows() const { return rows_; }
  const CostFit& fit() const { return fit_; }

  // {"kind": "pixels", "call_overhead": x} or
  // {"kind": "table", "rows": [[batch, height, width, ms], ...],
  //  "fit": {"a": .., "b": .., "c": .., "max_relative_error": ..}}.
  nlohmann::json ToJson() const;
  // Reads ToJson's output; a table without "fit" is fitted from its rows.
  // Errors name `where` and the key.
  static Result<CostModel> FromJson(const nlohmann::json& j, const std::string& where);

 private:
  // One measured shape and its (median) cost, sorted by shape.
  struct Measured {
    int64_t n, h, w;
    double ms;
  };
  void BuildMeasured();

  Kind kind_ = Kind::kPixels;
  double call_overhead_ = kDefaultCallOverhead;
  std::vector<CostRow> rows_;
  CostFit fit_;
  std::vector<Measured> measured_;
};

}  // namespace runtime
}  // namespace autoscale
