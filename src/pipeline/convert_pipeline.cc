#include "pipeline/convert_pipeline.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "common/atomic_file.h"
#include "convert/conversion_outputs.h"
#include "convert/onnx_model.h"

namespace autoscale {
namespace {

namespace fs = std::filesystem;

// The model, its input and the user's shape, checked before any dataset is
// read: a wrong model fails in milliseconds, not after a long scan.
Result<std::string> CheckModelInput(const ConvertOptions& convert, const InputShape& shape) {
  auto model = LoadOnnxModel(convert.model_path);
  if (!model.ok()) return model.status();
  auto input = FindInput(model->proto, convert.input_name);
  if (!input.ok()) return input.status().WithContext(convert.model_path);
  Status s = CheckInputShape(model->proto, *input, shape);
  if (!s.ok()) return s.WithContext(convert.model_path);
  return *input;
}

// Creates the output folder and proves it can take files (permission bits
// alone say nothing when running as root or on a read-only mount).
Status PrepareOutputFolder(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Status::Error("--output_path " + dir + ": cannot create: " + ec.message());
  if (!fs::is_directory(dir, ec)) return Status::Error("--output_path " + dir + ": not a folder");
  const std::string probe = TempPathFor((fs::path(dir) / "write-test").string());
  {
    std::ofstream out(probe);
    if (!out) return Status::Error("--output_path " + dir + ": not writable");
  }
  fs::remove(probe, ec);
  return Status::Ok();
}

Status CheckConvertOptions(const ConvertOptions& o) {
  if (o.model_path.empty()) return Status::Error("--model_path is required");
  if (o.output_path.empty()) return Status::Error("--output_path is empty");
  if (o.jobs < 1) return Status::Error("--jobs " + std::to_string(o.jobs) + ": must be at least 1");
  if (o.timeout_seconds < 1) {
    return Status::Error("--timeout " + std::to_string(o.timeout_seconds) + ": must be at least 1 second");
  }
  return Status::Ok();
}

std::string Seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f s", s);
  return buf;
}

std::string Pad(const std::string& s, size_t width) {
  return s.size() >= width ? s + " " : s + std::string(width - s.size(), ' ');
}

const PlannedModel* FindPlanned(const Plan& plan, const std::string& name) {
  for (const PlannedModel& m : plan.models) {
    if (m.name == name) return &m;
  }
  return nullptr;
}

}  // namespace

bool ConvertReport::ok() const {
  if (outcomes.empty()) return false;
  for (const ModelOutcome& o : outcomes) {
    if (!o.ok) return false;
  }
  return true;
}

nlohmann::json ConvertReport::ToJson() const {
  nlohmann::json j = pipeline.ToJson();
  nlohmann::json models = nlohmann::json::array();
  for (const ModelOutcome& o : outcomes) {
    nlohmann::json m = {{"name", o.name}, {"ok", o.ok}, {"files", o.files}, {"seconds", o.seconds}};
    if (!o.ok) m["error"] = o.error;
    if (!o.log_path.empty()) m["log"] = o.log_path;
    if (!o.log_tail.empty()) m["log_tail"] = o.log_tail;
    models.push_back(m);
  }
  j["convert"] = {{"model_path", convert.model_path},
                  {"output_path", convert.output_path},
                  {"backend", convert.backend},
                  {"dry_run", convert.dry_run},
                  {"static_per_gear", convert.static_per_gear},
                  {"plan", plan.ToJson()},
                  {"models", models},
                  {"files", output_files},
                  {"ok", ok()}};
  return j;
}

