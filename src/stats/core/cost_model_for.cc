#include "stats/core/cost_model_for.h"

namespace autoscale {

runtime::CostModel CostModelFor(const ScalingConfig& config) {
  return runtime::CostModel::Pixels(config.cost_call_overhead);
}

}  // namespace autoscale
