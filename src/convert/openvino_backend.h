// The `openvino` backend: one fully static OpenVINO IR per gear, for devices
// (NPUs) that compile only static shapes. Each gear runs the OpenVINO model
// converter once:
//   ovc <model.onnx> --input <name>[n,c,h,w] --output_model <out>/<model>_<n>x<c>x<h>x<w>.xml
// (`--input name[shape]`:
// https://docs.openvino.ai/2024/openvino-workflow/model-preparation/setting-input-shapes.html;
// `--output_model` names the .xml, the .bin is written beside it:
// https://docs.openvino.ai/2024/openvino-workflow/model-preparation/conversion-parameters.html).
// gears.json lists every static file of a model with its shape.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "convert/backend.h"

namespace autoscale {

std::unique_ptr<Backend> MakeOpenvinoBackend();

// <output_path>/<model name>_<n>x<c>x<h>x<w>.xml: the IR of one gear.
std::string OpenvinoGearPath(const ConvertOptions& options, const PlannedModel& model,
                             const FullShape& gear);

// The ovc argument vector for one gear of a planned model, argv[0] = `binary`.
// The model and the IR as CommandModelPath and CommandOutputBase name them
// (in a dry run relative to the output folder).
std::vector<std::string> OvcCommand(const Plan& plan, const PlannedModel& model,
                                    const FullShape& gear, const ConvertOptions& options,
                                    const std::string& binary);

}  // namespace autoscale
