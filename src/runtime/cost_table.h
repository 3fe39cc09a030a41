// The CSV of measured call costs a user fills on the device
// (batch,height,width,ms), and the plan CSV listing the shapes to measure.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "runtime/cost_model.h"

namespace autoscale {
namespace runtime {

// One model call shape to measure.
struct CallShape {
  int64_t batch = 0;
  int64_t height = 0;
  int64_t width = 0;
};

// Parses a cost table. The first line that is neither blank nor a `#`
// comment is the header; it must name the columns batch, height, width and
// ms, in any order; other columns are ignored. Cells may be surrounded by
// spaces; CRLF line ends are accepted. batch, height and width are positive
// integers, ms a positive number. The rows must be enough to fit a cost
// model (CheckFitRows). Errors are one line "path:line: what".
Result<std::vector<CostRow>> ParseCostTable(const std::string& text, const std::string& path);

// Reads and parses the file at `path`.
Result<std::vector<CostRow>> LoadCostTable(const std::string& path);

// "batch,height,width\n" then one line per shape, in the given order.
std::string CostPlanCsv(const std::vector<CallShape>& shapes);

}  // namespace runtime
}  // namespace autoscale
