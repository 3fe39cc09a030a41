// Builds the small sample models in data/samples with the ONNX protobuf API:
// a text-detection-like stack of convolutions on input "x" [N, 3, H, W].
//
//   make_sample_model OUT_DIR
//
// writes OUT_DIR/sample_det.onnx (N, H and W dynamic) and
// OUT_DIR/sample_det_static.onnx (the same graph fixed at [1, 3, 64, 64]).
// The bytes depend only on this program, so the committed files can be
// regenerated and compared.
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include <onnx/checker.h>
#include <onnx/onnx_pb.h>

#include "common/atomic_file.h"

namespace {

// Small deterministic weights: no RNG, so every build writes the same bytes.
std::vector<float> Weights(size_t count, int seed) {
  std::vector<float> w(count);
  for (size_t i = 0; i < count; ++i) {
    w[i] = static_cast<float>(std::sin(static_cast<double>(i * 7 + seed * 13)) * 0.25);
  }
  return w;
}

void AddInitializer(onnx::GraphProto* graph, const std::string& name,
                    const std::vector<int64_t>& dims, int seed) {
  size_t count = 1;
  for (int64_t d : dims) count *= static_cast<size_t>(d);
  onnx::TensorProto* t = graph->add_initializer();
  t->set_name(name);
  t->set_data_type(onnx::TensorProto::FLOAT);
  for (int64_t d : dims) t->add_dims(d);
  for (float v : Weights(count, seed)) t->add_float_data(v);
}

void AddConv(onnx::GraphProto* graph, const std::string& in, const std::string& out,
             int64_t in_ch, int64_t out_ch, int64_t kernel, int64_t stride, int seed) {
  const std::string w = out + "_w", b = out + "_b";
  AddInitializer(graph, w, {out_ch, in_ch, kernel, kernel}, seed);
  AddInitializer(graph, b, {out_ch}, seed + 1);
  onnx::NodeProto* node = graph->add_node();
  node->set_op_type("Conv");
  node->set_name(out);
  node->add_input(in);
  node->add_input(w);
  node->add_input(b);
  node->add_output(out);
  auto* ks = node->add_attribute();
  ks->set_name("kernel_shape");
  ks->set_type(onnx::AttributeProto::INTS);
  ks->add_ints(kernel);
  ks->add_ints(kernel);
  auto* st = node->add_attribute();
  st->set_name("strides");
  st->set_type(onnx::AttributeProto::INTS);
  st->add_ints(stride);
  st->add_ints(stride);
  auto* pads = node->add_attribute();
  pads->set_name("pads");
  pads->set_type(onnx::AttributeProto::INTS);
  for (int i = 0; i < 4; ++i) pads->add_ints(kernel / 2);
}

void AddUnary(onnx::GraphProto* graph, const std::string& op, const std::string& in,
              const std::string& out) {
  onnx::NodeProto* node = graph->add_node();
  node->set_op_type(op);
  node->set_name(out);
  node->add_input(in);
  node->add_output(out);
}

// A dim is either a symbol ("N") or a value.
void SetTensorType(onnx::ValueInfoProto* info, const std::string& name,
                   const std::vector<std::string>& dims) {
  info->set_name(name);
  auto* tensor = info->mutable_type()->mutable_tensor_type();
  tensor->set_elem_type(onnx::TensorProto::FLOAT);
  auto* shape = tensor->mutable_shape();
  for (const std::string& d : dims) {
    auto* dim = shape->add_dim();
    if (!d.empty() && d[0] >= '0' && d[0] <= '9') {
      dim->set_dim_value(std::stoll(d));
    } else {
      dim->set_dim_param(d);
    }
  }
}

onnx::ModelProto BuildModel(const std::vector<std::string>& input_dims,
                            const std::vector<std::string>& output_dims) {
  onnx::ModelProto model;
  model.set_ir_version(onnx::IR_VERSION_2020_5_8);  // IR 7 goes with opset 13
  model.set_producer_name("autoscale-make_sample_model");
  model.set_producer_version("1");
  model.set_doc_string("autoscale sample: a few convolutions, for tests and the demo");
  auto* opset = model.add_opset_import();
  opset->set_domain("");
  opset->set_version(13);

  onnx::GraphProto* graph = model.mutable_graph();
  graph->set_name("sample_det");
  SetTensorType(graph->add_input(), "x", input_dims);
  AddConv(graph, "x", "conv1", 3, 4, 3, 1, 1);
  AddUnary(graph, "Relu", "conv1", "relu1");
  AddConv(graph, "relu1", "conv2", 4, 4, 3, 2, 3);
  AddUnary(graph, "Relu", "conv2", "relu2");
  AddConv(graph, "relu2", "conv3", 4, 1, 1, 1, 5);
  AddUnary(graph, "Sigmoid", "conv3", "y");
  SetTensorType(graph->add_output(), "y", output_dims);
  return model;
}

bool Write(const onnx::ModelProto& model, const std::string& path) {
  try {
    onnx::checker::check_model(model);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "make_sample_model: %s: checker: %s\n", path.c_str(), e.what());
    return false;
  }
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    model.SerializeToCodedStream(&coded);
  }
  autoscale::Status status = autoscale::WriteFileAtomic(path, bytes);
  if (!status.ok()) {
    std::fprintf(stderr, "make_sample_model: %s\n", status.message().c_str());
    return false;
  }
  std::printf("%s (%zu bytes)\n", path.c_str(), bytes.size());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_sample_model OUT_DIR\n");
    return 2;
  }
  const std::string dir = argv[1];
  bool ok = Write(BuildModel({"N", "3", "H", "W"}, {"N", "1", "H_out", "W_out"}),
                  dir + "/sample_det.onnx");
  ok = Write(BuildModel({"1", "3", "64", "64"}, {"1", "1", "32", "32"}),
             dir + "/sample_det_static.onnx") && ok;
  return ok ? 0 : 1;
}
