// An ONNX model in memory while its input is shaped for the gears:
// loading with one-line errors, finding the input, checking the user's
// --input_shape against it, rewriting the input dims, metadata, the ONNX
// checker and shape inference, and saving.
//
// External data: tensors whose data lives in files beside the model
// (data_location EXTERNAL) are never read into memory. Loading checks that
// every referenced file exists inside the model's folder; saving into another
// folder puts each referenced file at the same relative location beside the
// new model (a hard link when the file system allows, a copy otherwise), so
// every written model is self-contained and its references stay valid.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <onnx/onnx_pb.h>

#include "common/status.h"
#include "stats/core/input_shape.h"

namespace autoscale {

struct OnnxModel {
  onnx::ModelProto proto;
  // The file it was loaded from (for messages); empty when parsed from bytes.
  std::string path;
  // The folder external data locations are relative to.
  std::string base_dir;
  // The distinct external data locations (relative paths), in first-use order.
  std::vector<std::string> external_files;
};

// Loads a model file of up to 2 GB (protobuf's limit). Errors name the path:
// missing file, not an ONNX model, truncated, external data missing or
// outside the model's folder.
Result<OnnxModel> LoadOnnxModel(const std::string& path);

// Parses a serialized model; `name` prefixes errors. External data
// references are checked for their form only (relative, inside the folder).
Result<OnnxModel> ParseOnnxModel(const std::string& bytes, const std::string& name);

// The graph inputs that are not initializers, in graph order.
std::vector<std::string> ModelInputNames(const onnx::ModelProto& model);

// `requested` when the model has that input; with `requested` empty, the only
// input. Otherwise an error that lists the inputs.
Result<std::string> FindInput(const onnx::ModelProto& model, const std::string& requested);

// The input's dims as the model declares them, -1 for a dynamic one (named,
// unset or not positive). std::nullopt when the model declares no shape.
Result<std::optional<std::vector<int64_t>>> ModelInputDims(const onnx::ModelProto& model,
                                                           const std::string& input);

// The user's shape against the model's input: rank 4; a dim the user makes
// dynamic is dynamic in the model; a dim the user pins is dynamic or equal.
Status CheckInputShape(const onnx::ModelProto& model, const std::string& input,
                       const InputShape& shape);

// Rewrites the input's dims: values >= 1 are pinned (dim_value), -1 is named
// (dim_param "batch", "channels", "height", "width"). A symbol the input used
// is replaced the same way in the graph outputs and value_info, where no
// other graph input uses it, so they do not keep a stale name.
Status SetInputDims(onnx::ModelProto* model, const std::string& input,
                    const std::array<int64_t, 4>& dims);

// Sets (or replaces) one metadata_props entry.
void SetMetadata(onnx::ModelProto* model, const std::string& key, const std::string& value);
std::optional<std::string> GetMetadata(const onnx::ModelProto& model, const std::string& key);

// The ONNX checker, with external data looked for under `base_dir` (the
// model's folder; empty: the working folder). The error is one line.
Status CheckModel(const onnx::ModelProto& model, const std::string& base_dir = "");

// Shape inference with node errors thrown (a gear the graph cannot take is
// an error naming the first node that fails). The model's value_info is
// replaced by the inferred shapes, and the graph outputs take them too (to
// infer for other input dims, start again from the source's outputs). Dims inference cannot work out (ONNX 1.12
// leaves PP-OCR rec/cls outputs unknown) are not errors.
Status InferShapes(onnx::ModelProto* model);

// CheckModel, then InferShapes.
Status CheckAndInferShapes(onnx::ModelProto* model, const std::string& base_dir = "");

// Writes the model to `path` through a temporary name and a rename, with its
// external data files (relative to `base_dir`) placed beside it. On failure
// nothing new is left behind.
Status SaveOnnxModel(const onnx::ModelProto& model, const std::string& base_dir,
                     const std::vector<std::string>& external_files, const std::string& path);

}  // namespace autoscale
