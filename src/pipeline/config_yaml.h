// Reading the `auto_scaling` configuration from YAML: a config file, a jobs
// file's `auto_scaling:` mapping, or one `--set key=value`. Every key is
// known, typed and range-checked; errors name the key.
#pragma once

#include <yaml-cpp/yaml.h>

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

// Where a mapping of config keys comes from, for messages: an error reads
// "<file>:<line>: <scope>: key 'x': why", the line being the key's own or,
// for what concerns the whole mapping, `line` (0: none).
struct ConfigOrigin {
  std::string file;
  std::string scope;  // "job 'rec': auto_scaling"; empty: none
  int line = 0;
};

// Applies one mapping node's keys (from a config file or a jobs file) over
// `config`, then checks the result (ValidateConfig). A null node applies
// nothing; a mapping with an `auto_scaling:` key applies that key's mapping.
Status ApplyConfigYaml(const YAML::Node& mapping, const ConfigOrigin& origin,
                       ScalingConfig* config);
// The same with only a file name as the origin.
Status ApplyConfigYaml(const YAML::Node& mapping, const std::string& file, ScalingConfig* config);

// Applies "key=value" where key is dotted and value is YAML
// ("mean_std.n_std=2", "width_range=[32,2048]", "strategy=max_min").
Status ApplyConfigOverride(const std::string& assignment, ScalingConfig* config);

}  // namespace autoscale
