#include "pipeline/stats_pipeline.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "common/atomic_file.h"
#include "common/json_text.h"
#include "common/text_format.h"
#include "pipeline/config_yaml.h"
#include "runtime/cost_table.h"
#include "stats/evaluation/cost_plan.h"
#include "stats/readers/dataset_reader.h"
#include "stats/core/model_space.h"
#include "stats/core/gear_limits.h"
#include "stats/report/report_html.h"
#include "stats/strategies/strategy.h"
#include "stats/strategies/strategy_optimal.h"

namespace autoscale {

namespace fs = std::filesystem;

namespace {

// configs/auto_scaling.yaml from the working folder, else beside the
// installed or built binary (<root>/build/bin/autoscale, <prefix>/bin/autoscale).
std::string FindDefaultConfig() {
  const std::string rel = "configs/auto_scaling.yaml";
  std::error_code ec;
  if (fs::is_regular_file(rel, ec)) return rel;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return "";
  for (const fs::path& root : {exe.parent_path().parent_path().parent_path(),
                               exe.parent_path().parent_path() / "share" / "autoscale"}) {
    fs::path p = root / rel;
    if (fs::is_regular_file(p, ec)) return p.string();
  }
  return "";
}

Status LoadConfig(const PipelineOptions& o, ScalingConfig* config) {
  std::string path = o.config_path.empty() ? FindDefaultConfig() : o.config_path;
  if (!o.config_path.empty()) {
    std::error_code ec;
    if (!fs::exists(path, ec)) return Status::Error("--config " + path + ": no such file");
  }
  if (!path.empty()) {
    Status s = LoadConfigFile(path, config);
    if (!s.ok()) return s;
  }
  for (const auto& [origin, text] : o.yaml_overrides) {
    Status s = ApplyConfigYaml(text, origin, config);
    if (!s.ok()) return s;
  }
  for (const auto& assignment : o.overrides) {
    Status s = ApplyConfigOverride(assignment, config);
    if (!s.ok()) return s;
  }
  if (!o.cost_table_path.empty()) {
    config->cost_table = o.cost_table_path;
    config->cost_rows.clear();
  }
  if (!config->cost_table.empty()) {
    auto rows = runtime::LoadCostTable(config->cost_table);
    if (!rows.ok()) return rows.status();
    config->cost_rows = std::move(*rows);
  }
  return ValidateConfig(*config);
}

Result<InputShape> ResolveShape(const PipelineOptions& o, const Profile* profile) {
  if (o.input_shape.empty()) {
    if (profile) return profile->input_shape;
    return Status::Error("--input_shape is required (N,C,H,W with -1 for dynamic dims)");
  }
  return ParseInputShape(o.input_shape);
}

// "px, call overhead 15360 px" or "ms, cost table costs.csv: 72 shapes
// measured, others fitted as 0.91 + 0.0012*n*h*w ms (largest error 6.0%)".
std::string CostModelText(const ScalingConfig& c) {
  if (c.cost_rows.empty())
    return "px, call overhead " + FormatCompact(c.cost_call_overhead) + " px";
  const runtime::CostFit fit = CostModelOf(c).fit();
  char buf[160];
  std::snprintf(buf, sizeof buf, "%.4g + %.4g*n + %.4g*n*h*w ms (largest error %.1f%%)", fit.a,
                fit.b, fit.c, 100.0 * fit.max_relative_error);
  return "ms, cost table " + c.cost_table + ": " + std::to_string(c.cost_rows.size()) +
         " shapes measured, others fitted as " + buf;
}

std::string JoinInts(const std::vector<int64_t>& v) {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::to_string(v[i]);
  return s;
}

}  // namespace

namespace {

// The saved profile of --profile, checked against the shape and config it
// will be read with.
Result<Profile> LoadSavedProfile(const PipelineOptions& o, const PipelineResult& r,
                                 Profile loaded) {
  if (loaded.input_shape != r.shape)
    return Status::Error("--profile " + o.profile_path + " was built for input shape " +
                         loaded.input_shape.ToString() + ", not " + r.shape.ToString() +
                         "; rebuild it from the dataset");
  if (r.shape.HeightDynamic() && r.shape.WidthDynamic() &&
      loaded.limit_side_len != r.config.limit_side_len)
    return Status::Error("--profile " + o.profile_path + " was built with limit_side_len " +
                         std::to_string(loaded.limit_side_len) + ", not " +
                         std::to_string(r.config.limit_side_len));
  return loaded;
}

// The dataset's profile, read and saved when --save_profile asks for it.
Result<Profile> ReadProfile(const PipelineOptions& o, const PipelineResult& r) {
  auto type = ParseDatasetType(o.dataset_type);
  if (!type.ok()) return type.status();
  ModelSpace space(r.shape, r.config.limit_side_len);
  ReadOptions ro;
  ro.threads = o.threads;
  ro.progress = o.quiet ? nullptr : o.progress;
  ro.image_root = o.image_root;
  auto samples = ParseSampleUnit(o.samples);
  if (!samples.ok()) return samples.status();
  ro.samples = *samples;
  auto p = ReadDataset(o.dataset_path, *type, space, ro);
  if (!p.ok()) return p.status();
  if (!o.save_profile_path.empty()) {
    Status saved = p->SaveFile(o.save_profile_path);
    if (!saved.ok()) return saved;
  }
  return p;
}

// The summary's note on what the samples of the dataset read are.
std::string SamplesNote(const PipelineOptions& o, const PipelineResult& r) {
  auto type = ParseDatasetType(r.profile->dataset.type);
  auto requested = ParseSampleUnit(o.samples);
  if (!type.ok() || !requested.ok()) return "";
  auto samples = DatasetSamples(*type, *requested, r.shape);
  if (!samples.ok()) return "";
  std::string note = std::string("samples: ") + SampleUnitName(*samples);
  if (*type == DatasetType::kDetLabels || *type == DatasetType::kCoco)
    note += *requested != SampleUnit::kAuto ? " (--samples)"
            : *samples == SampleUnit::kImages
                ? " (H and W dynamic: image sizes; --samples boxes for box crops)"
                : " (box crops; --samples images for image sizes)";
  return note;
}

// Fills r.shape and r.profile (none without a dataset or profile).
Status ResolveInput(const PipelineOptions& o, PipelineResult* r) {
  if (!o.dataset_path.empty() && !o.profile_path.empty())
    return Status::Error("--dataset_path and --profile both given; use one");
  std::optional<Profile> loaded;
  if (!o.profile_path.empty()) {
    auto p = Profile::LoadFile(o.profile_path);
    if (!p.ok()) return p.status();
    loaded = std::move(*p);
  }
  auto shape = ResolveShape(o, loaded ? &*loaded : nullptr);
  if (!shape.ok()) return shape.status();
  r->shape = *shape;
  if (loaded) {
    auto p = LoadSavedProfile(o, *r, std::move(*loaded));
    if (!p.ok()) return p.status();
    r->profile = std::move(*p);
  } else if (!o.dataset_path.empty()) {
    auto p = ReadProfile(o, *r);
    if (!p.ok()) return p.status();
    r->profile = std::move(*p);
    r->samples = SamplesNote(o, *r);
  } else if (!o.save_profile_path.empty()) {
    return Status::Error("--save_profile needs --dataset_path");
  }
  return Status::Ok();
}

// The same budget, every strategy, and one static shape: what each costs.
void Compare(PipelineResult* r) {
  for (const std::string& name : StrategyNames()) {
    if (name == r->strategy) {
      r->comparison.Add(name, *r->evaluation, r->gears);
      continue;
    }
    auto other = ComputeGears(*r->profile, r->shape, r->config, name);
    if (!other.ok()) {
      r->comparison.AddError(name, other.message());
      continue;
    }
    r->comparison.Add(name, Evaluate(*r->profile, *other, r->shape, r->config), *other);
  }
  GearSet fixed = StaticGearSet(*r->profile, r->gears, r->shape, r->config);
  r->comparison.Add("static", Evaluate(*r->profile, fixed, r->shape, r->config), fixed);
}

}  // namespace

Status CheckPipelineOptions(const PipelineOptions& o) {
  ScalingConfig config;
  Status s = LoadConfig(o, &config);
  if (!s.ok()) return s;
  if (!o.dataset_path.empty() && !o.profile_path.empty())
    return Status::Error("--dataset_path and --profile both given; use one");
  if (!o.input_shape.empty() || o.profile_path.empty()) {
    auto shape = ResolveShape(o, nullptr);
    if (!shape.ok()) return shape.status();
  }
  if (!o.dataset_path.empty()) {
    auto type = ParseDatasetType(o.dataset_type);
    if (!type.ok()) return type.status();
    auto samples = ParseSampleUnit(o.samples);
    if (!samples.ok()) return samples.status();
  }
  if (o.dataset_path.empty() && o.profile_path.empty() && !o.save_profile_path.empty())
    return Status::Error("--save_profile needs --dataset_path");
  return Status::Ok();
}

Result<PipelineResult> RunPipeline(const PipelineOptions& o) {
  PipelineResult r;
  Status s = LoadConfig(o, &r.config);
  if (!s.ok()) return s;
  s = ResolveInput(o, &r);
  if (!s.ok()) return s;

  if (r.shape.IsStatic()) {
    r.strategy = "static";
    return r;
  }
  if (!r.profile) {
    r.strategy = "default_scaling";
    auto g = DefaultGears(r.shape, r.config);
    if (!g.ok()) return g.status();
    r.gears = std::move(*g);
    return r;
  }
  if (r.profile->SampleCount() == 0)
    return Status::Error(r.profile->dataset.path + ": no usable sample in the dataset");

  r.strategy = r.config.strategy;
  auto g = ComputeGears(*r.profile, r.shape, r.config, r.strategy);
  if (!g.ok()) return g.status();
  r.gears = std::move(*g);
  r.evaluation = Evaluate(*r.profile, r.gears, r.shape, r.config);
  Compare(&r);
  if (!o.json_path.empty() || !o.report_path.empty())
    r.cost_curve = OptimalCostCurve(*r.profile, r.shape, r.config, r.gears.batch);
  return r;
}

nlohmann::json PipelineResult::ToJson() const {
  nlohmann::json j;
  if (profile) {
    nlohmann::json p = profile->ToJson();
    j["dataset"] = p["dataset"];
    j["profile"] = p;
  } else {
    j["dataset"] = nullptr;
    j["profile"] = nullptr;
  }
  j["input_shape"] = shape.ToString();
  j["strategy"] = strategy;
  nlohmann::json gj = gears.ToJson();
  j["gears"] = gj;
  j["evaluation"] = evaluation ? evaluation->ToJson() : nlohmann::json(nullptr);
  j["comparison"] = comparison.ToJson();
  nlohmann::json curve = nlohmann::json::array();
  for (const auto& [k, cost] : cost_curve) curve.push_back({{"gears", k}, {"cost", cost}});
  j["cost_curve"] = curve;
  // What every cost above is priced with; a table's fit and its error too.
  j["cost_model"] = CostModelOf(config).ToJson();
  if (!config.cost_table.empty()) j["cost_model"]["table"] = config.cost_table;
  return j;
}

namespace {

void DatasetLines(const Profile* profile, std::ostream& out) {
  if (!profile) {
    out << "no dataset: gears from default_scaling\n";
    return;
  }
  const DatasetInfo& d = profile->dataset;
  out << "dataset " << d.path << " (" << d.type << "): " << d.images << " images";
  if (d.type != "images") out << ", " << d.boxes << " boxes";
  out << ", " << profile->SampleCount() << " samples\n";
  const SkipCounts& s = d.skipped;
  if (!s.Total()) return;
  out << "skipped:";
  if (s.non_image) out << " " << s.non_image << " non-image files";
  if (s.corrupt) out << " " << s.corrupt << " corrupt images";
  if (s.degenerate_box) out << " " << s.degenerate_box << " degenerate boxes";
  if (s.bad_line) out << " " << s.bad_line << " bad lines";
  if (s.missing_file) out << " " << s.missing_file << " missing files";
  out << "\n";
  for (const auto& w : d.warnings) out << "  " << w.where << ": " << w.message << "\n";
  if (d.warnings_total > d.warnings.size())
    out << "  ... and " << d.warnings_total - d.warnings.size() << " more\n";
}

void HwList(const std::vector<HwGear>& list, std::ostream& out) {
  for (size_t i = 0; i < list.size(); ++i)
    out << (i % 8 ? " " : "\n    ") << list[i].first << "x" << list[i].second;
  out << "\n";
}

void GearLines(const GearSet& gears, const InputShape& shape, std::ostream& out) {
  out << "gears:\n";
  if (!gears.batch.empty())
    out << "  batch_size (" << gears.batch.size() << "): " << JoinInts(gears.batch) << "\n";
  if (shape.HeightDynamic())
    out << "  height (" << gears.height.size() << "): " << JoinInts(gears.height) << "\n";
  if (shape.WidthDynamic())
    out << "  width (" << gears.width.size() << "): " << JoinInts(gears.width) << "\n";
  if (shape.HeightDynamic() && shape.WidthDynamic()) {
    out << "  hw pairs (" << gears.hw.size() << "):";
    HwList(gears.hw, out);
  }
  for (const auto& [b, list] : gears.hw_per_batch) {
    out << "  batch " << b << " model (" << list.size() << "):";
    HwList(list, out);
  }
}

void CostLines(const CostEvaluation& c, const ScalingConfig& config, const char* per,
               std::ostream& out) {
  out << "cost on the dataset (" << CostModelText(config) << "):\n"
      << "  total " << FormatCompact(c.total) << " " << c.unit << " in " << c.calls << " calls, "
      << FormatCompact(c.per_image) << " " << c.unit << " per image, " << FormatCompact(c.per_box)
      << " " << c.unit << " per " << per << "\n"
      << "  padding " << FormatPercent(c.padding) << ", coverage " << FormatPercent(c.coverage)
      << " (" << c.shrunk << " shrunk), saving vs one static shape "
      << FormatPercent(c.saving_vs_static) << "\n";
}

void ComparisonLines(const Comparison& comparison, const std::string& chosen, std::ostream& out) {
  if (comparison.empty()) return;
  out << "comparison at the same budget (cost, calls, padding, coverage, saving vs static):\n";
  for (const ComparisonEntry& entry : comparison.entries) {
    std::string label = entry.name + (entry.name == chosen ? " (chosen)" : "");
    out << "  " << label << std::string(label.size() < 18 ? 18 - label.size() : 1, ' ');
    if (!entry.error.empty()) {
      out << entry.error << "\n";
      continue;
    }
    const CostEvaluation& c = entry.evaluation.cost;
    out << FormatCompact(c.total) << " " << c.unit << ", " << c.calls << " calls, "
        << FormatPercent(c.padding) << ", " << FormatPercent(c.coverage) << ", "
        << FormatPercent(c.saving_vs_static) << "\n";
  }
}

}  // namespace

std::string PipelineResult::Summary() const {
  std::ostringstream out;
  out << "input shape " << shape.ToString();
  if (shape.IsStatic()) {
    out << " is static: no gears needed\n";
    return out.str();
  }
  out << ", strategy " << strategy << "\n";
  DatasetLines(profile ? &*profile : nullptr, out);
  if (!samples.empty()) out << samples << "\n";
  GearLines(gears, shape, out);
  if (evaluation)
    CostLines(evaluation->cost, config, profile && profile->HasBatchInfo() ? "box" : "sample", out);
  ComparisonLines(comparison, strategy, out);
  return out.str();
}

Status WritePipelineOutputs(const PipelineOptions& o, const PipelineResult& r,
                            const nlohmann::json& json) {
  if (!o.json_path.empty()) {
    Status s = WriteFileAtomic(o.json_path, JsonText(json, 2) + "\n");
    if (!s.ok()) return s;
  }
  if (!o.cost_plan_path.empty()) {
    const auto shapes = CostPlanShapes(r.profile ? &*r.profile : nullptr, r.shape, r.config);
    Status s = WriteFileAtomic(o.cost_plan_path, runtime::CostPlanCsv(shapes));
    if (!s.ok()) return s;
  }
  if (!o.report_path.empty()) {
    ReportInput in;
    in.title = r.profile ? r.profile->dataset.path : std::string("default_scaling");
    in.shape = r.shape;
    in.config = r.config;
    in.profile = r.profile ? &*r.profile : nullptr;
    in.strategy = r.strategy;
    in.gears = r.gears;
    in.evaluation = r.evaluation;
    in.comparison = r.comparison;
    for (const auto& [k, cost] : r.cost_curve) in.cost_curve.push_back({k, cost});
    Status s = WriteFileAtomic(o.report_path, RenderReportHtml(in));
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace autoscale
