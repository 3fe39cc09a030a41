#include "pipeline/config_yaml.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "convert/rknn_backend.h"
#include "convert/trt_backend.h"
#include "pipeline/option_schema.h"
#include "pipeline/yaml_bounds.h"
#include "pipeline/yaml_keys.h"
#include "stats/strategies/strategy.h"

namespace autoscale {

namespace {

using Schema = OptionSchema<ScalingConfig>;
using C = ScalingConfig;

// A YAML value as JSON: quoted scalars are strings; plain ones true/false,
// integers and numbers when they read as such, else strings.
nlohmann::json YamlToJson(const YAML::Node& n) {
  if (n.IsSequence()) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& item : n) list.push_back(YamlToJson(item));
    return list;
  }
  if (n.IsMap()) {
    nlohmann::json map = nlohmann::json::object();
    for (const auto& kv : n) map[kv.first.Scalar()] = YamlToJson(kv.second);
    return map;
  }
  if (!n.IsScalar()) return nullptr;
  if (n.Tag() != "!") {
    bool b;
    int64_t i;
    double d;
    if (YAML::convert<bool>::decode(n, b)) return b;
    if (YAML::convert<int64_t>::decode(n, i)) return i;
    if (YAML::convert<double>::decode(n, d)) return d;
  }
  return n.Scalar();
}

// trt.args: a list of trtexec flags, checked by the trt backend's rule.
std::string SetTrtArgs(const YAML::Node& n, ScalingConfig* c) {
  std::vector<std::string> args;
  if (!n.IsSequence()) return "expected a list of trtexec flags, got " + DescribeYaml(n);
  for (const auto& item : n) {
    if (!item.IsScalar())
      return "expected a list of trtexec flags, got a list holding " + DescribeYaml(item);
    args.push_back(item.Scalar());
  }
  Status ok = CheckTrtArgs(args);
  if (!ok.ok()) return ok.message().substr(ok.message().find(": ") + 2);
  c->trt_args = args;
  return "";
}

// rknn.target_platform: lowercase letters and digits.
std::string SetRknnTargetPlatform(const YAML::Node& n, ScalingConfig* c) {
  std::string text;
  std::string why = ReadYamlText(n, "a platform name", &text);
  if (!why.empty()) return why;
  Status ok = CheckRknnTargetPlatform(text);
  if (!ok.ok()) return "expected lowercase letters and digits (e.g. rk3588), got '" + text + "'";
  c->rknn_target_platform = text;
  return "";
}

// rknn.config: a mapping of RKNN.config() keyword arguments.
std::string SetRknnConfig(const YAML::Node& n, ScalingConfig* c) {
  if (n.IsNull()) {
    c->rknn_config = nlohmann::json::object();
    return "";
  }
  if (!n.IsMap()) return "expected a mapping of RKNN.config() arguments, got " + DescribeYaml(n);
  const nlohmann::json config = YamlToJson(n);
  Status ok = CheckRknnConfig(config);
  if (!ok.ok()) return ok.message();
  c->rknn_config = config;
  return "";
}

