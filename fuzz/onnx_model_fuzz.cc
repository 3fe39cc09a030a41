// Fuzzes what `autoscale convert` does with an untrusted model file before
// and while shaping it: parsing, the external data checks, finding the input,
// checking a shape against it, rewriting its dims, metadata, and the ONNX
// checker then shape inference (in that order, as the backend runs them).
// Any bytes must load or fail with a one-line message, never crash.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "convert/onnx_model.h"

using namespace autoscale;

namespace {

void MustBeOneLine(const Status& s) {
  if (!s.ok() && (s.message().empty() || s.message().find('\n') != std::string::npos)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  auto model = ParseOnnxModel(bytes, "fuzz.onnx");
  MustBeOneLine(model.status());
  if (!model.ok()) return 0;
  auto input = FindInput(model->proto, "");
  MustBeOneLine(input.status());
  if (!input.ok()) return 0;
  auto dims = ModelInputDims(model->proto, *input);
  MustBeOneLine(dims.status());
  for (const char* text : {"-1,3,-1,-1", "1,3,48,-1", "2,3,32,32"}) {
    const InputShape shape = *ParseInputShape(text);
    const Status fits = CheckInputShape(model->proto, *input, shape);
    MustBeOneLine(fits);
    if (!fits.ok()) continue;
    onnx::ModelProto shaped = model->proto;
    const Status set = SetInputDims(&shaped, *input, shape.dims);
    MustBeOneLine(set);
    if (!set.ok()) continue;
    SetMetadata(&shaped, "autoscale.mode", text);
    if (GetMetadata(shaped, "autoscale.mode") != std::optional<std::string>(text)) std::abort();
    // The fuzzed model has no folder: external data is never opened.
    if (!model->external_files.empty()) continue;
    const Status checked = CheckModel(shaped);
    MustBeOneLine(checked);
    if (checked.ok()) MustBeOneLine(InferShapes(&shaped));
  }
  return 0;
}
