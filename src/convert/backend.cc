#include "convert/backend.h"

#include "convert/atc_backend.h"
#include "convert/lite_backend.h"
#include "convert/onnx_backend.h"

namespace autoscale {

Result<std::unique_ptr<Backend>> MakeBackend(const std::string& name) {
  if (name == "onnx") return MakeOnnxBackend();
  if (name == "atc") return MakeAtcBackend();
  if (name == "lite") return MakeLiteBackend();
  return Status::Error("--backend '" + name + "': expected onnx, atc or lite");
}

}  // namespace autoscale
