#include "convert/onnx_backend.h"

#include <catch2/catch.hpp>
#include <filesystem>

#include "convert/onnx_model.h"
#include "support/models.h"
#include "support/run_binary.h"

using namespace autoscale;
using autoscale::test::TempDir;
namespace fs = std::filesystem;

namespace {

Plan MustPlan(const std::string& model, const char* shape, const GearSet& gears) {
  auto plan = MakePlan(model, "", *ParseInputShape(shape), gears);
  INFO(plan.message());
  REQUIRE(plan.ok());
  plan->input_name = "x";
  return *plan;
}

OnnxModel MustLoad(const std::string& path) {
  auto m = LoadOnnxModel(path);
  INFO(m.message());
  REQUIRE(m.ok());
  return *m;
}

GearSet HwGears(std::vector<HwGear> hw) {
  GearSet g;
  g.hw = std::move(hw);
  return g;
}

}  // namespace

TEST_CASE("onnx backend writes the shaped model with its gears", "[onnx_backend]") {
  TempDir out;
  const Plan plan = MustPlan(test::SampleModelPath(), "1,3,-1,-1", HwGears({{32, 64}, {64, 96}}));
  ConvertOptions options;
  options.output_path = out.path();
  auto backend = MakeOnnxBackend();
  REQUIRE(backend->Validate(plan, options).ok());
  const auto outcomes = backend->Convert(plan, options);
  REQUIRE(outcomes.size() == 1);
  INFO(outcomes[0].error);
  REQUIRE(outcomes[0].ok);
  CHECK(outcomes[0].name == "sample_det_dynamic_hw");
  CHECK(outcomes[0].files == std::vector<std::string>{out / "sample_det_dynamic_hw.onnx"});
  CHECK(test::FilesUnder(out.path()) == std::vector<std::string>{"sample_det_dynamic_hw.onnx"});

  const OnnxModel m = MustLoad(out / "sample_det_dynamic_hw.onnx");
  CHECK(CheckModel(m.proto).ok());
  CHECK(test::InputDimStrings(m.proto, "x") == std::vector<std::string>{"1", "3", "height", "width"});
  CHECK(GetMetadata(m.proto, "autoscale.gears") == std::optional<std::string>("[[1,3,32,64],[1,3,64,96]]"));
  CHECK(GetMetadata(m.proto, "autoscale.mode") == std::optional<std::string>("dynamic_hw"));
  CHECK(GetMetadata(m.proto, "autoscale.input") == std::optional<std::string>("x"));
}

TEST_CASE("static_per_gear also writes one static, inferred model per gear", "[onnx_backend]") {
  TempDir out;
  GearSet gears;
  gears.batch = {1, 4};
  const Plan plan = MustPlan(test::SampleModelPath(), "-1,3,32,48", gears);
  ConvertOptions options;
  options.output_path = out.path();
  options.static_per_gear = true;
  // Left by an earlier run: replaced, not mixed in.
  test::WriteTextFile(out / "sample_det_dynamic_bs_gears/stale.onnx", "old");
  const auto outcomes = MakeOnnxBackend()->Convert(plan, options);
  REQUIRE(outcomes.size() == 1);
  INFO(outcomes[0].error);
  REQUIRE(outcomes[0].ok);
  CHECK(test::FilesUnder(out.path()) == std::vector<std::string>{
                                   "sample_det_dynamic_bs.onnx", "sample_det_dynamic_bs_gears",
                                   "sample_det_dynamic_bs_gears/sample_det_1x3x32x48.onnx",
                                   "sample_det_dynamic_bs_gears/sample_det_4x3x32x48.onnx"});
  CHECK(outcomes[0].files.size() == 3);

  const OnnxModel dynamic = MustLoad(out / "sample_det_dynamic_bs.onnx");
  CHECK(test::InputDimStrings(dynamic.proto, "x") == std::vector<std::string>{"batch", "3", "32", "48"});
  const OnnxModel gear = MustLoad(out / "sample_det_dynamic_bs_gears/sample_det_4x3x32x48.onnx");
  CHECK(CheckModel(gear.proto).ok());
  CHECK(test::InputDimStrings(gear.proto, "x") == std::vector<std::string>{"4", "3", "32", "48"});
  CHECK(GetMetadata(gear.proto, "autoscale.gears") == std::optional<std::string>("[[4,3,32,48]]"));
  CHECK(GetMetadata(gear.proto, "autoscale.mode") == std::optional<std::string>("static"));
  CHECK(gear.proto.graph().value_info_size() > 0);
  const auto& y = gear.proto.graph().output(0).type().tensor_type().shape();
  CHECK(y.dim(0).dim_value() == 4);
  CHECK(y.dim(2).dim_value() == 16);
  CHECK(y.dim(3).dim_value() == 24);
}

TEST_CASE("a gear the graph rejects names itself and leaves nothing", "[onnx_backend]") {
  TempDir src, out;
  const std::string tail = test::WriteFixedSizeModel(src.path());
  for (bool per_gear : {false, true}) {
    INFO("static_per_gear " << per_gear);
    // Every gear after the first fails: the first of them is named, however
    // the gears were shared out among threads.
    const Plan plan = MustPlan(tail, "1,3,-1,-1",
                               HwGears({{64, 64}, {96, 64}, {128, 64}, {160, 64}, {192, 64}}));
    ConvertOptions options;
    options.output_path = out.path();
    options.static_per_gear = per_gear;
    const auto outcomes = MakeOnnxBackend()->Convert(plan, options);
    REQUIRE(outcomes.size() == 1);
    CHECK_FALSE(outcomes[0].ok);
    CHECK(outcomes[0].files.empty());
    CHECK_THAT(outcomes[0].error, Catch::StartsWith("gear 1x3x96x64: shape inference: "));
    CHECK_THAT(outcomes[0].error, Catch::Contains("fixed_size_add"));
    CHECK(test::FilesUnder(out.path()).empty());
  }
}

