// Typed options read from YAML, shared by the config keys (config_yaml) and
// the jobs file's options (job_options): each option has a name, maybe an
// alias, and a setter that reads one value into its field or says why it
// cannot, in the same words for every option ("expected an integer, got 'x'",
// "must be from 1 to 100, got 0").
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace autoscale {

// How a value reads in a message: 'text', a list, a mapping, nothing.
std::string DescribeYaml(const YAML::Node& node);

// The readers behind the setters: each returns "" when the value was read
// into *out, else why not (and leaves *out alone).
std::string ReadYamlNumber(const YAML::Node& n, double lo, double hi, const char* range,
                           double* out);
std::string ReadYamlInteger(const YAML::Node& n, int64_t lo, int64_t hi, int64_t* out);
// One of `choices`.
std::string ReadYamlChoice(const YAML::Node& n, const std::vector<std::string>& choices,
                           std::string* out);
std::string ReadYamlBool(const YAML::Node& n, bool* out);
// A non-empty scalar; `what` names it in the message ("a path").
std::string ReadYamlText(const YAML::Node& n, const char* what, std::string* out);
// A non-empty list of integers in [lo, hi], sorted with duplicates removed.
std::string ReadYamlIntList(const YAML::Node& n, int64_t lo, int64_t hi, std::vector<int64_t>* out);
// [min, max] with 1 <= min <= max <= 65536.
std::string ReadYamlRange(const YAML::Node& n, int64_t* min, int64_t* max);

// Setters of options whose target is a T (a ScalingConfig, a job).
template <typename T>
struct OptionSchema {
  // Reads `value` into the target: "" when set, else why the value is wrong.
  using Setter = std::function<std::string(const YAML::Node& value, T* target)>;
  // Where an option's value lives in the target.
  template <typename V>
  using Field = std::function<V*(T*)>;

  struct Option {
    const char* name;   // canonical, snake_case
    const char* alias;  // another accepted name, or nullptr
    Setter set;
    std::string help = "";  // one line, for the command line's --help
  };

  // The option called `name` (or aliased so), or nullptr.
  static const Option* Find(const std::vector<Option>& options, const std::string& name) {
    for (const Option& o : options)
      if (name == o.name || (o.alias != nullptr && name == o.alias)) return &o;
    return nullptr;
  }

  template <typename V>
  static Field<V> Member(V T::*member) {
    return [member](T* t) { return &(t->*member); };
  }

  static Setter Number(Field<double> field, double lo, double hi, const char* range) {
    return [=](const YAML::Node& n, T* t) { return ReadYamlNumber(n, lo, hi, range, field(t)); };
  }
  static Setter Integer(Field<int64_t> field, int64_t lo, int64_t hi) {
    return [=](const YAML::Node& n, T* t) { return ReadYamlInteger(n, lo, hi, field(t)); };
  }
  static Setter Integer(Field<int> field, int lo, int hi) {
    return [=](const YAML::Node& n, T* t) {
      int64_t v = 0;
      std::string why = ReadYamlInteger(n, lo, hi, &v);
      if (why.empty()) *field(t) = static_cast<int>(v);
      return why;
    };
  }
  static Setter Choice(Field<std::string> field, std::vector<std::string> choices) {
    return [=](const YAML::Node& n, T* t) { return ReadYamlChoice(n, choices, field(t)); };
  }
  static Setter Bool(Field<bool> field) {
    return [=](const YAML::Node& n, T* t) { return ReadYamlBool(n, field(t)); };
  }
  static Setter Text(Field<std::string> field, const char* what) {
    return [=](const YAML::Node& n, T* t) { return ReadYamlText(n, what, field(t)); };
  }
  static Setter IntList(Field<std::vector<int64_t>> field, int64_t lo, int64_t hi) {
    return [=](const YAML::Node& n, T* t) { return ReadYamlIntList(n, lo, hi, field(t)); };
  }
  static Setter Range(Field<int64_t> min, Field<int64_t> max) {
    return [=](const YAML::Node& n, T* t) { return ReadYamlRange(n, min(t), max(t)); };
  }
};

}  // namespace autoscale
