// The `onnx` backend: writes each planned model as an ONNX model whose input
// is shaped for its gears, with no external converter.
#pragma once

#include <memory>

#include "convert/backend.h"

namespace autoscale {

std::unique_ptr<Backend> MakeOnnxBackend();

}  // namespace autoscale
