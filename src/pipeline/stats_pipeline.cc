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
#include "stats/core/profile_merge.h"
#include "stats/core/profile_split.h"
#include "pipeline/gears_file.h"
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
  return "ms, cost table " + PrintableText(c.cost_table) + ": " +
         std::to_string(c.cost_rows.size()) + " shapes measured, others fitted as " + buf;
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
Result<Profile> LoadSavedProfile(const std::string& path, const PipelineResult& r, Profile loaded) {
  if (loaded.input_shape != r.shape)
    return Status::Error("--profile " + path + " was built for input shape " +
                         loaded.input_shape.ToString() + ", not " + r.shape.ToString() +
                         "; rebuild it from the dataset");
  if (r.shape.HeightDynamic() && r.shape.WidthDynamic() &&
      loaded.limit_side_len != r.config.limit_side_len)
    return Status::Error("--profile " + path + " was built with limit_side_len " +
                         std::to_string(loaded.limit_side_len) + ", not " +
                         std::to_string(r.config.limit_side_len));
  return loaded;
}

// The profile of the dataset at `path`.
Result<Profile> ReadProfile(const PipelineOptions& o, const PipelineResult& r,
                            const std::string& path) {
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
  return ReadDataset(path, *type, space, ro);
}

SourceInfo SourceOf(const std::string& kind, const std::string& path, const Profile& p) {
  return {kind, path, p.dataset, p.SampleCount()};
}

// The summary's note on what the samples of a dataset of `dataset_type` are.
std::string SamplesNote(const PipelineOptions& o, const InputShape& shape,
                        const std::string& dataset_type) {
  auto type = ParseDatasetType(dataset_type);
  auto requested = ParseSampleUnit(o.samples);
  if (!type.ok() || !requested.ok()) return "";
  auto samples = DatasetSamples(*type, *requested, shape);
  if (!samples.ok()) return "";
  std::string note = std::string("samples: ") + SampleUnitName(*samples);
  if (*type == DatasetType::kDetLabels || *type == DatasetType::kCoco)
    note += *requested != SampleUnit::kAuto ? " (--samples)"
            : *samples == SampleUnit::kImages
                ? " (H and W dynamic: image sizes; --samples boxes for box crops)"
                : " (box crops; --samples images for image sizes)";
  return note;
}

// Fills r.shape, r.sources, r.samples and r.profile (none without a dataset
// or profile): every source read or loaded, merged, and saved when
// --save_profile asks for it.
Status ResolveInput(const PipelineOptions& o, PipelineResult* r) {
  std::vector<NamedProfile> parts;
  for (const std::string& path : ProfilePaths(o)) {
    auto p = Profile::LoadFile(path);
    if (!p.ok()) return p.status();
    parts.push_back({path, std::move(*p)});
  }
  auto shape = ResolveShape(o, parts.empty() ? nullptr : &parts.front().profile);
  if (!shape.ok()) return shape.status();
  r->shape = *shape;
  for (NamedProfile& part : parts) {
    auto p = LoadSavedProfile(part.where, *r, std::move(part.profile));
    if (!p.ok()) return p.status();
    part.profile = std::move(*p);
  }
  std::vector<NamedProfile> read;
  for (const std::string& path : DatasetPaths(o)) {
    auto p = ReadProfile(o, *r, path);
    if (!p.ok()) return p.status();
    read.push_back({path, std::move(*p)});
  }
  if (!read.empty()) r->samples = SamplesNote(o, r->shape, read.front().profile.dataset.type);
  parts.insert(parts.begin(), std::make_move_iterator(read.begin()),
               std::make_move_iterator(read.end()));
  if (parts.empty()) {
    if (!o.save_profile_path.empty()) return Status::Error("--save_profile needs --dataset_path");
    return Status::Ok();
  }
  for (size_t i = 0; i < parts.size(); ++i)
    r->sources.push_back(
        SourceOf(i < read.size() ? "dataset" : "profile", parts[i].where, parts[i].profile));
  auto merged = MergeProfiles(parts);
  if (!merged.ok()) return merged.status();
  if (!o.save_profile_path.empty()) {
    Status saved = merged->SaveFile(o.save_profile_path);
    if (!saved.ok()) return saved;
  }
  r->profile = std::move(*merged);
  return Status::Ok();
}

