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
  // --save_profile FILE: write the profile read from the dataset.
  std::string save_profile_path;
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
  // Per strategy (and "static"): the evaluation of its gears, same budget.
  Comparison comparison;
  // (k, cost): the least predicted cost with at most k (h, w) gears per
  // model on the chosen batch gears (OptimalCostCurve); computed only when a
  // JSON or a report is written.
  std::vector<std::pair<int64_t, double>> cost_curve;

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

// Writes --json and --report if asked for.
Status WritePipelineOutputs(const PipelineOptions& options, const PipelineResult& result,
                            const nlohmann::json& json);

}  // namespace autoscale
