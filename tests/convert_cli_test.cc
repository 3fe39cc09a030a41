// End-to-end tests of `autoscale convert` with the onnx backend: the sample
// model in every mode, the real PP-OCRv4 models ([real_models]), and bad
// input.
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "convert/onnx_model.h"
#include "support/models.h"
#include "support/run_binary.h"

using autoscale::test::FilesUnder;
using autoscale::test::InputDimStrings;
using autoscale::test::ReadTextFile;
using autoscale::test::RunAutoscale;
using autoscale::test::RunResult;
using autoscale::test::SourcePath;
using autoscale::test::TempDir;
using autoscale::test::WriteTextFile;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// Every run uses the repository's config, whatever the working folder.
RunResult Convert(std::vector<std::string> args) {
  args.insert(args.begin(), {"convert", "--config", SourcePath("configs/auto_scaling.yaml")});
  return RunAutoscale(args);
}

// Reloads an output model and checks it: the checker passes, the input has
// exactly `dims`, and the metadata records `mode`, the input and the gears
// that gears.json lists for it.
void CheckModelFile(const std::string& out, const json& entry,
                    const std::vector<std::string>& dims) {
  const std::string path = out + "/" + entry["file"].get<std::string>();
  INFO(path);
  auto model = autoscale::LoadOnnxModel(path);
  REQUIRE(model.ok());
  const autoscale::Status checked = autoscale::CheckModel(model->proto, model->base_dir);
  INFO(checked.message());
  CHECK(checked.ok());
  const std::string input = entry["input_name"];
  CHECK(InputDimStrings(model->proto, input) == dims);
  CHECK(autoscale::GetMetadata(model->proto, "autoscale.mode") ==
        std::optional<std::string>(entry["mode"].get<std::string>()));
  CHECK(autoscale::GetMetadata(model->proto, "autoscale.input") ==
        std::optional<std::string>(input));
  auto gears = autoscale::GetMetadata(model->proto, "autoscale.gears");
  REQUIRE(gears.has_value());
  CHECK(json::parse(*gears) == entry["gears"]);
}

json Gears(const std::string& out) { return json::parse(ReadTextFile(out + "/gears.json")); }

// The dims a dynamic model's input must have: -1 becomes the dim's name.
std::vector<std::string> Expected(const std::string& shape) {
  static const char* names[] = {"batch", "channels", "height", "width"};
  std::vector<std::string> dims;
  size_t start = 0;
  for (int i = 0; i < 4; ++i) {
    const size_t end = shape.find(',', start);
    const std::string d = shape.substr(start, end - start);
    dims.push_back(d == "-1" ? names[i] : d);
    start = end + 1;
  }
  return dims;
}

// Every model in gears.json has the input its compiled shape says and the
// gears scaling_data.json lists, in order.
void CheckAllModels(const std::string& out, size_t expected_models) {
  const json g = Gears(out);
  REQUIRE(g["models"].size() == expected_models);
  CHECK(g["failed"].empty());
  int dynamic = 0;
  for (const json& entry : g["models"]) {
    CheckModelFile(out, entry, Expected(entry["input_shape"]));
    if (entry["mode"] != "static") {
      const json scaling = json::parse(ReadTextFile(out + "/scaling_data.json"));
      CHECK(scaling["dyn_input" + std::to_string(++dynamic)] == entry["gears"]);
    }
  }
}

}  // namespace

TEST_CASE("a static shape writes just the static model", "[convert]") {
  TempDir out;
  auto r = Convert({"--model_path", autoscale::test::SampleModelPath(), "--input_shape",
                    "1,3,64,64", "--output_path", out.path()});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(FilesUnder(out.path()) == std::vector<std::string>{"gears.json", "sample_det_static.onnx"});
  const json g = Gears(out.path());
  REQUIRE(g["models"].size() == 1);
  CHECK(g["models"][0]["runtime_call"] == "");
  CHECK(g["models"][0]["gears"] == json::parse("[[1,3,64,64]]"));
  CheckModelFile(out.path(), g["models"][0], {"1", "3", "64", "64"});
  CHECK_THAT(r.out, Catch::Contains("1 of 1 models converted"));

  TempDir fixed;
  r = Convert({"--model_path", autoscale::test::SampleStaticModelPath(), "--input_shape",
               "1,3,64,64", "--output_path", fixed.path()});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CheckAllModels(fixed.path(), 1);
}