// The same budget, every strategy, and one static shape: what each costs.
// Gears are chosen on `chosen_on` and judged on `judged_on`; given gears
// (--gears) come first.
void Compare(const Profile& chosen_on, const Profile& judged_on, PipelineResult* r) {
  const std::vector<std::string> names = StrategyNames();
  if (std::find(names.begin(), names.end(), r->strategy) == names.end())
    r->comparison.Add(r->strategy, *r->evaluation, r->gears);
  for (const std::string& name : names) {
    if (name == r->strategy) {
      r->comparison.Add(name, *r->evaluation, r->gears);
      continue;
    }
    auto other = ComputeGears(chosen_on, r->shape, r->config, name);
    if (!other.ok()) {
      r->comparison.AddError(name, other.message());
      continue;
    }
    r->comparison.Add(name, Evaluate(judged_on, *other, r->shape, r->config), *other);
  }
  // The static shape every saving is measured against: the judged part's.
  GearSet fixed = StaticGearSet(judged_on, r->gears, r->shape, r->config);
  r->comparison.Add("static", Evaluate(judged_on, fixed, r->shape, r->config), fixed);
}

}  // namespace

std::vector<std::string> DatasetPaths(const PipelineOptions& o) {
  std::vector<std::string> paths;
  if (!o.dataset_path.empty()) paths.push_back(o.dataset_path);
  paths.insert(paths.end(), o.more_dataset_paths.begin(), o.more_dataset_paths.end());
  return paths;
}

std::vector<std::string> ProfilePaths(const PipelineOptions& o) {
  std::vector<std::string> paths;
  if (!o.profile_path.empty()) paths.push_back(o.profile_path);
  paths.insert(paths.end(), o.more_profile_paths.begin(), o.more_profile_paths.end());
  return paths;
}

Status CheckPipelineOptions(const PipelineOptions& o) {
  ScalingConfig config;
  Status s = LoadConfig(o, &config);
  if (!s.ok()) return s;
  const bool datasets = !DatasetPaths(o).empty(), profiles = !ProfilePaths(o).empty();
  if (!o.input_shape.empty() || !profiles) {
    auto shape = ResolveShape(o, nullptr);
    if (!shape.ok()) return shape.status();
  }
  if (datasets) {
    auto type = ParseDatasetType(o.dataset_type);
    if (!type.ok()) return type.status();
    auto samples = ParseSampleUnit(o.samples);
    if (!samples.ok()) return samples.status();
  }
  if (!datasets && !profiles && !o.save_profile_path.empty())
    return Status::Error("--save_profile needs --dataset_path");
  if (!(o.holdout >= 0 && o.holdout < 1))
    return Status::Error("--holdout must be a fraction from 0 to 1 (e.g. 0.2), got " +
                         FormatCompact(o.holdout));
  if (!o.gears_path.empty() && !datasets && !profiles)
    return Status::Error("--gears needs --dataset_path or --profile to judge the gears on");
  if (o.holdout > 0 && !datasets && !profiles)
    return Status::Error("--holdout needs --dataset_path or --profile");
  if (o.holdout > 0 && !o.gears_path.empty())
    return Status::Error(
        "--holdout chooses gears on part of the data; --gears gives them: use one");
  // A profile is read like a config: one that is malformed or tampered with
  // is a usage error, refused before anything runs.
  for (const std::string& path : ProfilePaths(o)) {
    auto loaded = Profile::LoadFile(path);
    if (!loaded.ok()) return Status::Error("--profile " + loaded.message());
  }
  return Status::Ok();
}

namespace {

// The gears of --gears, or of the strategy on `chosen_on`.
Status ChooseGears(const PipelineOptions& o, const Profile& chosen_on, PipelineResult* r) {
  if (!o.gears_path.empty()) {
    auto given =
        LoadGearsFile(o.gears_path, r->shape, r->config.limit_side_len, CostModelOf(r->config));
    if (!given.ok()) return given.status();
    r->strategy = "gears_file";
    r->gears_path = o.gears_path;
    r->gears_format = given->format;
    r->gears = std::move(given->gears);
    return Status::Ok();
  }
  r->strategy = r->config.strategy;
  auto g = ComputeGears(chosen_on, r->shape, r->config, r->strategy);
  if (!g.ok()) return g.status();
  r->gears = std::move(*g);
  return Status::Ok();
}

}  // namespace

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

  std::optional<ProfileSplit> split;
  if (o.holdout > 0) {
    split = SplitProfile(*r.profile, o.holdout, static_cast<uint64_t>(o.seed));
    if (split->kept.SampleCount() == 0 || split->holdout.SampleCount() == 0)
      return Status::Error("--holdout " + FormatCompact(o.holdout) + " leaves " +
                           (split->kept.SampleCount() == 0 ? "nothing to choose gears on"
                                                           : "nothing to judge them on") +
                           " (" + std::to_string(r.profile->dataset.images) +
                           " images); use another fraction or more data");
  }
  const Profile& chosen_on = split ? split->kept : *r.profile;
  const Profile& judged_on = split ? split->holdout : *r.profile;
  s = ChooseGears(o, chosen_on, &r);
  if (!s.ok()) return s;
  r.evaluation = Evaluate(judged_on, r.gears, r.shape, r.config);
  r.shrink = EvaluateShrink(judged_on, r.gears, r.shape);
  if (split) {
    HoldoutResult h;
    h.fraction = o.holdout;
    h.seed = o.seed;
    h.kept_images = split->kept.dataset.images;
    h.kept_samples = split->kept.SampleCount();
    h.held_images = split->holdout.dataset.images;
    h.held_samples = split->holdout.SampleCount();
    h.kept = Evaluate(split->kept, r.gears, r.shape, r.config);
    h.judged = split->holdout;
    r.holdout = std::move(h);
  }
  Compare(chosen_on, judged_on, &r);
  r.samples_beyond_gears = SamplesBeyondGearBounds(judged_on, r.shape, r.config);
  if (r.samples_beyond_gears > 0)
    r.warnings.push_back(
        std::to_string(r.samples_beyond_gears) + " of " + std::to_string(judged_on.SampleCount()) +
        " samples are larger in model space (input shape " + r.shape.ToString() +
        ") than any gear width_range / height_range / limit_side_len allow: "
        "they are shrunk to the largest gear, so coverage, padding and cost count them shrunk and "
        "no saving vs the static shape (which holds them) is claimed");
  if (!o.json_path.empty() || !o.report_path.empty())
    r.cost_curve = OptimalCostCurve(*r.profile, r.shape, r.config, r.gears.batch);
  return r;
}

