#include "convert/external_backend.h"

#include <catch2/catch.hpp>

#include <string>

namespace autoscale {
namespace {

PlannedModel Named(const std::string& name) {
  PlannedModel model;
  model.name = name;
  return model;
}

TEST_CASE("external models go to <output>/<name> with logs under logs/", "[external]") {
  ConvertOptions options;
  options.output_path = "out/dir";
  const PlannedModel model = Named("crnn_dynamic_hw");
  CHECK(ModelOutputBase(options, model) == "out/dir/crnn_dynamic_hw");
  CHECK(ModelLogPath(options, model) == "out/dir/logs/crnn_dynamic_hw.log");
  const ExternalJob job = ModelJob(options, model, {"atc", "--model=m.onnx"}, ".om");
  CHECK(job.name == "crnn_dynamic_hw");
  CHECK(job.argv == std::vector<std::string>{"atc", "--model=m.onnx"});
  CHECK(job.log_path == "out/dir/logs/crnn_dynamic_hw.log");
  CHECK(job.output.path == "out/dir/crnn_dynamic_hw.om");
  CHECK_FALSE(job.output.allow_platform_suffix);
}

TEST_CASE("FailEveryModel gives each planned model the one error", "[external]") {
  Plan plan;
  plan.models = {Named("m_static"), Named("m_dynamic_bs")};
  const std::vector<ModelOutcome> outcomes = FailEveryModel(plan, "cannot write convert.sh");
  REQUIRE(outcomes.size() == 2);
  CHECK(outcomes[0].name == "m_static");
  CHECK(outcomes[1].name == "m_dynamic_bs");
  for (const ModelOutcome& o : outcomes) {
    CHECK_FALSE(o.ok);
    CHECK(o.error == "cannot write convert.sh");
  }
  CHECK(FailEveryModel(Plan(), "x").empty());
}

TEST_CASE("a dry run names the converter as given and looks nothing up", "[external]") {
  ConvertOptions options;
  options.dry_run = true;
  ConverterBinary binary;
  binary.name = "no_such_converter_here";
  auto argv0 = ConverterArgv0(options, binary);
  REQUIRE(argv0.ok());
  CHECK(*argv0 == "no_such_converter_here");
  binary.explicit_path = "/opt/x/atc";
  CHECK(*ConverterArgv0(options, binary) == "/opt/x/atc");

  Plan plan;
  plan.model_path = "m.onnx";
  plan.input_name = "x";
  CHECK(ValidateExternal(plan, options, binary).ok());
  // Without --dry-run the converter must be found.
  options.dry_run = false;
  binary.explicit_path.clear();
  CHECK_FALSE(ValidateExternal(plan, options, binary).ok());
  CHECK_FALSE(ConverterArgv0(options, binary).ok());
}

TEST_CASE("ValidateExternal wants an input name to shape", "[external]") {
  ConvertOptions options;
  options.dry_run = true;
  Plan plan;
  plan.model_path = "m.onnx";
  const Status s = ValidateExternal(plan, options, ConverterBinary());
  REQUIRE_FALSE(s.ok());
  CHECK(s.message() == "m.onnx: no input name to shape");
}

}  // namespace
}  // namespace autoscale
