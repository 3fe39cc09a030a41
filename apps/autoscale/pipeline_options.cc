#include "autoscale/pipeline_options.h"

#include "pipeline/job_options.h"

namespace autoscale {

void AddPipelineOptions(CLI::App* cmd, PipelineOptions* o) {
  // The options a jobs file has too: names and help from its schema.
  const auto option = [cmd](const char* name, auto* field) {
    return cmd->add_option(JobOptionFlags(name), *field, JobOptionHelp(name));
  };
  option("input_shape", &o->input_shape);
  // Repeatable: the first value, then the others.
  const auto repeatable = [cmd](const char* name, std::string* first,
                                std::vector<std::string>* more) {
    return cmd
        ->add_option_function<std::vector<std::string>>(
            JobOptionFlags(name),
            [first, more](const std::vector<std::string>& values) {
              *first = values.front();
              more->assign(values.begin() + 1, values.end());
            },
            JobOptionHelp(name))
        ->allow_extra_args(false);
  };
  repeatable("dataset_path", &o->dataset_path, &o->more_dataset_paths);
  option("dataset_type", &o->dataset_type);
  option("image_root", &o->image_root);
  option("samples", &o->samples);
  repeatable("profile", &o->profile_path, &o->more_profile_paths);
  option("save_profile", &o->save_profile_path);
  option("config", &o->config_path);
  cmd->add_option("--set", o->overrides, "override a config key: key=value (repeatable)")
      ->allow_extra_args(false);
  option("cost_table", &o->cost_table_path);
  option("cost_plan", &o->cost_plan_path);
  option("json", &o->json_path);
  option("report", &o->report_path);
  option("threads", &o->threads)->check(CLI::Range(0, 1024));
  option("gears", &o->gears_path);
  option("holdout", &o->holdout);
  option("seed", &o->seed)->check(CLI::NonNegativeNumber);
  cmd->add_flag("--quiet,-q", o->quiet, "print nothing but errors");
}

}  // namespace autoscale
