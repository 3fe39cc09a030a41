// The options one job of a jobs file may set: the `convert` options under
// their snake_case names (kebab-case and MindOCR's data_path accepted), each
// with its type check; paths resolve against the jobs file's folder.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "pipeline/jobs_file.h"
#include "pipeline/option_schema.h"

namespace autoscale {

// The canonical spelling of a key: '-' becomes '_', aliases their option
// ("data-path" -> "dataset_path"). Unknown keys come back normalised only.
std::string CanonicalJobKey(const std::string& key);

// The canonical names of the options SetJobOption knows, in documentation
// order (not `name` and `auto_scaling`, which the jobs file handles).
std::vector<std::string> JobOptionNames();

// The command line's spelling of job option `name` (one of JobOptionNames()):
// "--name", its kebab-case form and the same for its alias
// ("--dataset_path,--dataset-path,--data_path,--data-path").
std::string JobOptionFlags(const std::string& name);
// Its one-line help for `--help`.
const std::string& JobOptionHelp(const std::string& name);

// Sets option `canonical` of `job` from `value`. nullopt: no such option;
// "": set; otherwise why the value is wrong ("expected an integer, got 'x'").
std::optional<std::string> SetJobOption(const std::string& canonical, const YAML::Node& value,
                                        const std::filesystem::path& base, Job* job);

// `text` relative to `base` (kept when absolute or when base is empty),
// lexically normalised.
std::string ResolveJobPath(const std::filesystem::path& base, const std::string& text);

}  // namespace autoscale