std::string ConvertReport::Summary() const {
  std::ostringstream out;
  out << pipeline.Summary();
  out << "models (backend " << convert.backend << (convert.dry_run ? ", dry run" : "") << ") in "
      << convert.output_path << ":\n";
  size_t name_width = 4;
  for (const ModelOutcome& o : outcomes) name_width = std::max(name_width, o.name.size() + 2);
  int failed = 0;
  for (const ModelOutcome& o : outcomes) {
    const PlannedModel* m = FindPlanned(plan, o.name);
    out << "  " << Pad(o.ok ? "ok" : "FAILED", 8) << Pad(o.name, name_width);
    if (!o.ok) {
      ++failed;
      out << o.error << "\n";
      if (!o.log_path.empty()) out << "          log: " << o.log_path << "\n";
      std::istringstream tail(o.log_tail);
      for (std::string line; std::getline(tail, line);) out << "          | " << line << "\n";
      continue;
    }
    if (m) {
      const size_t n = m->gears.size();
      out << Pad(std::to_string(n) + (n == 1 ? " gear" : " gears"), 11)
          << Pad(m->runtime_call.empty() ? "static" : m->runtime_call, 28);
    }
    out << Pad(Seconds(o.seconds), 9);
    if (!o.files.empty()) out << o.files.front();
    if (o.files.size() > 1) out << " (+" << o.files.size() - 1 << " more)";
    out << "\n";
  }
  for (const std::string& f : output_files) out << "  wrote " << f << "\n";
  out << outcomes.size() - failed << " of " << outcomes.size() << " models converted";
  if (failed) out << ", " << failed << " failed";
  out << "\n";
  return out.str();
}

Status CheckConvertCommand(const PipelineOptions& pipeline, const ConvertOptions& convert) {
  Status s = CheckConvertOptions(convert);
  if (!s.ok()) return s;
  auto backend = MakeBackend(convert.backend);
  if (!backend.ok()) return backend.status();
  return CheckPipelineOptions(pipeline);
}

Result<ConvertReport> RunConvert(const PipelineOptions& pipeline, const ConvertOptions& convert) {
  ConvertReport report;
  report.convert = convert;
  Status s = CheckConvertOptions(convert);
  if (!s.ok()) return s;
  auto backend = MakeBackend(convert.backend);
  if (!backend.ok()) return backend.status();

  std::string input;
  if (!pipeline.input_shape.empty()) {
    auto shape = ParseInputShape(pipeline.input_shape);
    if (!shape.ok()) return shape.status().WithContext("--input_shape");
    auto found = CheckModelInput(convert, *shape);
    if (!found.ok()) return found.status();
    input = *found;
  }
  auto result = RunPipeline(pipeline);
  if (!result.ok()) return result.status();
  report.pipeline = std::move(*result);
  if (input.empty()) {
    // No --input_shape: the shape came from a saved profile.
    auto found = CheckModelInput(convert, report.pipeline.shape);
    if (!found.ok()) return found.status();
    input = *found;
  }
  report.convert.cost_model = CostModelOf(report.pipeline.config).ToJson();
  report.convert.limit_side_len = report.pipeline.config.limit_side_len;
  report.convert.static_per_gear =
      convert.static_per_gear || report.pipeline.config.onnx_static_per_gear;
  // Backend options a flag did not set come from the config.
  const ScalingConfig& config = report.pipeline.config;
  if (report.convert.trt_profiles.empty()) report.convert.trt_profiles = config.trt_profiles;
  if (report.convert.trt_args.empty()) report.convert.trt_args = config.trt_args;
  if (report.convert.rknn_target_platform.empty())
    report.convert.rknn_target_platform = config.rknn_target_platform;
  if (report.convert.rknn_config.empty()) report.convert.rknn_config = config.rknn_config;
  if (report.pipeline.profile) {
    for (const auto& [key, n] : report.pipeline.profile->samples())
      report.convert.sample_sizes[{key.batch, report.pipeline.shape.dims[kC], key.h, key.w}] += n;
  }

  auto plan = MakePlan(convert.model_path, input, report.pipeline.shape, report.pipeline.gears);
  if (!plan.ok()) return plan.status();
  report.plan = std::move(*plan);
  s = (*backend)->Validate(report.plan, report.convert);
  if (!s.ok()) return s;
  s = PrepareOutputFolder(convert.output_path);
  if (!s.ok()) return s;

  report.outcomes = (*backend)->Convert(report.plan, report.convert);
  auto files = WriteConversionOutputs(report.plan, report.outcomes, report.convert);
  if (!files.ok()) return files.status();
  report.output_files = std::move(*files);
  s = WritePipelineOutputs(pipeline, report.pipeline, report.ToJson());
  if (!s.ok()) return s;
  return report;
}

}  // namespace autoscale
