#include "convert/backend.h"

#include "common/names.h"
#include "convert/atc_backend.h"
#include "convert/lite_backend.h"
#include "convert/onnx_backend.h"
#include "convert/openvino_backend.h"
#include "convert/rknn_backend.h"
#include "convert/trt_backend.h"

namespace autoscale {

namespace {

// Every backend and its factory, the one list of both.
struct BackendEntry {
  const char* name;
  std::unique_ptr<Backend> (*make)();
};
const BackendEntry kBackends[] = {{"onnx", MakeOnnxBackend}, {"atc", MakeAtcBackend},
                                  {"lite", MakeLiteBackend}, {"trt", MakeTrtBackend},
                                  {"rknn", MakeRknnBackend}, {"openvino", MakeOpenvinoBackend}};

}  // namespace

std::vector<std::string> BackendNames() {
  std::vector<std::string> names;
  for (const BackendEntry& b : kBackends) names.push_back(b.name);
  return names;
}

Result<std::unique_ptr<Backend>> MakeBackend(const std::string& name) {
  for (const BackendEntry& b : kBackends)
    if (name == b.name) return b.make();
  return Status::Error("--backend '" + name + "': expected " +
                       JoinNames(BackendNames(), ", ", " or "));
}

}  // namespace autoscale