const std::vector<Schema::Option>& Keys() {
  static const std::vector<Schema::Option> keys = {
      {"strategy", nullptr, Schema::Choice(Schema::Member(&C::strategy), StrategyNames())},
      {"mean_std.n_std", nullptr,
       Schema::Number(Schema::Member(&C::n_std), 0, 100, "from 0 to 100")},
      {"max_min.expand_ratio", nullptr,
       Schema::Number(Schema::Member(&C::expand_ratio), 0, 100, "from 0 to 100")},
      {"limit_side_len", nullptr, Schema::Integer(Schema::Member(&C::limit_side_len), 1, 65536)},
      {"width_range", nullptr,
       Schema::Range(Schema::Member(&C::width_min), Schema::Member(&C::width_max))},
      {"height_range", nullptr,
       Schema::Range(Schema::Member(&C::height_min), Schema::Member(&C::height_max))},
      {"interval", nullptr, Schema::Integer(Schema::Member(&C::interval), 1, 4096)},
      {"max_scaling_num", nullptr, Schema::Integer(Schema::Member(&C::max_scaling_num), 1, 100)},
      {"batch_choices", nullptr, Schema::IntList(Schema::Member(&C::batch_choices), 1, 2048)},
      {"default_scaling.batch_size", nullptr,
       Schema::IntList([](C* c) { return &c->default_scaling.batch_size; }, 1, 2048)},
      {"default_scaling.height", nullptr,
       Schema::IntList([](C* c) { return &c->default_scaling.height; }, 1, 65536)},
      {"default_scaling.width", nullptr,
       Schema::IntList([](C* c) { return &c->default_scaling.width; }, 1, 65536)},
      {"optimal.coverage", nullptr,
       Schema::Number(Schema::Member(&C::optimal_coverage), 1e-9, 1.0, "above 0 and at most 1")},
      {"optimal.batch_candidates", nullptr,
       Schema::Choice(Schema::Member(&C::optimal_batch_candidates), {"choices", "any"})},
      {"optimal.max_batch_num", nullptr,
       Schema::Integer(Schema::Member(&C::optimal_max_batch_num), 0, 100)},
      {"cost.call_overhead", nullptr,
       Schema::Number(Schema::Member(&C::cost_call_overhead), 0, 1e15, "from 0 to 1e15")},
      // The pipeline reads the table once every source of config is applied.
      {"cost.table", nullptr,
       [](const YAML::Node& n, C* c) -> std::string {
         if (n.IsNull()) {  // no table: the pixel model
           c->cost_table.clear();
           c->cost_rows.clear();
           return "";
         }
         std::string why = Schema::Text(Schema::Member(&C::cost_table), "a file path")(n, c);
         if (why.empty()) c->cost_rows.clear();
         return why;
       }},
      {"onnx.static_per_gear", nullptr, Schema::Bool(Schema::Member(&C::onnx_static_per_gear))},
      {"trt.profiles", nullptr,
       Schema::Choice(Schema::Member(&C::trt_profiles), TrtProfileModes())},
      {"trt.args", nullptr, SetTrtArgs},
      {"rknn.target_platform", nullptr, SetRknnTargetPlatform},
      {"rknn.config", nullptr, SetRknnConfig},
  };
  return keys;
}

bool IsGroup(const std::string& name) {
  for (const Schema::Option& key : Keys())
    if (std::string(key.name).rfind(name + ".", 0) == 0) return true;
  return false;
}

// "<file>:<line>: <scope>" for a node (its own line, else the origin's).
std::string At(const ConfigOrigin& origin, const YAML::Node& node) {
  std::string at = origin.file;
  if (node.Mark().line >= 0)
    at += ":" + std::to_string(node.Mark().line + 1);
  else if (origin.line > 0)
    at += ":" + std::to_string(origin.line);
  return origin.scope.empty() ? at : at + ": " + origin.scope;
}

// "<file>[:<line>][: <scope>]" for what concerns the whole mapping.
std::string Whole(const ConfigOrigin& origin) {
  std::string at = origin.file;
  if (origin.line > 0) at += ":" + std::to_string(origin.line);
  return origin.scope.empty() ? at : at + ": " + origin.scope;
}

Status ApplyMapping(const YAML::Node& map, const std::string& prefix, const ConfigOrigin& origin,
                    ScalingConfig* config) {
  KeysSeen seen;
  for (const auto& kv : map) {
    const std::string name = prefix + kv.first.Scalar();
    const std::string twice = seen.Add(name, name, kv.first);
    if (!twice.empty()) return Status::Error(At(origin, kv.first) + ": " + twice);
    const std::string at = At(origin, kv.first) + ": key '" + name + "'";
    if (const Schema::Option* key = Schema::Find(Keys(), name)) {
      std::string why = key->set(kv.second, config);
      if (!why.empty()) return Status::Error(at + ": " + why);
    } else if (IsGroup(name)) {
      if (!kv.second.IsMap()) return Status::Error(at + ": expected a mapping");
      Status s = ApplyMapping(kv.second, name + ".", origin, config);
      if (!s.ok()) return s;
    } else {
      return Status::Error(at + ": unknown key");
    }
  }
  return Status::Ok();
}

}  // namespace

