#include "pipeline/convert_pipeline.h"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "common/atomic_file.h"
#include "common/interrupt.h"
#include "common/text_format.h"
#include "convert/conversion_outputs.h"
#include "convert/converter_args.h"
#include "convert/dry_run_script.h"
#include "convert/onnx_model.h"
#include "convert/output_set.h"
#include "pipeline/output_check.h"
#include "stats/core/gear_set.h"
#include "stats/report/report_html.h"

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
  auto probe = CreateTempFile((fs::path(dir) / "write-test").string());
  if (!probe.ok()) return Status::Error("--output_path " + dir + ": not writable");
  ::close(probe->fd);
  fs::remove(probe->path, ec);
  return Status::Ok();
}

Status CheckConvertOptions(const ConvertOptions& o) {
  if (o.model_path.empty()) return Status::Error("--model_path is required");
  if (o.output_path.empty()) return Status::Error("--output_path is empty");
  if (o.jobs < 1) return Status::Error("--jobs " + std::to_string(o.jobs) + ": must be at least 1");
  if (o.timeout_seconds < 1) {
    return Status::Error("--timeout " + std::to_string(o.timeout_seconds) +
                         ": must be at least 1 second");
  }
  return CheckConverterOptions(o);
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

// The gears and the plan, before any conversion starts.
void PrintPlan(const ConvertReport& report, ProgressSink* progress) {
  if (progress == nullptr) return;
  const ConvertOptions& c = report.convert;
  const size_t n = report.plan.models.size();
  progress->Line("plan: " + std::to_string(n) + (n == 1 ? " model" : " models") + " of " +
                 report.plan.model_path + " (backend " + c.backend +
                 (c.dry_run ? ", dry run" : "") + ", -j " + std::to_string(c.jobs) + ") into " +
                 c.output_path);
  for (const PlannedModel& m : report.plan.models) {
    constexpr size_t kShown = 12;
    std::string gears;
    for (size_t i = 0; i < m.gears.size() && i < kShown; ++i) {
      const FullShape& g = m.gears[i];
      gears += gears.empty() ? "" : " ";
      gears += std::to_string(g[0]) + "x" + std::to_string(g[1]) + "x" + std::to_string(g[2]) +
               "x" + std::to_string(g[3]);
    }
    if (m.gears.size() > kShown) gears += " ... (+" + std::to_string(m.gears.size() - kShown) + ")";
    progress->Line("  " + m.name + ": " + m.shape.ToString() + ", " +
                   std::to_string(m.gears.size()) + (m.gears.size() == 1 ? " gear: " : " gears: ") +
                   gears);
  }
}

// What the report shows of the conversion: gears.json's view of each model
// and the commands the converters got.
ReportConversion ConversionForReport(const ConvertReport& r) {
  ReportConversion c;
  c.model_path = r.plan.model_path;
  c.input_name = r.plan.input_name;
  c.backend = r.convert.backend;
  c.atc_mode = r.convert.atc_mode;
  c.output_path = r.convert.output_path;
  c.dry_run = r.convert.dry_run;
  const nlohmann::json gears = GearsJson(r.plan, r.outcomes, r.convert);
  for (const PlannedModel& m : r.plan.models) {
    ReportModelFile f;
    f.name = m.name;
    f.mode = m.mode;
    f.input_shape = m.shape.ToString();
    f.gears.assign(m.gears.begin(), m.gears.end());
    f.runtime_call = m.runtime_call;
    f.ok = false;
    f.error = "not converted";
    for (const nlohmann::json& written : gears["models"])
      if (written["name"] == m.name) {
        f.ok = true;
        f.error.clear();
        f.file = written["file"].get<std::string>();
      }
    for (const nlohmann::json& failed : gears["failed"])
      if (failed["name"] == m.name) f.error = failed["error"].get<std::string>();
    c.models.push_back(std::move(f));
  }
  for (const ModelOutcome& o : r.outcomes)
    if (!o.command.empty()) c.commands.push_back(ShellCommandLine(o.command));
  if (r.convert.dry_run && !c.commands.empty())
    c.script_path = DryRunScriptPath(r.convert.output_path);
  return c;
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
    if (!o.command.empty()) m["command"] = o.command;
    models.push_back(m);
  }
  j["convert"] = {{"model_path", convert.model_path},
                  {"output_path", convert.output_path},
                  {"backend", convert.backend},
                  {"dry_run", convert.dry_run},
                  {"static_per_gear", convert.static_per_gear},
                  {"atc_mode", convert.atc_mode},
                  {"copy_model", convert.copy_model},
                  {"atc_args", convert.atc_args},
                  {"lite_args", convert.lite_args},
                  {"lite_config", convert.lite_config},
                  {"plan", plan.ToJson()},
                  {"models", models},
                  {"files", output_files},
                  {"committed", committed},
                  {"ok", ok()}};
  return j;
}

