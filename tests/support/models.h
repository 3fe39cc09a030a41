// ONNX models for tests: the committed sample models, variants of them built
// in memory, and the real PP-OCRv4 models that scripts/fetch-models.sh puts
// in cache/models (or $AUTOSCALE_MODELS_DIR).
#pragma once

#include <string>
#include <vector>

#include <onnx/onnx_pb.h>

namespace autoscale::test {

// data/samples/sample_det.onnx: input "x" [N, 3, H, W] (N, H, W named
// "N", "H", "W"), output "y" [N, 1, ceil(H/2), ceil(W/2)].
std::string SampleModelPath();
// data/samples/sample_det_static.onnx: the same graph at [1, 3, 64, 64].
std::string SampleStaticModelPath();

// The sample model parsed; the test fails if it cannot be read.
onnx::ModelProto LoadSampleModel();

// The sample model with `y + c` appended, c a constant of shape
// [1, 1, 32, 32], as a new output "z": the graph then only takes inputs of
// 64x64 (shape inference fails on any other H or W), which lets a test make
// a gear the graph rejects.
onnx::ModelProto FixedSizeModel();
// Writes it as <dir>/tail.onnx and returns that path.
std::string WriteFixedSizeModel(const std::string& dir);

// Moves the data of initializer `name` into `<dir>/<location>` and makes the
// tensor refer to it (external data).
void MoveToExternalData(onnx::ModelProto* model, const std::string& name, const std::string& dir,
                        const std::string& location);

// A value's dims as text: the value, or the symbol's name ("" when unset).
std::vector<std::string> DimStrings(const onnx::ValueInfoProto& info);
// The dims of the graph input `input`; the test fails if there is none.
std::vector<std::string> InputDimStrings(const onnx::ModelProto& model, const std::string& input);

// Every file and folder under `dir`, relative to it, sorted; empty when
// `dir` does not exist. What a conversion left in its output folder, but the
// lock and manifest every conversion keeps there.
std::vector<std::string> FilesUnder(const std::string& dir);

// Serializes a model to a file; the test fails if it cannot.
void WriteModel(const onnx::ModelProto& model, const std::string& path);

// The real models: "det" (ch_PP-OCRv4_det_infer.onnx), "rec"
// (ch_PP-OCRv4_rec_infer.onnx) or "cls" (ch_ppocr_mobile_v2.0_cls_infer.onnx).
// A missing model FAILS the test (run scripts/fetch-models.sh); it never
// skips it.
std::string RealModelPath(const std::string& kind);

}  // namespace autoscale::test
