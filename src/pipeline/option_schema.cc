#include "pipeline/option_schema.h"

#include <algorithm>

#include "common/names.h"

namespace autoscale {

namespace {

bool AsDouble(const YAML::Node& n, double* out) {
  if (!n.IsScalar()) return false;
  try {
    *out = n.as<double>();
    return true;
  } catch (const YAML::Exception&) {
    return false;
  }
}

bool AsInt(const YAML::Node& n, int64_t* out) {
  if (!n.IsScalar()) return false;
  try {
    *out = n.as<int64_t>();
    return true;
  } catch (const YAML::Exception&) {
    return false;
  }
}

bool AsIntList(const YAML::Node& n, std::vector<int64_t>* out) {
  if (!n.IsSequence()) return false;
  std::vector<int64_t> v;
  for (const auto& item : n) {
    int64_t x;
    if (!AsInt(item, &x)) return false;
    v.push_back(x);
  }
  *out = v;
  return true;
}

}  // namespace

std::string DescribeYaml(const YAML::Node& node) {
  if (node.IsScalar()) return "'" + node.Scalar() + "'";
  if (node.IsSequence()) return "a list";
  if (node.IsMap()) return "a mapping";
  return "nothing";
}

std::string ReadYamlNumber(const YAML::Node& n, double lo, double hi, const char* range,
                           double* out) {
  double v;
  if (!AsDouble(n, &v)) return "expected a number, got " + DescribeYaml(n);
  if (!(v >= lo && v <= hi)) return "must be " + std::string(range) + ", got " + n.Scalar();
  *out = v;
  return "";
}

std::string ReadYamlInteger(const YAML::Node& n, int64_t lo, int64_t hi, int64_t* out) {
  int64_t v;
  if (!AsInt(n, &v)) return "expected an integer, got " + DescribeYaml(n);
  if (v < lo || v > hi)
    return "must be from " + std::to_string(lo) + " to " + std::to_string(hi) + ", got " +
           n.Scalar();
  *out = v;
  return "";
}

std::string ReadYamlChoice(const YAML::Node& n, const std::vector<std::string>& choices,
                           std::string* out) {
  if (!n.IsScalar() || std::find(choices.begin(), choices.end(), n.Scalar()) == choices.end())
    return "expected one of " + JoinNames(choices, ", ") + ", got " + DescribeYaml(n);
  *out = n.Scalar();
  return "";
}

std::string ReadYamlBool(const YAML::Node& n, bool* out) {
  if (n.IsScalar()) {
    try {
      *out = n.as<bool>();
      return "";
    } catch (const YAML::Exception&) {
    }
  }
  return "expected true or false, got " + DescribeYaml(n);
}

std::string ReadYamlText(const YAML::Node& n, const char* what, std::string* out) {
  if (!n.IsScalar() || n.Scalar().empty())
    return std::string("expected ") + what + ", got " + DescribeYaml(n);
  *out = n.Scalar();
  return "";
}

std::string ReadYamlIntList(const YAML::Node& n, int64_t lo, int64_t hi,
                            std::vector<int64_t>* out) {
  std::vector<int64_t> v;
  if (!AsIntList(n, &v)) return "expected a list of integers, got " + DescribeYaml(n);
  if (v.empty()) return "must not be empty";
  for (int64_t x : v)
    if (x < lo || x > hi)
      return "values must be from " + std::to_string(lo) + " to " + std::to_string(hi) + ", got " +
             std::to_string(x);
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  *out = v;
  return "";
}

std::string ReadYamlRange(const YAML::Node& n, int64_t* min, int64_t* max) {
  std::vector<int64_t> v;
  if (!AsIntList(n, &v) || v.size() != 2)
    return "expected a list of two integers [min, max], got " + DescribeYaml(n);
  if (v[0] < 1 || v[1] < v[0] || v[1] > 65536)
    return "must satisfy 1 <= min <= max <= 65536, got [" + std::to_string(v[0]) + ", " +
           std::to_string(v[1]) + "]";
  *min = v[0];
  *max = v[1];
  return "";
}

}  // namespace autoscale