namespace {

nlohmann::json SourcesJson(const std::vector<SourceInfo>& sources) {
  nlohmann::json list = nlohmann::json::array();
  for (const SourceInfo& source : sources) {
    const SkipCounts& s = source.dataset.skipped;
    list.push_back({{"kind", source.kind},
                    {"path", source.path},
                    {"type", source.dataset.type},
                    {"images", source.dataset.images},
                    {"boxes", source.dataset.boxes},
                    {"samples", source.samples},
                    {"skipped",
                     {{"non_image", s.non_image},
                      {"corrupt", s.corrupt},
                      {"degenerate_box", s.degenerate_box},
                      {"bad_line", s.bad_line},
                      {"missing_file", s.missing_file}}}});
  }
  return list;
}

nlohmann::json HoldoutJson(const HoldoutResult& h) {
  return {{"fraction", h.fraction},
          {"seed", h.seed},
          {"chosen_on", {{"images", h.kept_images}, {"samples", h.kept_samples}}},
          {"judged_on", {{"images", h.held_images}, {"samples", h.held_samples}}},
          {"chosen_on_evaluation", h.kept.ToJson()}};
}

}  // namespace

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
  j["sources"] = SourcesJson(sources);
  j["shrink"] = shrink ? shrink->ToJson() : nlohmann::json(nullptr);
  j["gears_file"] = gears_path.empty()
                        ? nlohmann::json(nullptr)
                        : nlohmann::json{{"path", gears_path}, {"format", gears_format}};
  j["holdout"] = holdout ? HoldoutJson(*holdout) : nlohmann::json(nullptr);
  j["samples_beyond_gears"] = samples_beyond_gears;
  j["warnings"] = warnings;
  // Samples no gear holds are shrunk while the static shape holds them: no
  // saving vs static is claimed (null), as in the summary and the report.
  if (samples_beyond_gears > 0) {
    if (j["evaluation"].is_object()) j["evaluation"]["cost"]["saving_vs_static"] = nullptr;
    for (auto& [name, row] : j["comparison"].items())
      if (row.is_object() && row.contains("cost")) row["cost"]["saving_vs_static"] = nullptr;
  }
  return j;
}

