#include "support/converter_fixtures.h"

#include <cstdlib>
#include <sstream>
#include <stdexcept>

#include "support/run_binary.h"

namespace autoscale::test {

PlannedModel TestModel(const std::string& name, const std::string& shape,
                       const std::vector<FullShape>& gears) {
  Result<InputShape> parsed = ParseInputShape(shape);
  if (!parsed.ok()) throw std::invalid_argument(parsed.message());
  PlannedModel model;
  model.name = name;
  model.mode = name.substr(name.find('_') + 1);
  model.shape = *parsed;
  model.gears = gears;
  return model;
}

Plan TestPlan(const std::string& model_path, const std::vector<PlannedModel>& models) {
  Plan plan;
  plan.model_path = model_path;
  plan.stem = "m";
  plan.input_name = "x";
  plan.models = models;
  return plan;
}

std::vector<PlannedModel> EveryModelKind() {
  return {
      TestModel("m_static", "1,3,48,320", {{1, 3, 48, 320}}),
      TestModel("m_dynamic_bs", "-1,3,48,320", {{1, 3, 48, 320}, {4, 3, 48, 320}, {8, 3, 48, 320}}),
      TestModel("m_dynamic_hw", "1,3,-1,-1", {{1, 3, 736, 736}, {1, 3, 960, 1280}}),
      TestModel("m_width_hw", "1,3,48,-1", {{1, 3, 48, 320}, {1, 3, 48, 640}}),
      TestModel("m_height_hw", "1,3,-1,100", {{1, 3, 32, 100}, {1, 3, 64, 100}}),
      TestModel("m_dynamic_bs8_hw", "8,3,48,-1", {{8, 3, 48, 320}, {8, 3, 48, 640}}),
      TestModel("m_bs_w", "-1,3,48,-1", {{8, 3, 48, 320}, {8, 3, 48, 640}}),
      TestModel("m_bs_hw", "-1,3,-1,-1", {{1, 3, 32, 320}, {2, 3, 32, 320}, {2, 3, 64, 640}}),
  };
}

const PlannedModel& ModelKind(const std::string& name) {
  static const std::vector<PlannedModel> models = EveryModelKind();
  for (const PlannedModel& m : models)
    if (m.name == name) return m;
  throw std::invalid_argument("no planned model " + name);
}

ConverterFixture::ConverterFixture(const std::string& backend)
    : model(WriteTextFile(dir / "my model's.onnx", "not really onnx")) {
  options.model_path = model;
  options.output_path = dir / "out dir";
  options.backend = backend;
  options.atc_path = FakePath("atc");
  options.lite_path = FakePath("converter_lite");
  options.trtexec_path = FakePath("trtexec");
  options.ovc_path = FakePath("ovc");
  options.timeout_seconds = 60;
}

std::string FakePath(const std::string& name) { return BinaryPath("fakes/" + name); }

std::vector<nlohmann::json> ReadArgsLog(const std::string& path) {
  std::vector<nlohmann::json> lines;
  std::istringstream in(ReadTextFile(path));
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(nlohmann::json::parse(line));
  return lines;
}

ScopedEnv::ScopedEnv(std::string name, const std::optional<std::string>& value)
    : name_(std::move(name)) {
  if (const char* old = std::getenv(name_.c_str())) old_ = old;
  if (value)
    ::setenv(name_.c_str(), value->c_str(), 1);
  else
    ::unsetenv(name_.c_str());
}

ScopedEnv::~ScopedEnv() {
  if (old_)
    ::setenv(name_.c_str(), old_->c_str(), 1);
  else
    ::unsetenv(name_.c_str());
}

}  // namespace autoscale::test
