// Reading the `auto_scaling` configuration from YAML: a config file, a jobs
// file's `auto_scaling:` mapping, or one `--set key=value`. Every key is
// known, typed and range-checked; errors name the key.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "stats/core/scaling_config.h"

namespace autoscale {

// The dotted names of every key ("mean_std.n_std", "width_range", ...).
std::vector<std::string> ConfigKeys();

// Reads a YAML file whose root holds an `auto_scaling:` mapping (MindOCR's
// layout; a bare mapping of the keys is accepted too) over `config`.
Status LoadConfigFile(const std::string& path, ScalingConfig* config);

// Applies one mapping node's keys (from a config file or a jobs file) over
// `config`; `where` prefixes error messages.
Status ApplyConfigYaml(const std::string& yaml_text, const std::string& where,
                       ScalingConfig* config);

// Applies "key=value" where key is dotted and value is YAML
// ("mean_std.n_std=2", "width_range=[32,2048]", "strategy=max_min").
Status ApplyConfigOverride(const std::string& assignment, ScalingConfig* config);

}  // namespace autoscale