namespace {

void DatasetLines(const Profile* profile, std::ostream& out) {
  if (!profile) {
    out << "no dataset: gears from default_scaling\n";
    return;
  }
  const DatasetInfo& d = profile->dataset;
  out << "dataset " << PrintableText(d.path) << " (" << d.type << "): " << d.images << " images";
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
  if (s.broken_link) out << " " << s.broken_link << " broken links";
  if (s.link_loop) out << " " << s.link_loop << " looping links";
  if (s.path_too_long) out << " " << s.path_too_long << " paths too long";
  out << "\n";
  for (const auto& w : d.warnings)
    out << "  " << PrintableText(w.where) << ": " << PrintableText(w.message) << "\n";
  if (d.warnings_total > d.warnings.size())
    out << "  ... and " << d.warnings_total - d.warnings.size() << " more\n";
}

// With several sources: how many, and each one's counts.
void SourceLines(const std::vector<SourceInfo>& sources, std::ostream& out) {
  if (sources.size() < 2) return;
  out << sources.size() << " sources merged:\n";
  for (const SourceInfo& s : sources) {
    out << "  " << s.kind << " " << s.path << " (" << s.dataset.type << "): " << s.dataset.images
        << " images";
    if (s.dataset.type != "images") out << ", " << s.dataset.boxes << " boxes";
    out << ", " << s.samples << " samples";
    if (s.dataset.skipped.Total()) out << ", " << s.dataset.skipped.Total() << " skipped";
    out << "\n";
  }
}

void ShrinkLines(const ShrinkEvaluation& e, std::ostream& out) {
  if (e.shrunk == 0) return;
  out << "not held by any gear: " << e.shrunk << " of " << e.samples << " samples ("
      << FormatPercent(e.share) << "), shrunk to " << FormatPercent(e.mean_scale)
      << " of their side on average, " << FormatPercent(e.min_scale) << " at worst:";
  for (const ShrunkSize& s : e.worst)
    out << " " << s.h << "x" << s.w << (s.count > 1 ? " (x" + std::to_string(s.count) + ")" : "");
  out << "\n";
}

void HoldoutLines(const HoldoutResult& h, const Evaluation& judged, std::ostream& out) {
  const CostEvaluation& k = h.kept.cost;
  const CostEvaluation& j = judged.cost;
  out << "holdout " << FormatPercent(h.fraction) << " (seed " << h.seed << "): gears chosen on "
      << h.kept_images << " images (" << h.kept_samples << " samples), judged on " << h.held_images
      << " images (" << h.held_samples << " samples)\n"
      << "  chosen on: coverage " << FormatPercent(k.coverage) << ", padding "
      << FormatPercent(k.padding) << ", " << FormatCompact(k.per_box) << " " << k.unit
      << " per sample\n"
      << "  judged on: coverage " << FormatPercent(j.coverage) << ", padding "
      << FormatPercent(j.padding) << ", " << FormatCompact(j.per_box) << " " << j.unit
      << " per sample (the cost and comparison below are on this part)\n";
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

// A saving vs the static shape, or "n/a" when samples no gear holds make it
// a comparison of shrunk against whole samples.
std::string SavingText(double saving, bool comparable) {
  return comparable ? FormatPercent(saving) : std::string("n/a");
}

void CostLines(const CostEvaluation& c, const ScalingConfig& config, const char* per,
               bool comparable, std::ostream& out) {
  out << "cost on the dataset (" << CostModelText(config) << "):\n"
      << "  total " << FormatCompact(c.total) << " " << c.unit << " in " << c.calls << " calls, "
      << FormatCompact(c.per_image) << " " << c.unit << " per image, " << FormatCompact(c.per_box)
      << " " << c.unit << " per " << per << "\n"
      << "  padding " << FormatPercent(c.padding) << ", coverage " << FormatPercent(c.coverage)
      << " (" << c.shrunk << " shrunk), saving vs one static shape "
      << SavingText(c.saving_vs_static, comparable) << "\n";
}

void ComparisonLines(const Comparison& comparison, const std::string& chosen, bool comparable,
                     std::ostream& out) {
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
        << SavingText(c.saving_vs_static, comparable) << "\n";
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
  out << ", strategy " << strategy;
  if (!gears_path.empty()) out << " (" << gears_format << " " << gears_path << ")";
  out << "\n";
  DatasetLines(profile ? &*profile : nullptr, out);
  SourceLines(sources, out);
  if (!samples.empty()) out << samples << "\n";
  GearLines(gears, shape, out);
  const bool comparable = samples_beyond_gears == 0;
  if (holdout && evaluation) HoldoutLines(*holdout, *evaluation, out);
  if (evaluation)
    CostLines(evaluation->cost, config, profile && profile->HasBatchInfo() ? "box" : "sample",
              comparable, out);
  if (shrink) ShrinkLines(*shrink, out);
  ComparisonLines(comparison, strategy, comparable, out);
  for (const std::string& w : warnings) out << "warning: " << w << "\n";
  return out.str();
}

Status WritePipelineOutputs(const PipelineOptions& o, const PipelineResult& r,
                            const nlohmann::json& json, const ReportConversion* conversion) {
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
    if (!r.gears_path.empty()) in.title = r.gears_path + " on " + in.title;
    in.shape = r.shape;
    in.config = r.config;
    in.profile = r.profile ? &*r.profile : nullptr;
    // With --holdout the evaluation is on the held-out part: so is the report.
    if (r.holdout) {
      in.title += " (held-out " + FormatPercent(r.holdout->fraction) + ", seed " +
                  std::to_string(r.holdout->seed) + ")";
      in.profile = &r.holdout->judged;
    }
    in.strategy = r.strategy;
    in.gears = r.gears;
    in.evaluation = r.evaluation;
    in.comparison = r.comparison;
    for (const auto& [k, cost] : r.cost_curve) in.cost_curve.push_back({k, cost});
    in.warnings = r.warnings;
    in.savings_comparable = r.samples_beyond_gears == 0;
    if (conversion != nullptr) in.conversion = *conversion;
    Status s = WriteFileAtomic(o.report_path, RenderReportHtml(in));
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace autoscale
