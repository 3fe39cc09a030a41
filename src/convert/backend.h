// A backend turns a Plan into model files in the output folder.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/progress.h"
#include "common/status.h"
#include "convert/plan.h"

namespace autoscale {

struct ConvertOptions {
  // The ONNX model to convert. Required.
  std::string model_path;
  // Where every file goes; created if missing. Default "output".
  std::string output_path = "output";
  // "onnx" (embedded, default), "atc", "lite", "trt", "rknn" or "openvino".
  std::string backend = "onnx";
  // The graph input to shape; empty: the model's only input. Default empty.
  std::string input_name;
  // atc: --soc_version. Default "Ascend310P3"; any value is passed on.
  std::string soc_version = "Ascend310P3";
  // External converter binaries; empty means look them up on PATH.
  std::string atc_path;
  std::string lite_path;
  // trt: the trtexec binary; empty: from PATH.
  std::string trtexec_path;
  // trt: "exact" (one profile per gear, min = opt = max) or "ranges" (each
  // profile covers the sizes its gear serves); empty: the config's
  // trt.profiles (default "exact").
  std::string trt_profiles;
  // trt: the dataset's sample sizes in model space ([N, C, H, W], N the box
  // count of the sample's image or 0 when unknown) and how many samples have
  // each; "ranges" takes a profile's opt from them. Empty without a dataset.
  std::map<FullShape, uint64_t> sample_sizes;
  // trt: extra trtexec arguments (config trt.args), after autoscale's own.
  std::vector<std::string> trt_args;
  // rknn: rknn-toolkit2's target_platform; empty: the config's
  // rknn.target_platform (default "rk3588").
  std::string rknn_target_platform;
  // rknn: extra keyword arguments of RKNN.config() (config rknn.config), a
  // JSON object of numbers, booleans, plain strings and lists of them.
  nlohmann::json rknn_config = nlohmann::json::object();
  // rknn: the Python that runs the script; empty: python3 from PATH.
  std::string rknn_python;
  // openvino: the ovc binary; empty: from PATH.
  std::string ovc_path;
  // External converters run at once. Default 1 (ATC is memory hungry).
  int jobs = 1;
  // Seconds one external conversion may take before it is killed. Default 3600.
  int timeout_seconds = 3600;
  // Write convert.sh and the config files, run nothing. Default false.
  bool dry_run = false;
  // onnx: also write one fully static model per gear. Default false.
  bool static_per_gear = false;
  // atc: extra arguments, each "--name=value" (--atc_arg, jobs key atc_args),
  // passed after autoscale's own. Options autoscale sets are refused, files
  // named (--insert_op_conf=aipp.cfg) must exist. Default none.
  std::vector<std::string> atc_args;
  // lite: extra converter_lite arguments, each "--name=value" (--lite_arg,
  // jobs key lite_args). Default none.
  std::vector<std::string> lite_args;
  // lite: extra config file entries, each "section.key=value" (--lite_config,
  // jobs key lite_config), e.g. "ascend_context.precision_mode=enforce_fp16".
  // Default none.
  std::vector<std::string> lite_config;
  // How dynamic dims reach the Ascend converters: "native" (default: ATC's
  // --dynamic_batch_size / --dynamic_image_size where the shape allows) or
  // "dims" (always --input_format=ND --dynamic_dims, Lite's ND form).
  std::string atc_mode = "native";
  // Dry run: copy the input model into the output folder and name it there,
  // so the folder converts on another machine. Default false (convert.sh
  // names the model relative to its own folder).
  bool copy_model = false;
  // Set from the config, not the command line: gears.json's "cost" (a
  // runtime::CostModel JSON; null writes none) and "limit_side_len", so the
  // runtime routes as the evaluation did.
  nlohmann::json cost_model;
  int64_t limit_side_len = 0;
  // Where conversions report a line per model starting and ending, and the
  // status of the running ones. Default none (quiet).
  ProgressSink* progress = nullptr;
};

// What became of one planned model.
struct ModelOutcome {
  std::string name;  // the planned model's name
  // Keys the backend adds to this model's entry in gears.json (how its
  // runtime loads it: TensorRT profiles, static files); an object.
  nlohmann::json gears_json = nlohmann::json::object();
  bool ok = false;
  std::vector<std::string> files;    // files written (paths), when ok
  std::string error;                 // one line, when not ok
  std::string log_path;              // external converters: the log file
  std::string log_tail;              // external converters: its last lines, when not ok
  std::vector<std::string> command;  // external converters: the command run (or scripted)
  double seconds = 0;
};

class Backend {
 public:
  virtual ~Backend() = default;
  // Checks what can be checked before anything runs (gear counts and values
  // the converter would reject, the converter binary exists unless dry-run).
  virtual Status Validate(const Plan& plan, const ConvertOptions& options) const = 0;
  // Converts every planned model; a failed model does not stop the others.
  virtual std::vector<ModelOutcome> Convert(const Plan& plan,
                                            const ConvertOptions& options) const = 0;
};

// The progress lines of a conversion: "[2/3] rec: converting" when the
// `count`th model of `total` starts, "[2/3] rec: ok, 3.2 s" (or "FAILED,
// 3.2 s: why") when the `count`th ends. Nothing without a sink.
void ReportModelStart(ProgressSink* progress, size_t count, size_t total, const std::string& name);
void ReportModelEnd(ProgressSink* progress, size_t count, size_t total,
                    const ModelOutcome& outcome);

// The backend names, in order: "onnx", "atc", "lite", "trt", "rknn", "openvino".
std::vector<std::string> BackendNames();

// The backend named `name` (one of BackendNames()); the error lists the names.
Result<std::unique_ptr<Backend>> MakeBackend(const std::string& name);

}  // namespace autoscale
