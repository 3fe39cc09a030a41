// One converted deployment as inference code loads it from gears.json: its
// gears, cost model, input shape and limit_side_len, with the two questions
// inference asks: which call serves this input, and how to split these crops
// into calls.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "runtime/gear_table.h"
#include "runtime/model_space.h"
#include "runtime/router.h"
#include "runtime/selector.h"

namespace autoscale {
namespace runtime {

class Deployment {
 public:
  // Reads gears.json (see ParseGearsJson).
  static Result<Deployment> Load(const std::string& path);
  explicit Deployment(GearsFile file);

  // The call for one source image or crop.
  Selection Select(SourceSize source) const;
  // The calls for a set of crops (e.g. the boxes of one image); Run::items
  // index `sources`.
  Routing Route(const std::vector<SourceSize>& sources) const;
  // The size a source is resized to before padding into its run's gear
  // (model space, clamped to the largest gear when *shrunk).
  Item Resized(SourceSize source, bool* shrunk) const;

  const InputDims& input_shape() const { return input_shape_; }
  int64_t limit_side_len() const { return limit_side_len_; }
  const Router& router() const { return router_; }

 private:
  InputDims input_shape_;
  int64_t limit_side_len_;
  Router router_;
};

}  // namespace runtime
}  // namespace autoscale