TEST_CASE("only N dynamic: dynamic_bs with the default batch gears", "[convert]") {
  TempDir out;
  auto r = Convert({"--model_path", autoscale::test::SampleModelPath(), "--input_shape=-1,3,32,48",
                    "--output_path", out.path()});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(FilesUnder(out.path()) ==
        std::vector<std::string>{"gears.json", "sample_det_dynamic_bs.onnx", "scaling_data.json"});
  const json g = Gears(out.path());
  REQUIRE(g["models"].size() == 1);
  // The onnx backend's model takes any gear's shape: its dims are symbolic.
  CHECK(g["models"][0]["runtime_call"] == "symbolic_dims");
  CHECK(g["models"][0]["gears"] ==
        json::parse("[[1,3,32,48],[4,3,32,48],[8,3,32,48],[16,3,32,48],[32,3,32,48]]"));
  CheckModelFile(out.path(), g["models"][0], {"batch", "3", "32", "48"});
  CheckAllModels(out.path(), 1);
}

TEST_CASE("N fixed, H and W dynamic: dynamic_hw", "[convert]") {
  for (const char* shape : {"1,3,-1,-1", "1,3,48,-1", "1,3,-1,320"}) {
    INFO(shape);
    TempDir out;
    auto r = Convert({"--model_path", autoscale::test::SampleModelPath(),
                      std::string("--input_shape=") + shape, "--output_path", out.path(), "--set",
                      "max_scaling_num=12"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const json g = Gears(out.path());
    REQUIRE(g["models"].size() == 1);
    const json& m = g["models"][0];
    CHECK(m["file"] == "sample_det_dynamic_hw.onnx");
    CHECK(m["input_shape"] == shape);
    CHECK(m["gears"].size() >= 2);
    CHECK(m["gears"].size() <= 12);
    CHECK(m["runtime_call"] == "symbolic_dims");
    CheckAllModels(out.path(), 1);
  }
}

TEST_CASE("N and H/W dynamic: one model per batch gear, from a dataset", "[convert]") {
  TempDir out;
  auto r = Convert({"--model_path", autoscale::test::SampleModelPath(), "--input_shape=-1,3,48,-1",
                    "--dataset_path", SourcePath("data/samples/det_label.txt"), "--output_path",
                    out.path(), "--json", out / "report.json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const json report = json::parse(ReadTextFile(out / "report.json"));
  const json& batches = report["gears"]["batch_size"];
  REQUIRE(batches.size() >= 2);
  const json g = Gears(out.path());
  REQUIRE(g["models"].size() == batches.size());
  for (size_t i = 0; i < batches.size(); ++i) {
    const std::string b = std::to_string(batches[i].get<int>());
    const json& m = g["models"][i];
    CHECK(m["file"] == "sample_det_dynamic_bs" + b + "_hw.onnx");
    CHECK(m["mode"] == "dynamic_bs" + b + "_hw");
    CHECK(m["input_shape"] == b + ",3,48,-1");
    CHECK(m["runtime_call"] == "symbolic_dims");
    CheckModelFile(out.path(), m, {b, "3", "48", "width"});
  }
  CheckAllModels(out.path(), batches.size());
  CHECK(report["convert"]["ok"] == true);
  CHECK(report["convert"]["models"].size() == batches.size());
  CHECK(report["convert"]["plan"]["input_shape"] == "-1,3,48,-1");
  CHECK(report["dataset"]["type"] == "det_labels");
  CHECK_THAT(r.out, Catch::Contains("dataset"));
  CHECK_THAT(r.out, Catch::Contains("models converted"));
}

TEST_CASE("an image folder gives dynamic_hw gears for a det model", "[convert]") {
  TempDir out;
  auto r = Convert({"--model-path", autoscale::test::SampleModelPath(), "--input-shape=1,3,-1,-1",
                    "--data-path", SourcePath("data/samples/images"), "--output-path", out.path(),
                    "--input-name", "x", "--quiet"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.empty());
  CheckAllModels(out.path(), 1);
}

TEST_CASE("onnx.static_per_gear writes one static model per gear", "[convert]") {
  TempDir out;
  auto r = Convert({"--model_path", autoscale::test::SampleModelPath(), "--input_shape=-1,3,32,32",
                    "--output_path", out.path(), "--set", "onnx.static_per_gear=true", "--set",
                    "default_scaling.batch_size=[1,2,4]"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(FilesUnder(out.path()) ==
        std::vector<std::string>{
            "gears.json", "sample_det_dynamic_bs.onnx", "sample_det_dynamic_bs_gears",
            "sample_det_dynamic_bs_gears/sample_det_1x3x32x32.onnx",
            "sample_det_dynamic_bs_gears/sample_det_2x3x32x32.onnx",
            "sample_det_dynamic_bs_gears/sample_det_4x3x32x32.onnx", "scaling_data.json"});
  for (int b : {1, 2, 4}) {
    const std::string n = std::to_string(b);
    json entry = {{"file", "sample_det_dynamic_bs_gears/sample_det_" + n + "x3x32x32.onnx"},
                  {"input_name", "x"},
                  {"mode", "static"},
                  {"gears", json::array({json::array({b, 3, 32, 32})})}};
    CheckModelFile(out.path(), entry, {n, "3", "32", "32"});
  }
}

TEST_CASE("a gear the graph rejects fails the model by name", "[convert]") {
  TempDir src, out;
  auto r = Convert({"--model_path", autoscale::test::WriteFixedSizeModel(src.path()),
                    "--input_shape=1,3,-1,-1", "--output_path", out.path(), "--set",
                    "max_scaling_num=4"});
  CHECK(r.exit_code != 0);
  // Progress lines come first; the error is the one last line.
  CHECK_THAT(r.err,
             Catch::Contains(
                 "\nautoscale convert: 1 of 1 models failed; first: tail_dynamic_hw: gear 1x3x"));
  CHECK_THAT(r.out, Catch::Contains("tail_dynamic_hw  gear 1x3x"));
  CHECK_THAT(r.err, Catch::Contains("fixed_size_add"));
  CHECK(r.err.find("autoscale convert:") == r.err.rfind("autoscale convert:"));
  CHECK(r.err.back() == '\n');
  CHECK(r.err.find('\n', r.err.find("autoscale convert:")) == r.err.size() - 1);
  CHECK_THAT(r.out, Catch::Contains("FAILED"));
  // A failed model keeps the new set out of the folder (no gears.json at all here).
  CHECK(FilesUnder(out.path()).empty());
}

TEST_CASE("bad input: one clear line, non-zero exit, nothing written", "[convert]") {
  TempDir dir;
  const std::string out = dir / "out";
  const std::string sample = autoscale::test::SampleModelPath();
  WriteTextFile(dir / "text.onnx", "not a model\n");
  const std::string bytes = ReadTextFile(sample);
  WriteTextFile(dir / "cut.onnx", bytes.substr(0, bytes.size() / 2));
  WriteTextFile(dir / "file", "a file, not a folder\n");

  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"--model_path", dir / "missing.onnx", "--input_shape=1,3,-1,-1", "--dataset_path",
        dir / "no-dataset"},
       dir / "missing.onnx: no such file"},
      {{"--model_path", dir / "text.onnx", "--input_shape=1,3,-1,-1"},
       dir / "text.onnx: not an ONNX model"},
      {{"--model_path", dir / "cut.onnx", "--input_shape=1,3,-1,-1"},
       dir / "cut.onnx: truncated or corrupt ONNX model"},
      {{"--model_path", sample, "--input_shape=1,3,-1,-1", "--input_name", "image"},
       "the model has no input 'image'; its inputs: x"},
      {{"--model_path", autoscale::test::SampleStaticModelPath(), "--input_shape=1,3,-1,-1",
        "--dataset_path", dir / "no-dataset"},
       "make sure the model is the dynamic shape version"},
      {{"--model_path", sample, "--input_shape=1,1,-1,-1"},
       "sets C to 1 but the model fixes it to 3"},
      {{"--model_path", sample, "--input_shape=1,3,-1"}, "--input_shape"},
      {{"--model_path", sample, "--input_shape=1,3,-1,-1", "--backend", "tensorrt"},
       "expected onnx, atc, lite, trt, rknn or openvino"},
      {{"--input_shape=1,3,-1,-1"}, "--model_path"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> args = c.args;
    args.insert(args.end(), {"--output_path", out});
    auto r = Convert(args);
    INFO(r.err);
    CHECK(r.exit_code != 0);
    CHECK_THAT(r.err, Catch::Contains(c.message));
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK_FALSE(fs::exists(out));
  }

  auto r = Convert(
      {"--model_path", sample, "--input_shape=1,3,-1,-1", "--output_path", dir / "file/out"});
  CHECK(r.exit_code != 0);
  CHECK_THAT(r.err, Catch::StartsWith("autoscale convert: --output_path " + dir / "file/out" +
                                      ": cannot create"));
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
}

// The real PP-OCRv4 models. They must be there (scripts/fetch-models.sh):
// these tests fail, never skip, without them.
TEST_CASE("real det model: 1,3,-1,-1 from an image folder", "[convert][real_models]") {
  const std::string det = autoscale::test::RealModelPath("det");
  TempDir out;
  auto r = Convert({"--model_path", det, "--input_shape=1,3,-1,-1", "--dataset_path",
                    SourcePath("data/samples/images"), "--output_path", out.path(), "--set",
                    "max_scaling_num=8"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(FilesUnder(out.path()) == std::vector<std::string>{"ch_PP-OCRv4_det_infer_dynamic_hw.onnx",
                                                           "gears.json", "scaling_data.json"});
  CheckAllModels(out.path(), 1);
  CHECK(Gears(out.path())["models"][0]["input_shape"].get<std::string>().rfind("1,3,", 0) == 0);
}

TEST_CASE("real det model: a gear off its stride is rejected by name", "[convert][real_models]") {
  const std::string det = autoscale::test::RealModelPath("det");
  TempDir out;
  // interval 16 lets heights like 48 through: DBNet's FPN needs multiples of 32.
  auto r = Convert({"--model_path", det, "--input_shape=1,3,-1,-1", "--output_path", out.path(),
                    "--set", "interval=16", "--set", "default_scaling.height=[48,64]", "--set",
                    "default_scaling.width=[64]"});
  CHECK(r.exit_code != 0);
  CHECK_THAT(r.err,
             Catch::Contains("ch_PP-OCRv4_det_infer_dynamic_hw: gear 1x3x48x64: shape inference"));
  CHECK_FALSE(fs::exists(out / "ch_PP-OCRv4_det_infer_dynamic_hw.onnx"));
}

TEST_CASE("real rec model: -1,3,48,-1 and 1,3,48,-1", "[convert][real_models]") {
  const std::string rec = autoscale::test::RealModelPath("rec");
  TempDir both;
  auto r = Convert({"--model_path", rec, "--input_shape=-1,3,48,-1", "--dataset_path",
                    SourcePath("data/samples/det_label.txt"), "--output_path", both.path(), "--set",
                    "max_scaling_num=6", "--set", "batch_choices=[1,8,32]"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const json g = Gears(both.path());
  REQUIRE(g["models"].size() >= 2);
  for (const json& m : g["models"]) {
    CHECK_THAT(m["mode"].get<std::string>(), Catch::Matches("dynamic_bs[0-9]+_hw"));
  }
  CheckAllModels(both.path(), g["models"].size());

  TempDir width;
  r = Convert({"--model_path", rec, "--input_shape=1,3,48,-1", "--dataset_path",
               SourcePath("data/samples/det_label.txt"), "--output_path", width.path(), "--set",
               "max_scaling_num=6"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(Gears(width.path())["models"][0]["file"] == "ch_PP-OCRv4_rec_infer_dynamic_hw.onnx");
  CheckAllModels(width.path(), 1);
}

TEST_CASE("real cls model: -1,3,48,192 and a static shape", "[convert][real_models]") {
  const std::string cls = autoscale::test::RealModelPath("cls");
  TempDir batch;
  auto r = Convert({"--model_path", cls, "--input_shape=-1,3,48,192", "--output_path", batch.path(),
                    "--set", "onnx.static_per_gear=true"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const json g = Gears(batch.path());
  REQUIRE(g["models"].size() == 1);
  CHECK(g["models"][0]["file"] == "ch_ppocr_mobile_v2.0_cls_infer_dynamic_bs.onnx");
  CHECK(g["models"][0]["runtime_call"] == "symbolic_dims");
  CheckAllModels(batch.path(), 1);
  for (const json& gear : g["models"][0]["gears"]) {
    const std::string name = std::to_string(gear[0].get<int>()) + "x3x48x192";
    json entry = {
        {"file", "ch_ppocr_mobile_v2.0_cls_infer_dynamic_bs_gears/ch_ppocr_mobile_v2.0_cls_infer_" +
                     name + ".onnx"},
        {"input_name", "x"},
        {"mode", "static"},
        {"gears", json::array({gear})}};
    CheckModelFile(batch.path(), entry, {std::to_string(gear[0].get<int>()), "3", "48", "192"});
  }

  TempDir fixed;
  r = Convert({"--model_path", cls, "--input_shape=1,3,48,192", "--output_path", fixed.path()});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(FilesUnder(fixed.path()) ==
        std::vector<std::string>{"ch_ppocr_mobile_v2.0_cls_infer_static.onnx", "gears.json"});
  CheckAllModels(fixed.path(), 1);
}
