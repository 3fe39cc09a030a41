#include "convert/onnx_model.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <onnx/checker.h>
#include <onnx/defs/schema.h>
#include <onnx/shape_inference/implementation.h>

#include "common/atomic_file.h"

namespace autoscale {
namespace {

namespace fs = std::filesystem;
using google::protobuf::io::CodedInputStream;
using google::protobuf::io::ZeroCopyInputStream;

constexpr const char* kDimNames[4] = {"N", "C", "H", "W"};
constexpr const char* kDimSymbols[4] = {"batch", "channels", "height", "width"};

// ONNX and protobuf messages can span lines; the user sees one.
std::string OneLine(const std::string& text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
  }
  return out;
}

// Names from a model file can hold any bytes; a message stays one readable
// line.
std::string Printable(const std::string& text) {
  constexpr size_t kMax = 200;
  std::string out;
  for (unsigned char c : text.substr(0, kMax)) {
    if (c >= 0x20 && c != 0x7f) {
      out += static_cast<char>(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    }
  }
  return text.size() > kMax ? out + "..." : out;
}

std::string Quoted(const std::string& name) { return "'" + Printable(name) + "'"; }

// ONNX reports every failing node, and after the first most only fail
// because their input has no type any more: the first one is the cause.
std::string FirstInferenceError(const std::string& message) {
  const std::string marker = "(op_type:";
  size_t first = message.find(marker);
  if (first == std::string::npos) return message;
  size_t next = message.find(marker, first + 1);
  if (next == std::string::npos) return message.substr(first);
  size_t more = 0;
  for (size_t at = next; at != std::string::npos; at = message.find(marker, at + 1)) ++more;
  std::string head = message.substr(first, next - first);
  while (!head.empty() && head.back() == ' ') head.pop_back();
  return head + " (and " + std::to_string(more) + " more node errors)";
}

// Every ONNX exporter writes ir_version (field 1, a small varint) first, so a
// file that starts that way and does not parse is a damaged model, not some
// other kind of file.
bool LooksLikeOnnx(const std::string& prefix) {
  return prefix.size() >= 2 && prefix[0] == 0x08 && prefix[1] >= 1 && prefix[1] <= 64;
}

Status ParseError(const std::string& name, const std::string& prefix, const std::string& what) {
  if (LooksLikeOnnx(prefix))
    return Status::Error(name + ": truncated or corrupt ONNX model (" + what + ")");
  return Status::Error(name + ": not an ONNX model (" + what + ")");
}

// Visits every TensorProto of a graph: initializers, sparse initializers and
// node attributes, subgraphs included. Read-only callers pass a const_cast
// model and a visitor that does not modify.
using TensorVisitor = std::function<void(onnx::TensorProto*)>;

void ForEachTensor(onnx::GraphProto* graph, const TensorVisitor& visit);

void ForEachTensorInNode(onnx::NodeProto* node, const TensorVisitor& visit) {
  for (onnx::AttributeProto& attr : *node->mutable_attribute()) {
    if (attr.has_t()) visit(attr.mutable_t());
    for (onnx::TensorProto& t : *attr.mutable_tensors()) visit(&t);
    if (attr.has_sparse_tensor()) {
      visit(attr.mutable_sparse_tensor()->mutable_values());
      visit(attr.mutable_sparse_tensor()->mutable_indices());
    }
    for (onnx::SparseTensorProto& s : *attr.mutable_sparse_tensors()) {
      visit(s.mutable_values());
      visit(s.mutable_indices());
    }
    if (attr.has_g()) ForEachTensor(attr.mutable_g(), visit);
    for (onnx::GraphProto& g : *attr.mutable_graphs()) ForEachTensor(&g, visit);
  }
}

void ForEachTensor(onnx::GraphProto* graph, const TensorVisitor& visit) {
  for (onnx::TensorProto& t : *graph->mutable_initializer()) visit(&t);
  for (onnx::SparseTensorProto& s : *graph->mutable_sparse_initializer()) {
    visit(s.mutable_values());
    visit(s.mutable_indices());
  }
  for (onnx::NodeProto& node : *graph->mutable_node()) ForEachTensorInNode(&node, visit);
}

void ForEachModelTensor(onnx::ModelProto* model, const TensorVisitor& visit) {
  if (model->has_graph()) ForEachTensor(model->mutable_graph(), visit);
  for (onnx::FunctionProto& f : *model->mutable_functions()) {
    for (onnx::NodeProto& node : *f.mutable_node()) ForEachTensorInNode(&node, visit);
  }
}

onnx::StringStringEntryProto* ExternalLocationEntry(onnx::TensorProto* t) {
  if (t->data_location() != onnx::TensorProto::EXTERNAL) return nullptr;
  for (onnx::StringStringEntryProto& e : *t->mutable_external_data()) {
    if (e.key() == "location") return &e;
  }
  return nullptr;
}

// The external data locations, checked to be relative paths that stay inside
// the model's folder (ONNX's own rule since 1.13; it also keeps a model from
// making us link or copy arbitrary files).
Result<std::vector<std::string>> ExternalLocations(const onnx::ModelProto& model) {
  std::vector<std::string> locations;
  std::set<std::string> seen;
  Status status;
  ForEachModelTensor(const_cast<onnx::ModelProto*>(&model), [&](onnx::TensorProto* t) {
    if (!status.ok() || t->data_location() != onnx::TensorProto::EXTERNAL) return;
    const onnx::StringStringEntryProto* entry = ExternalLocationEntry(t);
    const std::string location = entry ? entry->value() : "";
    const std::string what =
        "tensor " + Quoted(t->name()) + ": external data location " + Quoted(location);
    if (location.empty()) {
      status = Status::Error("tensor " + Quoted(t->name()) + ": external data without a location");
      return;
    }
    fs::path p = fs::path(location).lexically_normal();
    if (p.is_absolute() || p.has_root_name() || p.empty() || *p.begin() == ".." ||
        location.find('\0') != std::string::npos) {
      status = Status::Error(what + " is not a relative path inside the model's folder");
      return;
    }
    if (seen.insert(p.string()).second) locations.push_back(p.string());
  });
  if (!status.ok()) return status;
  return locations;
}

Result<OnnxModel> ParseStream(ZeroCopyInputStream* stream, const std::string& name,
                              const std::string& prefix) {
  OnnxModel model;
  model.path = name;
  {
    CodedInputStream coded(stream);
    coded.SetTotalBytesLimit(INT_MAX);
    if (!model.proto.ParseFromCodedStream(&coded) || !coded.ConsumedEntireMessage()) {
      return ParseError(name, prefix, "protobuf parse failed");
    }
  }
  const onnx::ModelProto& p = model.proto;
  if (p.ir_version() <= 0) return ParseError(name, prefix, "no ir_version");
  if (!p.has_graph()) return ParseError(name, prefix, "no graph");
  if (p.opset_import_size() == 0) return ParseError(name, prefix, "no opset_import");
  auto locations = ExternalLocations(p);
  if (!locations.ok()) return locations.status().WithContext(name);
  model.external_files = std::move(locations.value());
  return model;
}

std::map<std::string, int> SymbolUses(const onnx::GraphProto& graph) {
  std::map<std::string, int> uses;
  for (const onnx::ValueInfoProto& in : graph.input()) {
    if (!in.type().has_tensor_type() || !in.type().tensor_type().has_shape()) continue;
    for (const auto& d : in.type().tensor_type().shape().dim()) {
      if (d.has_dim_param() && !d.dim_param().empty()) ++uses[d.dim_param()];
    }
  }
  return uses;
}

void RenameSymbol(onnx::ValueInfoProto* info, const std::string& from, int64_t value,
                  const std::string& to) {
  if (!info->type().has_tensor_type() || !info->type().tensor_type().has_shape()) return;
  for (auto& d : *info->mutable_type()->mutable_tensor_type()->mutable_shape()->mutable_dim()) {
    if (!d.has_dim_param() || d.dim_param() != from) continue;
    if (value > 0) {
      d.set_dim_value(value);
    } else {
      d.set_dim_param(to);
    }
  }
}

onnx::ValueInfoProto* FindGraphInput(onnx::GraphProto* graph, const std::string& name) {
  for (onnx::ValueInfoProto& in : *graph->mutable_input()) {
    if (in.name() == name) return &in;
  }
  return nullptr;
}

}  // namespace

Result<OnnxModel> ParseOnnxModel(const std::string& bytes, const std::string& name) {
  if (bytes.size() > static_cast<size_t>(INT_MAX)) {
    return Status::Error(name + ": over protobuf's 2 GB limit");
  }
  google::protobuf::io::ArrayInputStream stream(bytes.data(), static_cast<int>(bytes.size()));
  auto model = ParseStream(&stream, name, bytes.substr(0, 16));
  if (model.ok()) model->path.clear();
  return model;
}

Result<OnnxModel> LoadOnnxModel(const std::string& path) {
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (!fs::exists(st)) return Status::Error(path + ": no such file");
  if (fs::is_directory(st)) return Status::Error(path + ": is a folder, not an ONNX model file");
  const uintmax_t size = fs::file_size(path, ec);
  if (ec) return Status::Error(path + ": cannot read: " + ec.message());
  if (size == 0) return Status::Error(path + ": empty file, not an ONNX model");
  if (size > static_cast<uintmax_t>(INT_MAX)) {
    return Status::Error(path + ": " + std::to_string(size) +
                         " bytes is over protobuf's 2 GB limit; save the weights as external data");
  }
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::Error(path + ": cannot read: " + std::strerror(errno));
  std::string prefix(16, '\0');
  const ssize_t got = ::pread(fd, prefix.data(), prefix.size(), 0);
  prefix.resize(got > 0 ? static_cast<size_t>(got) : 0);
  Result<OnnxModel> model = Status::Error(path + ": cannot read");
  {
    google::protobuf::io::FileInputStream stream(fd);
    model = ParseStream(&stream, path, prefix);
    if (stream.GetErrno() != 0) {
      model = Status::Error(path + ": cannot read: " + std::strerror(stream.GetErrno()));
    }
  }
  ::close(fd);
  if (!model.ok()) return model;
  model->base_dir = fs::path(path).parent_path().string();
  if (model->base_dir.empty()) model->base_dir = ".";
  for (const std::string& location : model->external_files) {
    const fs::path data = fs::path(model->base_dir) / location;
    if (!fs::is_regular_file(data, ec)) {
      return Status::Error(path + ": external data file " + Printable(data.string()) +
                           " is missing");
    }
  }
  return model;
}

std::vector<std::string> ModelInputNames(const onnx::ModelProto& model) {
  std::set<std::string> initializers;
  for (const auto& t : model.graph().initializer()) initializers.insert(t.name());
  for (const auto& s : model.graph().sparse_initializer()) initializers.insert(s.values().name());
  std::vector<std::string> names;
  for (const auto& in : model.graph().input()) {
    if (!initializers.count(in.name())) names.push_back(in.name());
  }
  return names;
}

Result<std::string> FindInput(const onnx::ModelProto& model, const std::string& requested) {
  const std::vector<std::string> names = ModelInputNames(model);
  std::string list;
  for (const std::string& n : names) list += (list.empty() ? "" : ", ") + Printable(n);
  if (!requested.empty()) {
    for (const std::string& n : names) {
      if (n == requested) return n;
    }
    return Status::Error("the model has no input " + Quoted(requested) +
                         "; its inputs: " + (list.empty() ? "none" : list));
  }
  if (names.size() == 1) return names[0];
  if (names.empty()) return Status::Error("the model has no input");
  return Status::Error("the model has " + std::to_string(names.size()) + " inputs (" + list +
                       "): choose one with --input_name");
}

Result<std::optional<std::vector<int64_t>>> ModelInputDims(const onnx::ModelProto& model,
                                                           const std::string& input) {
  for (const auto& in : model.graph().input()) {
    if (in.name() != input) continue;
    if (!in.type().has_tensor_type()) {
      return Status::Error("input " + Quoted(input) + " is not a tensor");
    }
    const auto& tensor = in.type().tensor_type();
    if (!tensor.has_shape()) return std::optional<std::vector<int64_t>>();
    std::vector<int64_t> dims;
    for (const auto& d : tensor.shape().dim()) {
      dims.push_back(d.has_dim_value() && d.dim_value() > 0 ? d.dim_value() : -1);
    }
    return std::optional<std::vector<int64_t>>(dims);
  }
  return Status::Error("the model has no input " + Quoted(input));
}

Status CheckInputShape(const onnx::ModelProto& model, const std::string& input,
                       const InputShape& shape) {
  auto dims = ModelInputDims(model, input);
  if (!dims.ok()) return dims.status();
  if (!dims->has_value()) return Status::Ok();  // no declared shape: the rewrite gives it one
  const std::vector<int64_t>& m = **dims;
  if (m.size() != 4) {
    return Status::Error("input " + Quoted(input) + " has rank " + std::to_string(m.size()) +
                         " in the model; --input_shape N,C,H,W needs rank 4");
  }
  for (int i = 0; i < 4; ++i) {
    const int64_t user = shape.dims[i];
    if (m[i] == -1 || m[i] == user) continue;
    const std::string dim = kDimNames[i];
    if (user == -1) {
      return Status::Error("input " + Quoted(input) + ": --input_shape " + shape.ToString() +
                           " makes " + dim + " dynamic but the model fixes it to " +
                           std::to_string(m[i]) +
                           ": make sure the model is the dynamic shape version");
    }
    return Status::Error("input " + Quoted(input) + ": --input_shape " + shape.ToString() +
                         " sets " + dim + " to " + std::to_string(user) +
                         " but the model fixes it to " + std::to_string(m[i]));
  }
  return Status::Ok();
}

Status SetInputDims(onnx::ModelProto* model, const std::string& input,
                    const std::array<int64_t, 4>& dims) {
  onnx::GraphProto* graph = model->mutable_graph();
  onnx::ValueInfoProto* info = FindGraphInput(graph, input);
  if (info == nullptr) return Status::Error("the model has no input " + Quoted(input));
  if (!info->type().has_tensor_type())
    return Status::Error("input " + Quoted(input) + " is not a tensor");
  const std::map<std::string, int> uses = SymbolUses(*graph);
  auto* shape = info->mutable_type()->mutable_tensor_type()->mutable_shape();
  if (shape->dim_size() != 4) {
    shape->clear_dim();
    for (int i = 0; i < 4; ++i) shape->add_dim();
  }
  for (int i = 0; i < 4; ++i) {
    auto* d = shape->mutable_dim(i);
    const std::string old = d->has_dim_param() ? d->dim_param() : "";
    if (dims[i] > 0) {
      d->set_dim_value(dims[i]);
    } else {
      d->set_dim_param(kDimSymbols[i]);
    }
    // Outputs that shared the symbol follow it, unless another input still uses it.
    if (old.empty() || old == kDimSymbols[i] || uses.at(old) != 1) continue;
    for (auto& out : *graph->mutable_output()) RenameSymbol(&out, old, dims[i], kDimSymbols[i]);
    for (auto& vi : *graph->mutable_value_info()) RenameSymbol(&vi, old, dims[i], kDimSymbols[i]);
  }
  return Status::Ok();
}

void SetMetadata(onnx::ModelProto* model, const std::string& key, const std::string& value) {
  for (auto& entry : *model->mutable_metadata_props()) {
    if (entry.key() == key) {
      entry.set_value(value);
      return;
    }
  }
  auto* entry = model->add_metadata_props();
  entry->set_key(key);
  entry->set_value(value);
}

std::optional<std::string> GetMetadata(const onnx::ModelProto& model, const std::string& key) {
  for (const auto& entry : model.metadata_props()) {
    if (entry.key() == key) return entry.value();
  }
  return std::nullopt;
}

Status CheckModel(const onnx::ModelProto& model, const std::string& base_dir) {
  try {
    bool external = false;
    ForEachModelTensor(const_cast<onnx::ModelProto*>(&model), [&](onnx::TensorProto* t) {
      external = external || t->data_location() == onnx::TensorProto::EXTERNAL;
    });
    if (external) {
      // ONNX 1.12's checker opens external data relative to the working
      // folder when it is given a model rather than a path: it checks a copy
      // whose locations name the files themselves. (A model with external
      // data keeps its weights outside, so the copy is small.)
      onnx::ModelProto copy = model;
      ForEachModelTensor(&copy, [&](onnx::TensorProto* t) {
        if (auto* entry = ExternalLocationEntry(t)) {
          entry->set_value(
              fs::absolute(fs::path(base_dir.empty() ? "." : base_dir) / entry->value()).string());
        }
      });
      onnx::checker::check_model(copy);
    } else {
      onnx::checker::check_model(model);
    }
  } catch (const std::exception& e) {
    return Status::Error("ONNX checker: " + OneLine(e.what()));
  }
  return Status::Ok();
}

namespace {

// ONNX 1.12's conv/pool shape inference divides by strides unchecked (a
// stride of 0 raises SIGFPE), and the checker does not look at attribute
// values: window attributes are checked here first, subgraphs included.
Status CheckWindowAttributes(const onnx::GraphProto& graph) {
  for (const onnx::NodeProto& node : graph.node()) {
    for (const onnx::AttributeProto& a : node.attribute()) {
      const bool window =
          a.name() == "strides" || a.name() == "dilations" || a.name() == "kernel_shape";
      if (window) {
        for (int64_t v : a.ints())
          if (v <= 0)
            return Status::Error("node " + Quoted(node.name()) + " (" + Printable(node.op_type()) +
                                 "): attribute '" + a.name() + "' has " + std::to_string(v) +
                                 "; its values must be positive");
      }
      if (a.has_g()) {
        Status s = CheckWindowAttributes(a.g());
        if (!s.ok()) return s;
      }
      for (const onnx::GraphProto& g : a.graphs()) {
        Status s = CheckWindowAttributes(g);
        if (!s.ok()) return s;
      }
    }
  }
  return Status::Ok();
}

}  // namespace

Status InferShapes(onnx::ModelProto* model) {
  Status window = CheckWindowAttributes(model->graph());
  if (!window.ok()) return Status::Error("shape inference: " + window.message());
  // Shapes inferred before (by an exporter, or for another gear) would
  // contradict the new input dims; they are all derived again.
  model->mutable_graph()->clear_value_info();
  try {
    // error_mode 1: a node whose inputs it cannot take (a gear the graph
    // rejects) is an error; dims it cannot work out stay unknown.
    const onnx::ShapeInferenceOptions options(/*check_type_val=*/true, /*strict_mode_val=*/1,
                                              /*data_prop_val=*/false);
    onnx::shape_inference::InferShapes(*model, onnx::OpSchemaRegistry::Instance(), options);
  } catch (const std::exception& e) {
    return Status::Error("shape inference: " + FirstInferenceError(OneLine(e.what())));
  }
  return Status::Ok();
}

Status CheckAndInferShapes(onnx::ModelProto* model, const std::string& base_dir) {
  Status s = CheckModel(*model, base_dir);
  return s.ok() ? InferShapes(model) : s;
}

namespace {

// Copies `src` into a temporary file created exclusively beside `dst`; returns
// its name.
Result<std::string> CopyToTemp(const std::string& src, const std::string& dst) {
  std::ifstream in(src, std::ios::binary);
  if (!in) return Status::Error(src + ": cannot read: " + std::strerror(errno));
  auto temp = CreateTempFile(dst);
  if (!temp.ok()) return temp.status();
  char buf[1 << 16];
  bool ok = true;
  while (ok && in) {
    in.read(buf, sizeof buf);
    ok = WriteAll(temp->fd, buf, static_cast<size_t>(in.gcount()));
  }
  ok = ok && in.eof();
  if (::close(temp->fd) != 0 || !ok) {
    std::remove(temp->path.c_str());
    return Status::Error(std::string("cannot copy ") + src);
  }
  return temp->path;
}

}  // namespace

Status SaveOnnxModel(const onnx::ModelProto& model, const std::string& base_dir,
                     const std::vector<std::string>& external_files, const std::string& path) {
  const size_t size = model.ByteSizeLong();
  if (size > static_cast<size_t>(INT_MAX)) {
    return Status::Error(path + ": the model would be " + std::to_string(size) +
                         " bytes, over protobuf's 2 GB limit");
  }
  const fs::path out_dir = fs::path(path).parent_path();
  // Everything goes to temporary names first; only when all are written are
  // they renamed into place (data first, so the model never points at
  // nothing).
  std::vector<std::pair<std::string, std::string>> staged;  // temp, final
  auto discard = [&staged]() {
    for (const auto& s : staged) std::remove(s.first.c_str());
  };
  std::error_code ec;
  for (const std::string& location : external_files) {
    const fs::path src = fs::path(base_dir) / location;
    const fs::path dst = out_dir / location;
    if (fs::exists(dst, ec) && fs::equivalent(src, dst, ec)) continue;
    fs::create_directories(dst.parent_path(), ec);
    // A hard link when the folders share a file system (link(2) never
    // follows a link planted at the name), else an exclusive copy.
    std::string temp = TempPathFor(dst.string());
    fs::create_hard_link(src, temp, ec);
    if (ec) {
      auto copy = CopyToTemp(src.string(), dst.string());
      if (!copy.ok()) {
        discard();
        return Status::Error(dst.string() + ": cannot write external data: " + copy.message());
      }
      temp = *copy;
    }
    staged.emplace_back(temp, dst.string());
  }
  auto temp = CreateTempFile(path);
  if (!temp.ok()) {
    discard();
    return temp.status();
  }
  const bool written = model.SerializeToFileDescriptor(temp->fd);
  if (::close(temp->fd) != 0 || !written) {
    std::remove(temp->path.c_str());
    discard();
    return Status::Error(path + ": cannot write (disk full?)");
  }
  staged.emplace_back(temp->path, path);
  for (size_t i = 0; i < staged.size(); ++i) {
    Status s = CommitTempFile(staged[i].first, staged[i].second);
    if (!s.ok()) {
      for (size_t j = i + 1; j < staged.size(); ++j) std::remove(staged[j].first.c_str());
      return s;
    }
  }
  return Status::Ok();
}

}  // namespace autoscale