std::vector<std::string> ConfigKeys() {
  std::vector<std::string> names;
  for (const Schema::Option& key : Keys()) names.push_back(key.name);
  return names;
}

Status ApplyConfigYaml(const YAML::Node& mapping, const ConfigOrigin& origin,
                       ScalingConfig* config) {
  // Only const access and copies: a node's handles share one document (a
  // jobs file's mapping is read by every job), which assignment would change.
  const YAML::Node& given = mapping;
  if (given.IsNull()) return Status::Ok();
  if (!given.IsMap()) return Status::Error(Whole(origin) + ": expected a mapping of config keys");
  const YAML::Node wrapped = given["auto_scaling"];
  if (wrapped) {
    KeysSeen seen;
    for (const auto& kv : given) {
      if (kv.first.Scalar() != "auto_scaling")
        return Status::Error(At(origin, kv.first) + ": key '" + kv.first.Scalar() +
                             "': unknown key (config keys go under auto_scaling:)");
      const std::string twice = seen.Add("auto_scaling", "auto_scaling", kv.first);
      if (!twice.empty()) return Status::Error(At(origin, kv.first) + ": " + twice);
    }
    if (wrapped.IsNull()) return Status::Ok();
    if (!wrapped.IsMap())
      return Status::Error(Whole(origin) + ": key 'auto_scaling': expected a mapping");
  }
  Status s = ApplyMapping(wrapped ? wrapped : given, "", origin, config);
  if (!s.ok()) return s;
  return ValidateConfig(*config).WithContext(Whole(origin));
}

Status ApplyConfigYaml(const YAML::Node& mapping, const std::string& file, ScalingConfig* config) {
  return ApplyConfigYaml(mapping, ConfigOrigin{file, "", 0}, config);
}

Status LoadConfigFile(const std::string& path, ScalingConfig* config) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Error(path + ": cannot read config file");
  std::stringstream ss;
  ss << in.rdbuf();
  YAML::Node root;
  try {
    root = YAML::Load(ss.str());
  } catch (const YAML::Exception& e) {
    return Status::Error(path + ":" + std::to_string(e.mark.line + 1) +
                         ": not valid YAML: " + e.msg);
  }
  Status bounded = CheckYamlBounds(root, path);
  if (!bounded.ok()) return bounded;
  const std::string table_before = config->cost_table;
  Status s = ApplyConfigYaml(root, path, config);
  // A cost table named in a config file is relative to that file.
  if (s.ok() && config->cost_table != table_before && !config->cost_table.empty() &&
      std::filesystem::path(config->cost_table).is_relative())
    config->cost_table = (std::filesystem::path(path).parent_path() / config->cost_table)
                             .lexically_normal()
                             .string();
  return s;
}

Status ApplyConfigOverride(const std::string& assignment, ScalingConfig* config) {
  const std::string where = "--set " + assignment;
  size_t eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0)
    return Status::Error(where + ": expected key=value (for example mean_std.n_std=2)");
  std::string key = assignment.substr(0, eq);
  if (key.rfind("auto_scaling.", 0) == 0) key = key.substr(13);
  const Schema::Option* option = Schema::Find(Keys(), key);
  if (!option) return Status::Error(where + ": key '" + key + "': unknown key");
  YAML::Node value;
  try {
    value = YAML::Load(assignment.substr(eq + 1));
  } catch (const YAML::Exception& e) {
    return Status::Error(where + ": key '" + key + "': value is not valid YAML: " + e.msg);
  }
  Status bounded = CheckYamlBounds(value, where);
  if (!bounded.ok()) return bounded;
  std::string why = option->set(value, config);
  if (!why.empty()) return Status::Error(where + ": key '" + key + "': " + why);
  return ValidateConfig(*config).WithContext(where);
}

}  // namespace autoscale
