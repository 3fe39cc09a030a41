// The statistics pipeline shared by `stats`, `convert` and `run`: config,
// input shape, dataset or saved profile, strategy, evaluation, comparison.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "common/progress.h"
#include "common/status.h"
#include "stats/evaluation/comparison.h"
#include "stats/evaluation/evaluation.h"
#include "stats/evaluation/shrink.h"
#include "stats/core/gear_set.h"
#include "stats/core/input_shape.h"
#include "stats/core/profile.h"
#include "stats/core/scaling_config.h"

namespace autoscale {

struct PipelineOptions {
  // --input_shape N,C,H,W; may be empty with --profile (the profile's shape).
  std::string input_shape;
  // --dataset_path / --data_path: an image folder, det label file or ICDAR
  // gt folder. Empty: default_scaling is used.
  std::string dataset_path;
  // --dataset_type auto|images|det_labels|icdar|rec_labels|lmdb|coco|tar.
  // Default auto.
  std::string dataset_type = "auto";
  // --image_root: the folder relative image paths of a label file are taken
  // from. Default empty: the label file's folder.
  std::string image_root;
  // --samples auto|images|boxes: what an annotated dataset (det labels, COCO)
  // gives as samples. Default auto: images for an input with H and W
  // dynamic, boxes otherwise.
  std::string samples = "auto";
  // --profile FILE: a saved profile instead of a dataset.
  std::string profile_path;
  // --save_profile FILE: write the profile read from the dataset (with
  // several sources, their merged profile).
  std::string save_profile_path;
  // Further --dataset_path and --profile values, after the first of each:
  // both options repeat and mix. Every dataset is read, every profile
  // loaded, and all merge into one profile (same input shape and, with H and
  // W dynamic, limit_side_len). Default none.
  std::vector<std::string> more_dataset_paths;
  std::vector<std::string> more_profile_paths;
  // --gears FILE: judge this gear set (gears.json, scaling_data.json or a
  // list; see gears_file.h) instead of choosing one. Needs a source.
  std::string gears_path;
  // --holdout P: choose the gears on a random share 1 - P of the images and
  // judge them on the rest (0 < P < 1). Default 0: no holdout.
  double holdout = 0;
  // --seed N: the seed of the --holdout split. Default 1.
  int64_t seed = 1;
  // --config FILE; empty: configs/auto_scaling.yaml if found, else built-in
  // defaults (the same values).
  std::string config_path;
  // --set key=value, applied in order after the config file.
  std::vector<std::string> overrides;
  // --json FILE: the machine-readable result.
  std::string json_path;
  // --report FILE.html: the HTML report.
  std::string report_path;
  // --cost_table FILE: the same as --set cost.table=FILE, applied last.
  std::string cost_table_path;
  // --cost_plan FILE: write the shapes worth measuring for a cost table.
  std::string cost_plan_path;
  // --quiet: no summary, no progress.
  bool quiet = false;
  // Where the dataset readers report their progress (unless quiet); the
  // command line gives a TerminalProgress. Default none.
  ProgressSink* progress = nullptr;
  // --threads N: reader threads; 0 = one per core.
  int threads = 0;
  // Config overrides from a jobs file, applied after the config file and
  // before `overrides`: each a YAML mapping node (read only) and the file it
  // comes from.
  std::vector<std::pair<std::string, YAML::Node>> yaml_overrides;
};

// One --dataset_path or --profile of a run and what it holds.
struct SourceInfo {
  std::string kind;     // "dataset" or "profile"
  std::string path;     // as given
  DatasetInfo dataset;  // its type, images, boxes, skip counts
  uint64_t samples = 0;
};

// --holdout: what the gears were chosen on, and how they do there.
struct HoldoutResult {
  double fraction = 0;
  int64_t seed = 0;
  uint64_t kept_images = 0, kept_samples = 0;  // the part the gears were chosen on
  uint64_t held_images = 0, held_samples = 0;  // the part they are judged on
  Evaluation kept;                             // the gears on the part they were chosen on
  Profile judged;                              // the held-out part `evaluation` is on
};

struct PipelineResult {
  ScalingConfig config;
  InputShape shape;
  std::optional<Profile> profile;  // absent without a dataset
  // What the dataset's samples are ("images" or "boxes", and why), for the
  // summary; empty without a dataset read.
  std::string samples;
  // The strategy used: the config's, or "default_scaling" without a dataset,
  // or "static".
  std::string strategy;
  GearSet gears;
  std::optional<Evaluation> evaluation;  // with a profile
  // Every --dataset_path then every --profile, in the order given.
  std::vector<SourceInfo> sources;
  // --gears: the file and its layout ("gears.json", ...); strategy is then
  // "gears_file".
  std::string gears_path, gears_format;
  // The samples the gears do not hold, of the profile `evaluation` ran on.
  std::optional<ShrinkEvaluation> shrink;
  // --holdout: `evaluation` and `comparison` are then on the held-out part.
  std::optional<HoldoutResult> holdout;
  // Per strategy (and "static"): the evaluation of its gears, same budget.
  Comparison comparison;
  // (k, cost): the least predicted cost with at most k (h, w) gears per
  // model on the chosen batch gears (OptimalCostCurve); computed only when a
  // JSON or a report is written.
  std::vector<std::pair<int64_t, double>> cost_curve;
  // Samples no allowed gear holds (SamplesBeyondGearBounds): every strategy
  // shrinks them, so their costs and savings are not real. 0 without a profile.
  uint64_t samples_beyond_gears = 0;
  // What the figures above cannot be trusted for, one sentence each.
  std::vector<std::string> warnings;

  // The stats JSON documented in README.md.
  nlohmann::json ToJson() const;
  // The readable summary.
  std::string Summary() const;
};

// What is wrong with the options themselves, before any input is read: the
// config (files, --set, the cost table), --dataset_type, --input_shape and
// which options go together. RunPipeline fails with the same message.
Status CheckPipelineOptions(const PipelineOptions& options);

Result<PipelineResult> RunPipeline(const PipelineOptions& options);

// Every --dataset_path (dataset_path, then more_dataset_paths) and every
// --profile, as given.
std::vector<std::string> DatasetPaths(const PipelineOptions& options);
std::vector<std::string> ProfilePaths(const PipelineOptions& options);

struct ReportConversion;  // stats/report/report_html.h

// Writes --json and --report if asked for; the report shows `conversion`
// when given (convert).
Status WritePipelineOutputs(const PipelineOptions& options, const PipelineResult& result,
                            const nlohmann::json& json,
                            const ReportConversion* conversion = nullptr);

}  // namespace autoscale
