#include "convert/onnx_model.h"

#include <catch2/catch.hpp>
#include <filesystem>

#include "support/models.h"
#include "support/run_binary.h"

using namespace autoscale;
using autoscale::test::TempDir;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> DimsOf(const onnx::ValueInfoProto& info) {
  std::vector<std::string> dims;
  for (const auto& d : info.type().tensor_type().shape().dim()) {
    dims.push_back(d.has_dim_value() ? std::to_string(d.dim_value()) : "'" + d.dim_param() + "'");
  }
  return dims;
}

const onnx::ValueInfoProto& Output(const onnx::ModelProto& m, const std::string& name) {
  for (const auto& o : m.graph().output()) {
    if (o.name() == name) return o;
  }
  FAIL("no output " << name);
  return m.graph().output(0);
}

std::string Serialized(const onnx::ModelProto& m) {
  std::string bytes;
  REQUIRE(m.SerializeToString(&bytes));
  return bytes;
}

}  // namespace

TEST_CASE("loads the sample model and finds its only input", "[onnx_model]") {
  auto model = LoadOnnxModel(test::SampleModelPath());
  REQUIRE(model.ok());
  CHECK(model->external_files.empty());
  CHECK(ModelInputNames(model->proto) == std::vector<std::string>{"x"});
  auto input = FindInput(model->proto, "");
  REQUIRE(input.ok());
  CHECK(*input == "x");
  auto dims = ModelInputDims(model->proto, "x");
  REQUIRE(dims.ok());
  REQUIRE(dims->has_value());
  CHECK(**dims == std::vector<int64_t>{-1, 3, -1, -1});
}

TEST_CASE("load errors are one line naming the file", "[onnx_model]") {
  TempDir dir;
  auto missing = LoadOnnxModel(dir / "nope.onnx");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.message() == dir / "nope.onnx" + ": no such file");

  auto folder = LoadOnnxModel(dir.path());
  REQUIRE_FALSE(folder.ok());
  CHECK_THAT(folder.message(), Catch::Contains("is a folder"));

  test::WriteTextFile(dir / "empty.onnx", "");
  CHECK_THAT(LoadOnnxModel(dir / "empty.onnx").message(), Catch::Contains("empty file"));

  test::WriteTextFile(dir / "text.onnx", "this is not a model at all\n");
  auto text = LoadOnnxModel(dir / "text.onnx");
  REQUIRE_FALSE(text.ok());
  CHECK_THAT(text.message(), Catch::StartsWith(dir / "text.onnx: not an ONNX model"));

  const std::string bytes = Serialized(test::LoadSampleModel());
  for (size_t cut : {bytes.size() / 2, bytes.size() - 3, size_t{5}}) {
    INFO(cut);
    test::WriteTextFile(dir / "cut.onnx", bytes.substr(0, cut));
    auto cut_model = LoadOnnxModel(dir / "cut.onnx");
    REQUIRE_FALSE(cut_model.ok());
    CHECK_THAT(cut_model.message(), Catch::StartsWith(dir / "cut.onnx: truncated or corrupt ONNX model"));
    CHECK(cut_model.message().find('\n') == std::string::npos);
  }
}

TEST_CASE("parsing bytes checks what loading checks", "[onnx_model]") {
  const std::string bytes = Serialized(test::LoadSampleModel());
  CHECK(ParseOnnxModel(bytes, "m").ok());
  CHECK_THAT(ParseOnnxModel(bytes.substr(0, 100), "m").message(),
             Catch::StartsWith("m: truncated or corrupt ONNX model"));
  CHECK_THAT(ParseOnnxModel("", "m").message(), Catch::StartsWith("m: not an ONNX model"));
}