TEST_CASE("a failed model does not stop the others", "[onnx_backend]") {
  TempDir src, out;
  const std::string tail = test::WriteFixedSizeModel(src.path());
  GearSet gears;
  gears.batch = {1, 2};
  gears.hw = {{64, 64}, {96, 96}};
  gears.hw_per_batch[1] = {{64, 64}};
  const Plan plan = MustPlan(tail, "-1,3,-1,-1", gears);
  ConvertOptions options;
  options.output_path = out.path();
  const auto outcomes = MakeOnnxBackend()->Convert(plan, options);
  REQUIRE(outcomes.size() == 2);
  CHECK(outcomes[0].ok);
  CHECK_FALSE(outcomes[1].ok);
  CHECK_THAT(outcomes[1].error, Catch::StartsWith("gear 2x3x96x96"));
  CHECK(test::FilesUnder(out.path()) == std::vector<std::string>{"tail_dynamic_bs1_hw.onnx"});
}

TEST_CASE("validate checks the model, the input and the shape first", "[onnx_backend]") {
  TempDir out;
  ConvertOptions options;
  options.output_path = out.path();
  auto backend = MakeOnnxBackend();

  Plan missing = MustPlan(out / "missing.onnx", "1,3,32,32", GearSet{});
  CHECK_THAT(backend->Validate(missing, options).message(), Catch::Contains("no such file"));

  Plan wrong_input = MustPlan(test::SampleModelPath(), "1,3,32,32", GearSet{});
  wrong_input.input_name = "image";
  CHECK_THAT(backend->Validate(wrong_input, options).message(),
             Catch::Contains("has no input 'image'; its inputs: x"));

  Plan wrong_shape = MustPlan(test::SampleStaticModelPath(), "1,3,32,32", GearSet{});
  CHECK_THAT(backend->Validate(wrong_shape, options).message(),
             Catch::Contains("sets H to 32 but the model fixes it to 64"));
  const auto outcomes = backend->Convert(wrong_shape, options);
  REQUIRE(outcomes.size() == 1);
  CHECK_FALSE(outcomes[0].ok);
  CHECK(test::FilesUnder(out.path()).empty());

  Plan bad_gear = MustPlan(test::SampleModelPath(), "1,3,-1,-1", HwGears({{32, 32}, {64, 64}}));
  bad_gear.models[0].gears.push_back({2, 3, 32, 32});
  CHECK_THAT(backend->Validate(bad_gear, options).message(),
             Catch::Contains("gear 2x3x32x32 does not fit input shape 1,3,-1,-1"));
}

TEST_CASE("a model with external data is written with its data beside it", "[onnx_backend]") {
  TempDir src, out;
  onnx::ModelProto m = test::LoadSampleModel();
  test::MoveToExternalData(&m, "conv2_w", src.path(), "data/conv2_w.bin");
  test::WriteModel(m, src / "ext.onnx");
  ConvertOptions options;
  options.output_path = out.path();
  options.static_per_gear = true;
  const Plan plan = MustPlan(src / "ext.onnx", "1,3,-1,-1", HwGears({{32, 32}, {64, 64}}));
  const auto outcomes = MakeOnnxBackend()->Convert(plan, options);
  REQUIRE(outcomes.size() == 1);
  INFO(outcomes[0].error);
  REQUIRE(outcomes[0].ok);
  for (const std::string& file : outcomes[0].files) {
    INFO(file);
    const OnnxModel written = MustLoad(file);
    CHECK(written.external_files == std::vector<std::string>{"data/conv2_w.bin"});
    CHECK(CheckModel(written.proto, written.base_dir).ok());
  }
  CHECK(fs::is_regular_file(out / "data/conv2_w.bin"));
  CHECK(fs::is_regular_file(out / "ext_dynamic_hw_gears/data/conv2_w.bin"));
}

TEST_CASE("dry run checks every gear and writes nothing", "[onnx_backend]") {
  TempDir src, out;
  const std::string tail = test::WriteFixedSizeModel(src.path());
  ConvertOptions options;
  options.output_path = out.path();
  options.dry_run = true;
  options.static_per_gear = true;
  auto outcomes = MakeOnnxBackend()->Convert(
      MustPlan(test::SampleModelPath(), "-1,3,32,32", [] {
        GearSet g;
        g.batch = {1, 2};
        return g;
      }()),
      options);
  REQUIRE(outcomes.size() == 1);
  CHECK(outcomes[0].ok);
  CHECK(outcomes[0].files ==
        std::vector<std::string>{out / "sample_det_dynamic_bs.onnx",
                                 out / "sample_det_dynamic_bs_gears/sample_det_1x3x32x32.onnx",
                                 out / "sample_det_dynamic_bs_gears/sample_det_2x3x32x32.onnx"});
  outcomes = MakeOnnxBackend()->Convert(
      MustPlan(tail, "1,3,-1,-1", HwGears({{64, 64}, {96, 64}})), options);
  REQUIRE(outcomes.size() == 1);
  CHECK_THAT(outcomes[0].error, Catch::StartsWith("gear 1x3x96x64"));
  CHECK(test::FilesUnder(out.path()).empty());
}
