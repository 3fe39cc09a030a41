#include "pipeline/config_yaml.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

namespace autoscale {

namespace {

// Each setter parses one YAML value into the config or returns why it cannot.
using Setter = std::function<std::string(const YAML::Node&, ScalingConfig*)>;

std::string Describe(const YAML::Node& node) {
  if (node.IsScalar()) return "'" + node.Scalar() + "'";
  if (node.IsSequence()) return "a list";
  if (node.IsMap()) return "a mapping";
  return "nothing";
}

bool ReadDouble(const YAML::Node& n, double* out) {
  if (!n.IsScalar()) return false;
  try {
    *out = n.as<double>();
    return true;
  } catch (const YAML::Exception&) {
    return false;
  }
}

bool ReadInt(const YAML::Node& n, int64_t* out) {
  if (!n.IsScalar()) return false;
  try {
    *out = n.as<int64_t>();
    return true;
  } catch (const YAML::Exception&) {
    return false;
  }
}

bool ReadIntList(const YAML::Node& n, std::vector<int64_t>* out) {
  if (!n.IsSequence()) return false;
  std::vector<int64_t> v;
  for (const auto& item : n) {
    int64_t x;
    if (!ReadInt(item, &x)) return false;
    v.push_back(x);
  }
  *out = v;
  return true;
}

Setter Number(double ScalingConfig::*field, double lo, double hi, const char* range) {
  return [=](const YAML::Node& n, ScalingConfig* c) -> std::string {
    double v;
    if (!ReadDouble(n, &v)) return "expected a number, got " + Describe(n);
    if (!(v >= lo && v <= hi)) return "must be " + std::string(range) + ", got " + n.Scalar();
    c->*field = v;
    return "";
  };
}

Setter Integer(int64_t ScalingConfig::*field, int64_t lo, int64_t hi) {
  return [=](const YAML::Node& n, ScalingConfig* c) -> std::string {
    int64_t v;
    if (!ReadInt(n, &v)) return "expected an integer, got " + Describe(n);
    if (v < lo || v > hi)
      return "must be from " + std::to_string(lo) + " to " + std::to_string(hi) + ", got " +
             n.Scalar();
    c->*field = v;
    return "";
  };
}

Setter Choice(std::string ScalingConfig::*field, std::vector<std::string> choices) {
  return [=](const YAML::Node& n, ScalingConfig* c) -> std::string {
    std::string joined;
    for (const auto& s : choices) joined += (joined.empty() ? "" : ", ") + s;
    if (!n.IsScalar()) return "expected one of " + joined + ", got " + Describe(n);
    if (std::find(choices.begin(), choices.end(), n.Scalar()) == choices.end())
      return "expected one of " + joined + ", got '" + n.Scalar() + "'";
    c->*field = n.Scalar();
    return "";
  };
}

Setter Range(int64_t ScalingConfig::*lo_field, int64_t ScalingConfig::*hi_field) {
  return [=](const YAML::Node& n, ScalingConfig* c) -> std::string {
    std::vector<int64_t> v;
    if (!ReadIntList(n, &v) || v.size() != 2)
      return "expected a list of two integers [min, max], got " + Describe(n);
    if (v[0] < 1 || v[1] < v[0] || v[1] > 65536)
      return "must satisfy 1 <= min <= max <= 65536, got [" + std::to_string(v[0]) + ", " +
             std::to_string(v[1]) + "]";
    c->*lo_field = v[0];
    c->*hi_field = v[1];
    return "";
  };
}

Setter IntList(std::function<std::vector<int64_t>*(ScalingConfig*)> field, int64_t lo,
               int64_t hi) {
  return [=](const YAML::Node& n, ScalingConfig* c) -> std::string {
    std::vector<int64_t> v;
    if (!ReadIntList(n, &v)) return "expected a list of integers, got " + Describe(n);
    if (v.empty()) return "must not be empty";
    for (int64_t x : v)
      if (x < lo || x > hi)
        return "values must be from " + std::to_string(lo) + " to " + std::to_string(hi) +
               ", got " + std::to_string(x);
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
    *field(c) = v;
    return "";
  };
}

const std::vector<std::pair<std::string, Setter>>& Keys() {
  static const std::vector<std::pair<std::string, Setter>> keys = {
      {"strategy", Choice(&ScalingConfig::strategy, {"mean_std", "max_min", "optimal"})},
      {"mean_std.n_std", Number(&ScalingConfig::n_std, 0, 100, "from 0 to 100")},
      {"max_min.expand_ratio", Number(&ScalingConfig::expand_ratio, 0, 100, "from 0 to 100")},
      {"limit_side_len", Integer(&ScalingConfig::limit_side_len, 1, 65536)},
      {"width_range", Range(&ScalingConfig::width_min, &ScalingConfig::width_max)},
      {"height_range", Range(&ScalingConfig::height_min, &ScalingConfig::height_max)},
      {"interval", Integer(&ScalingConfig::interval, 1, 4096)},
      {"max_scaling_num", Integer(&ScalingConfig::max_scaling_num, 1, 100)},
      {"batch_choices",
       IntList([](ScalingConfig* c) { return &c->batch_choices; }, 1, 2048)},
      {"default_scaling.batch_size",
       IntList([](ScalingConfig* c) { return &c->default_scaling.batch_size; }, 1, 2048)},
      {"default_scaling.height",
       IntList([](ScalingConfig* c) { return &c->default_scaling.height; }, 1, 65536)},
      {"default_scaling.width",
       IntList([](ScalingConfig* c) { return &c->default_scaling.width; }, 1, 65536)},
      {"optimal.coverage",
       Number(&ScalingConfig::optimal_coverage, 1e-9, 1.0, "above 0 and at most 1")},
      {"optimal.batch_candidates",
       Choice(&ScalingConfig::optimal_batch_candidates, {"choices", "any"})},
      {"optimal.max_batch_num", Integer(&ScalingConfig::optimal_max_batch_num, 0, 100)},
      {"cost.call_overhead",
       Number(&ScalingConfig::cost_call_overhead, 0, 1e15, "from 0 to 1e15")},
      {"cost.table",
       [](const YAML::Node& n, ScalingConfig* c) -> std::string {
         if (!n.IsScalar()) return "expected a file path, got " + Describe(n);
         // The pipeline reads the file once every source of config is applied.
         c->cost_table = n.Scalar();
         c->cost_rows.clear();
         return "";
       }},
      {"onnx.static_per_gear",
       [](const YAML::Node& n, ScalingConfig* c) -> std::string {
         if (!n.IsScalar()) return "expected true or false, got " + Describe(n);
         try {
           c->onnx_static_per_gear = n.as<bool>();
         } catch (const YAML::Exception&) {
           return "expected true or false, got '" + n.Scalar() + "'";
         }
         return "";
       }},
  };
  return keys;
}

const Setter* FindKey(const std::string& name) {
  for (const auto& [key, setter] : Keys())
    if (key == name) return &setter;
  return nullptr;
}

bool IsGroup(const std::string& name) {
  for (const auto& entry : Keys())
    if (entry.first.rfind(name + ".", 0) == 0) return true;
  return false;
}

std::string LineOf(const YAML::Node& n) {
  return n.Mark().line >= 0 ? ":" + std::to_string(n.Mark().line + 1) : "";
}

Status ApplyMapping(const YAML::Node& map, const std::string& prefix, const std::string& where,
                    ScalingConfig* config) {
  for (const auto& kv : map) {
    const std::string name = prefix + kv.first.Scalar();
    const std::string at = where + LineOf(kv.first) + ": key '" + name + "'";
    if (const Setter* setter = FindKey(name)) {
      std::string why = (*setter)(kv.second, config);
      if (!why.empty()) return Status::Error(at + ": " + why);
    } else if (IsGroup(name)) {
      if (!kv.second.IsMap()) return Status::Error(at + ": expected a mapping");
      Status s = ApplyMapping(kv.second, name + ".", where, config);
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
  for (const auto& entry : Keys()) names.push_back(entry.first);
  return names;
}

Status ApplyConfigYaml(const std::string& yaml_text, const std::string& where,
                       ScalingConfig* config) {
  YAML::Node root;
  try {
    root = YAML::Load(yaml_text);
  } catch (const YAML::Exception& e) {
    return Status::Error(where + ":" + std::to_string(e.mark.line + 1) + ": not valid YAML: " +
                         e.msg);
  }
  if (root.IsNull()) return Status::Ok();
  if (!root.IsMap()) return Status::Error(where + ": expected a mapping of config keys");
  if (root["auto_scaling"]) {
    for (const auto& kv : root)
      if (kv.first.Scalar() != "auto_scaling")
        return Status::Error(where + LineOf(kv.first) + ": key '" + kv.first.Scalar() +
                             "': unknown key (config keys go under auto_scaling:)");
    root = root["auto_scaling"];
    if (root.IsNull()) return Status::Ok();
    if (!root.IsMap()) return Status::Error(where + ": key 'auto_scaling': expected a mapping");
  }
  Status s = ApplyMapping(root, "", where, config);
  if (!s.ok()) return s;
  return ValidateConfig(*config).WithContext(where);
}

Status LoadConfigFile(const std::string& path, ScalingConfig* config) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Error(path + ": cannot read config file");
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string table_before = config->cost_table;
  Status s = ApplyConfigYaml(ss.str(), path, config);
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
  const Setter* setter = FindKey(key);
  if (!setter) return Status::Error(where + ": key '" + key + "': unknown key");
  YAML::Node value;
  try {
    value = YAML::Load(assignment.substr(eq + 1));
  } catch (const YAML::Exception& e) {
    return Status::Error(where + ": key '" + key + "': value is not valid YAML: " + e.msg);
  }
  std::string why = (*setter)(value, config);
  if (!why.empty()) return Status::Error(where + ": key '" + key + "': " + why);
  return ValidateConfig(*config).WithContext(where);
}

}  // namespace autoscale
