#include "convert/backend.h"

#include <cstdio>

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

void ReportModelStart(ProgressSink* progress, size_t count, size_t total, const std::string& name) {
  if (progress == nullptr) return;
  progress->Line("[" + std::to_string(count) + "/" + std::to_string(total) + "] " + name +
                 ": converting");
}

void ReportModelEnd(ProgressSink* progress, size_t count, size_t total,
                    const ModelOutcome& outcome) {
  if (progress == nullptr) return;
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.1f s", outcome.seconds);
  progress->Line("[" + std::to_string(count) + "/" + std::to_string(total) + "] " + outcome.name +
                 ": " + (outcome.ok ? "ok, " : "FAILED, ") + seconds +
                 (outcome.ok ? "" : ": " + outcome.error));
}

}  // namespace autoscale