TEST_CASE("the input: default, by name, and the errors that list them", "[onnx_model]") {
  onnx::ModelProto m = test::LoadSampleModel();
  CHECK_THAT(FindInput(m, "image").message(),
             Catch::Equals("the model has no input 'image'; its inputs: x"));

  // Old exporters list initializers among the inputs: they are not inputs.
  auto* w = m.mutable_graph()->add_input();
  w->set_name("conv1_w");
  w->mutable_type()->mutable_tensor_type()->set_elem_type(onnx::TensorProto::FLOAT);
  CHECK(ModelInputNames(m) == std::vector<std::string>{"x"});
  CHECK(*FindInput(m, "") == "x");
  CHECK_FALSE(FindInput(m, "conv1_w").ok());

  auto* second = m.mutable_graph()->add_input();
  second->set_name("scale");
  second->mutable_type()->mutable_tensor_type()->set_elem_type(onnx::TensorProto::FLOAT);
  CHECK_THAT(FindInput(m, "").message(),
             Catch::Equals("the model has 2 inputs (x, scale): choose one with --input_name"));
  CHECK(*FindInput(m, "scale") == "scale");

  // Names come from the file: a message stays one line whatever they hold.
  m.mutable_graph()->mutable_input(2)->set_name("sc\nale");
  CHECK_THAT(FindInput(m, "").message(), Catch::Contains("(x, sc\\x0aale)"));
  CHECK_THAT(FindInput(m, "a\tb").message(), Catch::Contains("no input 'a\\x09b'"));
}

TEST_CASE("the user's shape must fit the model's input", "[onnx_model]") {
  const onnx::ModelProto dynamic = test::LoadSampleModel();
  for (const char* ok : {"-1,3,-1,-1", "1,3,-1,-1", "-1,3,48,-1", "8,3,640,640"}) {
    INFO(ok);
    CHECK(CheckInputShape(dynamic, "x", *ParseInputShape(ok)).ok());
  }
  CHECK_THAT(CheckInputShape(dynamic, "x", *ParseInputShape("1,1,32,32")).message(),
             Catch::Contains("sets C to 1 but the model fixes it to 3"));

  auto fixed = LoadOnnxModel(test::SampleStaticModelPath());
  REQUIRE(fixed.ok());
  CHECK(CheckInputShape(fixed->proto, "x", *ParseInputShape("1,3,64,64")).ok());
  const std::string made_dynamic =
      CheckInputShape(fixed->proto, "x", *ParseInputShape("1,3,-1,64")).message();
  CHECK_THAT(made_dynamic, Catch::Contains("makes H dynamic but the model fixes it to 64"));
  CHECK_THAT(made_dynamic, Catch::Contains("make sure the model is the dynamic shape version"));
  CHECK_THAT(CheckInputShape(fixed->proto, "x", *ParseInputShape("1,3,64,32")).message(),
             Catch::Contains("sets W to 32 but the model fixes it to 64"));

  onnx::ModelProto rank3 = dynamic;
  rank3.mutable_graph()->mutable_input(0)->mutable_type()->mutable_tensor_type()->mutable_shape()->mutable_dim()->RemoveLast();
  CHECK_THAT(CheckInputShape(rank3, "x", *ParseInputShape("1,3,-1,-1")).message(),
             Catch::Contains("has rank 3 in the model"));

  onnx::ModelProto unshaped = dynamic;
  unshaped.mutable_graph()->mutable_input(0)->mutable_type()->mutable_tensor_type()->clear_shape();
  CHECK(CheckInputShape(unshaped, "x", *ParseInputShape("1,3,-1,-1")).ok());
}

TEST_CASE("rewriting the input pins fixed dims and names dynamic ones", "[onnx_model]") {
  onnx::ModelProto m = test::LoadSampleModel();
  REQUIRE(SetInputDims(&m, "x", {-1, 3, 48, -1}).ok());
  CHECK(DimsOf(m.graph().input(0)) == std::vector<std::string>{"'batch'", "3", "48", "'width'"});
  // The output shared the input's symbols: it follows them.
  CHECK(DimsOf(Output(m, "y")) == std::vector<std::string>{"'batch'", "1", "'H_out'", "'W_out'"});

  onnx::ModelProto pinned = test::LoadSampleModel();
  REQUIRE(SetInputDims(&pinned, "x", {4, 3, -1, -1}).ok());
  CHECK(DimsOf(pinned.graph().input(0)) == std::vector<std::string>{"4", "3", "'height'", "'width'"});
  CHECK(DimsOf(Output(pinned, "y"))[0] == "4");

  // A symbol another input still uses is left alone in the outputs.
  onnx::ModelProto shared = test::LoadSampleModel();
  auto* other = shared.mutable_graph()->add_input();
  other->set_name("other");
  other->mutable_type()->mutable_tensor_type()->set_elem_type(onnx::TensorProto::FLOAT);
  other->mutable_type()->mutable_tensor_type()->mutable_shape()->add_dim()->set_dim_param("N");
  REQUIRE(SetInputDims(&shared, "x", {2, 3, 32, 32}).ok());
  CHECK(DimsOf(Output(shared, "y"))[0] == "'N'");

  CHECK_FALSE(SetInputDims(&m, "nope", {1, 3, 32, 32}).ok());
}