std::string ConvertReport::Summary() const {
  std::ostringstream out;
  out << pipeline.Summary();
  const bool ascend = convert.backend == "atc" || convert.backend == "lite";
  out << "models (backend " << convert.backend << (ascend ? ", atc_mode " + convert.atc_mode : "")
      << (convert.dry_run ? ", dry run" : "") << ") in " << PrintableText(convert.output_path)
      << ":\n";
  size_t name_width = 4;
  for (const ModelOutcome& o : outcomes)
    name_width = std::max(name_width, PrintableText(o.name).size() + 2);
  int failed = 0;
  for (const ModelOutcome& o : outcomes) {
    const PlannedModel* m = FindPlanned(plan, o.name);
    out << "  " << Pad(o.ok ? "ok" : "FAILED", 8) << Pad(PrintableText(o.name), name_width);
    if (!o.ok) {
      ++failed;
      out << PrintableText(o.error) << "\n";
      if (!o.log_path.empty()) out << "          log: " << PrintableText(o.log_path) << "\n";
      std::istringstream tail(o.log_tail);
      for (std::string line; std::getline(tail, line);)
        out << "          | " << PrintableText(line) << "\n";
      continue;
    }
    if (m) {
      const size_t n = m->gears.size();
      out << Pad(std::to_string(n) + (n == 1 ? " gear" : " gears"), 11)
          << Pad(m->runtime_call.empty() ? "static" : m->runtime_call, 28);
    }
    out << Pad(Seconds(o.seconds), 9);
    if (!o.files.empty()) out << PrintableText(o.files.front());
    if (o.files.size() > 1) out << " (+" << o.files.size() - 1 << " more)";
    out << "\n";
  }
  for (const std::string& f : output_files) out << "  wrote " << PrintableText(f) << "\n";
  if (!committed && !outcomes.empty())
    out << "nothing written to " << PrintableText(convert.output_path)
        << " but the logs: a model failed, the previous files are unchanged\n";
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
  s = CheckPipelineOptions(pipeline);
  if (!s.ok()) return s;
  return CheckCommandPaths(pipeline, &convert);
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
  // Given gears (--gears) meet what converters require, as chosen ones do.
  if (!result->gears_path.empty()) {
    Status given = CheckGearGuarantees(result->gears, result->shape, result->config);
    if (!given.ok()) return Status::Error("--gears " + result->gears_path + ": " + given.message());
  }
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
  SetRuntimeCalls(&report.plan, convert.backend, convert.atc_mode);
  s = (*backend)->Validate(report.plan, report.convert);
  if (!s.ok()) return s;
  // From here a signal does not end the process at once: the converters are
  // stopped and the staging folder removed first (common/interrupt.h).
  InterruptScope interruptible;
  s = PrepareOutputFolder(convert.output_path);
  if (!s.ok()) return s;
  // A dry run writes convert.sh and its config files in place: the commands
  // in it name the final paths.
  auto set = OutputSet::Open(convert.output_path, !convert.dry_run);
  if (!set.ok()) return set.status();
  ConvertOptions staged = report.convert;
  staged.output_path = (*set)->staging();
  PrintPlan(report, staged.progress);

  report.outcomes = (*backend)->Convert(report.plan, staged);
  if (Interrupted()) return Status::Error("interrupted");
  const bool keep = report.ok() || convert.dry_run;
  if (keep) {
    auto files = WriteConversionOutputs(report.plan, report.outcomes, staged);
    if (!files.ok()) return files.status();
    report.output_files = std::move(*files);
    s = (*set)->Commit();
  } else {
    // Some model failed: the previous set stays; the logs say why.
    s = (*set)->CommitLogs();
  }
  if (!s.ok()) return s;
  report.committed = keep;
  for (ModelOutcome& o : report.outcomes) {
    for (std::string& f : o.files) f = (*set)->Final(f);
    if (!keep) o.files.clear();
    if (!o.log_path.empty()) o.log_path = (*set)->Final(o.log_path);
    // Errors and commands name the files as the user knows them.
    const std::string& staging = (*set)->staging();
    const auto unstage = [&](std::string& text) {
      for (size_t at = 0;
           staging != convert.output_path && (at = text.find(staging, at)) != std::string::npos;
           at += convert.output_path.size())
        text.replace(at, staging.size(), convert.output_path);
    };
    unstage(o.error);
    for (std::string& arg : o.command) unstage(arg);
  }
  for (std::string& f : report.output_files) f = (*set)->Final(f);
  const ReportConversion conversion = ConversionForReport(report);
  s = WritePipelineOutputs(pipeline, report.pipeline, report.ToJson(), &conversion);
  if (!s.ok()) return s;
  return report;
}

}  // namespace autoscale
