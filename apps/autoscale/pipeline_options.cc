#include "autoscale/pipeline_options.h"

#include "common/names.h"
#include "stats/readers/dataset_reader.h"

namespace autoscale {

void AddPipelineOptions(CLI::App* cmd, PipelineOptions* o) {
  cmd->add_option("--input_shape,--input-shape", o->input_shape,
                  "model input N,C,H,W; -1 marks a dynamic dim (e.g. -1,3,48,-1)");
  cmd->add_option("--dataset_path,--dataset-path,--data_path,--data-path", o->dataset_path,
                  "image folder, det label file or ICDAR gt folder");
  cmd->add_option("--dataset_type,--dataset-type", o->dataset_type,
                  JoinNames(DatasetTypeNames(), "|") + " (default auto)");
  cmd->add_option("--profile", o->profile_path, "a saved profile instead of --dataset_path");
  cmd->add_option("--save_profile,--save-profile", o->save_profile_path,
                  "write the dataset's profile (JSON) to this file");
  cmd->add_option("--config", o->config_path,
                  "config file (default configs/auto_scaling.yaml)");
  cmd->add_option("--set", o->overrides, "override a config key: key=value (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--cost_table,--cost-table", o->cost_table_path,
                  "CSV of measured call costs (batch,height,width,ms): costs in ms "
                  "(same as --set cost.table=FILE)");
  cmd->add_option("--cost_plan,--cost-plan", o->cost_plan_path,
                  "write the call shapes worth measuring for a cost table (CSV) to this file");
  cmd->add_option("--json", o->json_path, "write the result as JSON to this file");
  cmd->add_option("--report", o->report_path, "write an HTML report to this file");
  cmd->add_option("--threads", o->threads, "reader threads (default: one per core)")
      ->check(CLI::Range(0, 1024));
  cmd->add_flag("--quiet,-q", o->quiet, "print nothing but errors");
}

}  // namespace autoscale
