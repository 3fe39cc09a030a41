#include "support/models.h"

#include <catch2/catch.hpp>
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>

#include "support/run_binary.h"

namespace autoscale::test {

namespace fs = std::filesystem;

std::string SampleModelPath() { return SourcePath("data/samples/sample_det.onnx"); }
std::string SampleStaticModelPath() { return SourcePath("data/samples/sample_det_static.onnx"); }

onnx::ModelProto LoadSampleModel() {
  onnx::ModelProto model;
  std::ifstream in(SampleModelPath(), std::ios::binary);
  INFO(SampleModelPath());
  REQUIRE(model.ParseFromIstream(&in));
  return model;
}

onnx::ModelProto FixedSizeModel() {
  onnx::ModelProto model = LoadSampleModel();
  onnx::GraphProto* graph = model.mutable_graph();
  onnx::TensorProto* c = graph->add_initializer();
  c->set_name("tail_c");
  c->set_data_type(onnx::TensorProto::FLOAT);
  for (int64_t d : {1, 1, 32, 32}) c->add_dims(d);
  for (int i = 0; i < 32 * 32; ++i) c->add_float_data(0.5f);
  onnx::NodeProto* add = graph->add_node();
  add->set_op_type("Add");
  add->set_name("fixed_size_add");
  add->add_input("y");
  add->add_input("tail_c");
  add->add_output("z");
  onnx::ValueInfoProto* z = graph->add_output();
  z->set_name("z");
  z->mutable_type()->mutable_tensor_type()->set_elem_type(onnx::TensorProto::FLOAT);
  for (int i = 0; i < 4; ++i) z->mutable_type()->mutable_tensor_type()->mutable_shape()->add_dim();
  return model;
}

std::string WriteFixedSizeModel(const std::string& dir) {
  const std::string path = dir + "/tail.onnx";
  WriteModel(FixedSizeModel(), path);
  return path;
}

void MoveToExternalData(onnx::ModelProto* model, const std::string& name, const std::string& dir,
                        const std::string& location) {
  for (onnx::TensorProto& t : *model->mutable_graph()->mutable_initializer()) {
    if (t.name() != name) continue;
    REQUIRE(t.float_data_size() > 0);
    const fs::path file = fs::path(dir) / location;
    fs::create_directories(file.parent_path());
    std::ofstream out(file, std::ios::binary);
    out.write(reinterpret_cast<const char*>(t.float_data().data()),
              static_cast<std::streamsize>(t.float_data_size() * sizeof(float)));
    REQUIRE(out.good());
    const std::string length = std::to_string(t.float_data_size() * sizeof(float));
    t.clear_float_data();
    t.set_data_location(onnx::TensorProto::EXTERNAL);
    auto* loc = t.add_external_data();
    loc->set_key("location");
    loc->set_value(location);
    auto* len = t.add_external_data();
    len->set_key("length");
    len->set_value(length);
    return;
  }
  FAIL("no initializer " << name);
}

std::vector<std::string> DimStrings(const onnx::ValueInfoProto& info) {
  std::vector<std::string> dims;
  for (const auto& d : info.type().tensor_type().shape().dim()) {
    dims.push_back(d.has_dim_value() ? std::to_string(d.dim_value()) : d.dim_param());
  }
  return dims;
}

std::vector<std::string> InputDimStrings(const onnx::ModelProto& model, const std::string& input) {
  for (const auto& in : model.graph().input()) {
    if (in.name() == input) return DimStrings(in);
  }
  FAIL("the model has no input " << input);
  return {};
}

std::vector<std::string> FilesUnder(const std::string& dir) {
  std::vector<std::string> names;
  if (!fs::exists(dir)) return names;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    // The folder's lock and manifest (convert/output_set.h) have tests of their own.
    const std::string name = e.path().filename().string();
    if (name == ".autoscale.lock" || name == ".autoscale-manifest.json") continue;
    names.push_back(fs::relative(e.path(), dir).string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

void WriteModel(const onnx::ModelProto& model, const std::string& path) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  INFO(path);
  REQUIRE(model.SerializeToOstream(&out));
}

std::string RealModelPath(const std::string& kind) {
  static const std::map<std::string, std::string> files = {
      {"det", "ch_PP-OCRv4_det_infer.onnx"},
      {"rec", "ch_PP-OCRv4_rec_infer.onnx"},
      {"cls", "ch_ppocr_mobile_v2.0_cls_infer.onnx"}};
  auto it = files.find(kind);
  REQUIRE(it != files.end());
  const char* env = std::getenv("AUTOSCALE_MODELS_DIR");
  const std::string dir = env && *env ? std::string(env) : SourcePath("cache/models");
  const std::string path = dir + "/" + it->second;
  if (!fs::is_regular_file(path)) {
    FAIL(path << " is missing: run scripts/fetch-models.sh (the real-model tests never skip)");
  }
  return path;
}

}  // namespace autoscale::test
