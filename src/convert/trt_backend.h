// The `trt` backend: builds one TensorRT engine per planned model with
// trtexec, one optimization profile per gear, and writes the same profiles
// as ONNX Runtime TensorRT provider options into gears.json.
//
// trtexec takes several profiles as `--profile=<i>` followed by that
// profile's --minShapes/--optShapes/--maxShapes, repeated per profile
// (https://docs.nvidia.com/deeplearning/tensorrt/latest/reference/command-line-programs.html);
// a shape is `<input>:<n>x<c>x<h>x<w>`. ONNX Runtime takes the same profiles
// as trt_profile_min_shapes / trt_profile_opt_shapes / trt_profile_max_shapes,
// `<input>:<dims>` comma-separated, the input repeated once per profile
// (https://onnxruntime.ai/docs/execution-providers/TensorRT-ExecutionProvider.html).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "convert/backend.h"

namespace autoscale {

std::unique_ptr<Backend> MakeTrtBackend();

// trt.profiles: "exact" (the default) and "ranges".
const std::vector<std::string>& TrtProfileModes();

// One optimization profile of an engine.
struct TrtProfile {
  FullShape min, opt, max;
  bool operator==(const TrtProfile& o) const {
    return min == o.min && opt == o.opt && max == o.max;
  }
};

// One profile per gear of `model`, in gear order.
// "exact": min = opt = max = the gear (inputs are padded to their gear).
// "ranges": max = the gear, min along each dynamic dim = 1 +
// the largest value of that dim among the gears routed before it (smaller
// n*h*w, ties in gear order) that are at least as large in every other
// dynamic dim, or 1 when there is none: the profile holds every size its
// gear serves, so the engine runs inputs unpadded. With one dynamic dim, min
// is the previous gear + 1. opt = the size most of the `sample_sizes` the
// gear serves have (those it holds and no gear tried before it does; a fixed
// dim, or an unknown N, taken as the gear's; ties to the smaller size), else
// the gear.
std::vector<TrtProfile> TrtProfiles(const PlannedModel& model, const std::string& mode,
                                    const std::map<FullShape, uint64_t>& sample_sizes = {});

// The trtexec argument vector for one planned model, argv[0] = `binary`. The
// model and the engine as CommandModelPath and CommandOutputBase name them
// (in a dry run relative to the output folder).
std::vector<std::string> TrtCommand(const Plan& plan, const PlannedModel& model,
                                    const ConvertOptions& options, const std::string& binary);

// {"trt_profile_min_shapes": "x:1x3x48x320,x:...", "trt_profile_opt_shapes":
// ..., "trt_profile_max_shapes": ...}
nlohmann::json TrtProviderOptions(const std::string& input,
                                  const std::vector<TrtProfile>& profiles);

// Checks trt.args: each a `--flag` or `--flag=value` without control
// characters, none of the flags autoscale sets itself (--onnx, --saveEngine,
// --profile, --minShapes, --optShapes, --maxShapes, ...).
Status CheckTrtArgs(const std::vector<std::string>& args);

}  // namespace autoscale