TEST_CASE("metadata entries are set once and replaced", "[onnx_model]") {
  onnx::ModelProto m = test::LoadSampleModel();
  CHECK_FALSE(GetMetadata(m, "autoscale.mode").has_value());
  SetMetadata(&m, "autoscale.mode", "dynamic_hw");
  SetMetadata(&m, "autoscale.mode", "static");
  CHECK(m.metadata_props_size() == 1);
  CHECK(GetMetadata(m, "autoscale.mode") == std::optional<std::string>("static"));
}

TEST_CASE("shape inference refuses a window attribute of 0 instead of crashing", "[onnx_model]") {
  for (const char* name : {"strides", "dilations", "kernel_shape"}) {
    INFO(name);
    onnx::ModelProto m = test::LoadSampleModel();
    REQUIRE(SetInputDims(&m, "x", {1, 3, 64, 64}).ok());
    onnx::NodeProto* conv = nullptr;
    for (auto& node : *m.mutable_graph()->mutable_node())
      if (node.op_type() == "Conv") conv = &node;
    REQUIRE(conv != nullptr);
    onnx::AttributeProto* attr = nullptr;
    for (auto& a : *conv->mutable_attribute())
      if (a.name() == name) attr = &a;
    if (attr == nullptr) {
      attr = conv->add_attribute();
      attr->set_name(name);
      attr->set_type(onnx::AttributeProto::INTS);
      attr->add_ints(1);
      attr->add_ints(1);
    }
    attr->set_ints(1, 0);
    const Status s = InferShapes(&m);
    REQUIRE_FALSE(s.ok());
    CHECK(s.message() == "shape inference: node '" + conv->name() + "' (Conv): attribute '" +
                             name + "' has 0; its values must be positive");
  }
}

TEST_CASE("checker and shape inference", "[onnx_model]") {
  onnx::ModelProto m = test::LoadSampleModel();
  REQUIRE(SetInputDims(&m, "x", {2, 3, 48, 320}).ok());
  REQUIRE(CheckAndInferShapes(&m).ok());
  CHECK(DimsOf(Output(m, "y")) == std::vector<std::string>{"2", "1", "24", "160"});
  CHECK(m.graph().value_info_size() > 0);

  // Inferring again for other dims replaces the shapes inferred before.
  *m.mutable_graph()->mutable_output() = test::LoadSampleModel().graph().output();
  REQUIRE(SetInputDims(&m, "x", {1, 3, 64, 64}).ok());
  REQUIRE(InferShapes(&m).ok());
  CHECK(DimsOf(Output(m, "y")) == std::vector<std::string>{"1", "1", "32", "32"});

  onnx::ModelProto tail = test::FixedSizeModel();
  REQUIRE(SetInputDims(&tail, "x", {1, 3, 64, 64}).ok());
  onnx::ModelProto fits = tail;
  CHECK(CheckAndInferShapes(&fits).ok());
  REQUIRE(SetInputDims(&tail, "x", {1, 3, 96, 64}).ok());
  const std::string rejected = CheckAndInferShapes(&tail).message();
  CHECK_THAT(rejected, Catch::StartsWith("shape inference: "));
  CHECK_THAT(rejected, Catch::Contains("fixed_size_add"));
  CHECK(rejected.find('\n') == std::string::npos);

  onnx::ModelProto bad = test::LoadSampleModel();
  bad.mutable_graph()->mutable_node(1)->set_op_type("NoSuchOp");
  CHECK_THAT(CheckAndInferShapes(&bad).message(), Catch::StartsWith("ONNX checker: "));
}

