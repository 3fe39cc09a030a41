#include "pipeline/job_options.h"

#include <catch2/catch.hpp>

namespace autoscale {
namespace {

TEST_CASE("job options' command-line flags: snake and kebab case, the alias too", "[jobs]") {
  CHECK(JobOptionFlags("dataset_path") == "--dataset_path,--dataset-path,--data_path,--data-path");
  CHECK(JobOptionFlags("profile") == "--profile");
  CHECK(JobOptionFlags("timeout") == "--timeout,--timeout_seconds,--timeout-seconds");
  CHECK(CanonicalJobKey("data-path") == "dataset_path");
  for (const std::string& name : JobOptionNames()) {
    CAPTURE(name);
    CHECK_FALSE(JobOptionHelp(name).empty());
  }
  CHECK(JobOptionHelp("backend") == "onnx, atc, lite, trt, rknn or openvino (default onnx)");
  CHECK(JobOptionHelp("dataset_type") ==
        "auto|images|det_labels|icdar|rec_labels|lmdb|coco|tar (default auto)");
}

}  // namespace
}  // namespace autoscale
