// Fixtures for the external converter tests: hand-made plans, the stand-in
// converters in <build>/fakes, and environment switches scoped to a test.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "convert/backend.h"
#include "convert/plan.h"
#include "support/run_binary.h"

namespace autoscale::test {

// A planned model with input shape `shape` ("N,C,H,W") and these gears.
PlannedModel TestModel(const std::string& name, const std::string& shape,
                       const std::vector<FullShape>& gears);

// A plan of `models` for `model_path` with input "x".
Plan TestPlan(const std::string& model_path, const std::vector<PlannedModel>& models);

// One plan per way the dims can be dynamic, each with 2..3 gears:
// static, dynamic_bs, dynamic_hw (H and W), width only, height only,
// dynamic_bs8_hw (N pinned, W dynamic), N and W, N, H and W.
std::vector<PlannedModel> EveryModelKind();

// EveryModelKind()'s model called `name`.
const PlannedModel& ModelKind(const std::string& name);

// A temp folder with a model file and options for `backend` writing into
// "<dir>/out dir", with the stand-in converter as --atc_path/--lite_path.
// The model's name and the output folder hold a quote and a space: nothing on
// the way may split or interpret them.
struct ConverterFixture {
  explicit ConverterFixture(const std::string& backend);
  TempDir dir;
  std::string model;
  ConvertOptions options;
  // <output_path>/<name>
  std::string Out(const std::string& name) const { return options.output_path + "/" + name; }
};

// <build>/fakes/<name>
std::string FakePath(const std::string& name);

// The JSON lines a fake appended to FAKE_CONVERTER_ARGS_LOG.
std::vector<nlohmann::json> ReadArgsLog(const std::string& path);

// Sets (or, with nullopt, unsets) an environment variable until destroyed.
class ScopedEnv {
 public:
  ScopedEnv(std::string name, const std::optional<std::string>& value);
  ~ScopedEnv();
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  std::string name_;
  std::optional<std::string> old_;
};

}  // namespace autoscale::test