TEST_CASE("saving writes through a temporary name and reloads", "[onnx_model]") {
  TempDir dir;
  onnx::ModelProto m = test::LoadSampleModel();
  SetMetadata(&m, "autoscale.mode", "static");
  REQUIRE(SaveOnnxModel(m, "", {}, dir / "out.onnx").ok());
  CHECK(test::FilesUnder(dir.path()) == std::vector<std::string>{"out.onnx"});
  auto back = LoadOnnxModel(dir / "out.onnx");
  REQUIRE(back.ok());
  CHECK(GetMetadata(back->proto, "autoscale.mode") == std::optional<std::string>("static"));

  const Status failed = SaveOnnxModel(m, "", {}, dir / "no/such/folder/out.onnx");
  CHECK_FALSE(failed.ok());
  CHECK(test::FilesUnder(dir.path()) == std::vector<std::string>{"out.onnx"});
}

TEST_CASE("external data stays valid when the model is written elsewhere", "[onnx_model]") {
  TempDir src, dst;
  onnx::ModelProto m = test::LoadSampleModel();
  test::MoveToExternalData(&m, "conv1_w", src.path(), "weights/conv1_w.bin");
  test::MoveToExternalData(&m, "conv2_w", src.path(), "conv2_w.bin");
  test::WriteModel(m, src / "model.onnx");

  auto model = LoadOnnxModel(src / "model.onnx");
  REQUIRE(model.ok());
  CHECK(model->external_files == std::vector<std::string>{"weights/conv1_w.bin", "conv2_w.bin"});
  REQUIRE(SetInputDims(&model->proto, "x", {1, 3, 32, 32}).ok());
  const Status checked = CheckAndInferShapes(&model->proto, model->base_dir);
  INFO(checked.message());
  REQUIRE(checked.ok());
  REQUIRE(SaveOnnxModel(model->proto, model->base_dir, model->external_files, dst / "m.onnx").ok());
  CHECK(test::FilesUnder(dst.path()) ==
        std::vector<std::string>{"conv2_w.bin", "m.onnx", "weights", "weights/conv1_w.bin"});
  CHECK(test::ReadTextFile(dst / "weights/conv1_w.bin") ==
        test::ReadTextFile(src / "weights/conv1_w.bin"));
  auto copy = LoadOnnxModel(dst / "m.onnx");
  REQUIRE(copy.ok());
  CHECK(CheckModel(copy->proto, copy->base_dir).ok());
  CHECK_FALSE(CheckModel(copy->proto, src / "elsewhere").ok());

  // Saved beside the source, nothing is linked onto itself.
  REQUIRE(SaveOnnxModel(model->proto, model->base_dir, model->external_files, src / "again.onnx").ok());
  CHECK(fs::file_size(src / "conv2_w.bin") > 0);

  fs::remove(src / "conv2_w.bin");
  CHECK_THAT(LoadOnnxModel(src / "model.onnx").message(),
             Catch::Contains("external data file " + src / "conv2_w.bin is missing"));
}

TEST_CASE("external data outside the model's folder is refused", "[onnx_model]") {
  TempDir dir;
  for (const char* location : {"../w.bin", "/etc/passwd", "a/../../w.bin"}) {
    INFO(location);
    onnx::ModelProto m = test::LoadSampleModel();
    test::MoveToExternalData(&m, "conv1_w", dir / "sub", "w.bin");
    for (auto& t : *m.mutable_graph()->mutable_initializer()) {
      if (t.name() == "conv1_w") t.mutable_external_data(0)->set_value(location);
    }
    test::WriteModel(m, dir / "sub/model.onnx");
    CHECK_THAT(LoadOnnxModel(dir / "sub/model.onnx").message(),
               Catch::Contains("is not a relative path inside the model's folder"));
  }
}
