// The `rknn` backend: one Python script per planned model for Rockchip's
// rknn-toolkit2, which builds a .rknn holding every gear as one of its
// dynamic_input shapes:
//   rknn = RKNN(); rknn.config(target_platform=..., dynamic_input=[[[n,c,h,w]], ...], ...)
//   rknn.load_onnx(model=..., inputs=[name], input_size_list=[[n,c,h,w]])
//   rknn.build(do_quantization=False); rknn.export_rknn(path)
// (RKNN-Toolkit2 user guide and its dynamic_shape example:
// https://github.com/airockchip/rknn-toolkit2/tree/master/doc,
// https://github.com/airockchip/rknn-toolkit2/tree/master/rknn-toolkit2/examples/functions/dynamic_shape).
// A real run runs each script with python3 and needs `rknn.api` importable;
// --dry-run writes the scripts and convert.sh only.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "convert/backend.h"

namespace autoscale {

std::unique_ptr<Backend> MakeRknnBackend();

// rknn-toolkit2 takes at most this many dynamic_input shapes per model.
constexpr int kRknnMaxShapes = 512;

// <output_path>/<name>_rknn.py
std::string RknnScriptPath(const ConvertOptions& options, const PlannedModel& model);

// The script's text. `options` must have passed Validate (target platform,
// rknn.config). It names the model and the .rknn as given; in a dry run as
// CommandModelPath and CommandOutputBase do, joined to the script's own
// folder (so the script runs from any folder and the output folder moves).
std::string RknnScriptText(const Plan& plan, const PlannedModel& model,
                           const ConvertOptions& options);

// rknn.target_platform: lowercase letters and digits ("rk3588", "rv1106").
Status CheckRknnTargetPlatform(const std::string& platform);

// rknn.config: an object whose keys are Python identifiers other than the
// ones autoscale sets (target_platform, dynamic_input) and whose values are
// numbers, booleans, strings of printable ASCII, or lists of those (nested up
// to 4 deep). Anything else could not be written as a plain Python literal.
Status CheckRknnConfig(const nlohmann::json& config);

// `text` as a Python expression of that string: a single-quoted literal with
// \\ and \' escaped; when it holds a byte outside printable ASCII, a bytes
// literal of it (every such byte as \xNN) decoded as UTF-8 with
// surrogateescape, as Python decodes file names. Nothing in it can end the
// literal.
std::string PythonString(const std::string& text);

}  // namespace autoscale
