// The `atc` backend (DESIGN step 7).
#pragma once

#include <memory>

#include "convert/backend.h"

namespace autoscale {

std::unique_ptr<Backend> MakeAtcBackend();

}  // namespace autoscale
