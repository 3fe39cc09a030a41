#include "autoscale/pipeline_options.h"

#include "pipeline/job_options.h"

namespace autoscale {

void AddPipelineOptions(CLI::App* cmd, PipelineOptions* o) {
  // The options a jobs file has too: names and help from its schema.
  const auto option = [cmd](const char* name, auto* field) {
    return cmd->add_option(JobOptionFlags(name), *field, JobOptionHelp(name));
  };
  option("input_shape", &o->input_shape);
  option("dataset_path", &o->dataset_path);
  option("dataset_type", &o->dataset_type);
  option("image_root", &o->image_root);
  option("samples", &o->samples);
  option("profile", &o->profile_path);
  option("save_profile", &o->save_profile_path);
  option("config", &o->config_path);
  cmd->add_option("--set", o->overrides, "override a config key: key=value (repeatable)")
      ->allow_extra_args(false);
  option("cost_table", &o->cost_table_path);
  option("cost_plan", &o->cost_plan_path);
  option("json", &o->json_path);
  option("report", &o->report_path);
  option("threads", &o->threads)->check(CLI::Range(0, 1024));
  cmd->add_flag("--quiet,-q", o->quiet, "print nothing but errors");
}

}  // namespace autoscale
