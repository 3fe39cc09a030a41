#include "pipeline/job_options.h"

#include <algorithm>
#include <functional>

#include "convert/backend.h"
#include "stats/core/input_shape.h"
#include "stats/readers/dataset_reader.h"

namespace autoscale {

namespace fs = std::filesystem;

std::string DescribeYaml(const YAML::Node& node) {
  if (node.IsScalar()) return "'" + node.Scalar() + "'";
  if (node.IsSequence()) return "a list";
  if (node.IsMap()) return "a mapping";
  return "nothing";
}

// Relative paths are relative to the jobs file's folder, so a jobs file means
// the same thing whatever folder it is run from.
std::string ResolveJobPath(const fs::path& base, const std::string& text) {
  fs::path p(text);
  if (p.is_absolute() || base.empty()) return p.lexically_normal().string();
  return (base / p).lexically_normal().string();
}

namespace {

// What a job option's value may be; each returns "" or why the value is wrong.
using Setter = std::function<std::string(const YAML::Node&, const fs::path& base, Job*)>;

std::string ReadText(const YAML::Node& n, const char* what, std::string* out) {
  if (!n.IsScalar() || n.Scalar().empty())
    return std::string("expected ") + what + ", got " + DescribeYaml(n);
  *out = n.Scalar();
  return "";
}

template <typename Options>
Setter TextOf(Options Job::*part, std::string Options::*field, const char* what) {
  return [=](const YAML::Node& n, const fs::path&, Job* job) {
    return ReadText(n, what, &(job->*part.*field));
  };
}

template <typename Options>
Setter PathOf(Options Job::*part, std::string Options::*field) {
  return [=](const YAML::Node& n, const fs::path& base, Job* job) {
    std::string text;
    std::string why = ReadText(n, "a path", &text);
    if (why.empty()) job->*part.*field = ResolveJobPath(base, text);
    return why;
  };
}

// A converter binary: a bare name is looked up on PATH when it runs.
Setter ProgramPath(std::string ConvertOptions::*field) {
  return [=](const YAML::Node& n, const fs::path& base, Job* job) {
    std::string text;
    std::string why = ReadText(n, "a program path or name", &text);
    if (why.empty())
      job->convert.*field = text.find('/') == std::string::npos ? text : ResolveJobPath(base, text);
    return why;
  };
}

template <typename Options>
Setter ChoiceOf(Options Job::*part, std::string Options::*field,
                std::vector<std::string> choices) {
  return [=](const YAML::Node& n, const fs::path&, Job* job) -> std::string {
    std::string joined;
    for (const auto& c : choices) joined += (joined.empty() ? "" : ", ") + c;
    if (!n.IsScalar() || std::find(choices.begin(), choices.end(), n.Scalar()) == choices.end())
      return "expected one of " + joined + ", got " + DescribeYaml(n);
    job->*part.*field = n.Scalar();
    return "";
  };
}

template <typename Options>
Setter IntOf(Options Job::*part, int Options::*field, int lo, int hi) {
  return [=](const YAML::Node& n, const fs::path&, Job* job) -> std::string {
    int64_t v = 0;
    bool ok = n.IsScalar();
    if (ok) {
      try {
        v = n.as<int64_t>();
      } catch (const YAML::Exception&) {
        ok = false;
      }
    }
    if (!ok) return "expected an integer, got " + DescribeYaml(n);
    if (v < lo || v > hi)
      return "must be from " + std::to_string(lo) + " to " + std::to_string(hi) + ", got " +
             n.Scalar();
    job->*part.*field = static_cast<int>(v);
    return "";
  };
}

Setter BoolOf(bool ConvertOptions::*field) {
  return [=](const YAML::Node& n, const fs::path&, Job* job) -> std::string {
    if (n.IsScalar()) {
      try {
        job->convert.*field = n.as<bool>();
        return "";
      } catch (const YAML::Exception&) {
      }
    }
    return "expected true or false, got " + DescribeYaml(n);
  };
}

// "1,3,-1,-1" or [1, 3, -1, -1]; kept in the canonical text form.
std::string SetShape(const YAML::Node& n, const fs::path&, Job* job) {
  std::string text;
  if (n.IsSequence()) {
    for (const auto& item : n) {
      if (!item.IsScalar()) return "expected N,C,H,W, got a list holding " + DescribeYaml(item);
      text += (text.empty() ? "" : ",") + item.Scalar();
    }
  } else {
    std::string why = ReadText(n, "N,C,H,W", &text);
    if (!why.empty()) return why;
  }
  auto shape = ParseInputShape(text);
  if (!shape.ok()) return shape.message();
  job->pipeline.input_shape = shape->ToString();
  return "";
}

struct OptionSpec {
  const char* name;   // canonical, snake_case
  const char* alias;  // another accepted name, or nullptr
  Setter set;
};

const std::vector<OptionSpec>& Options() {
  using P = PipelineOptions;
  using C = ConvertOptions;
  static const std::vector<OptionSpec> specs = {
      {"model_path", nullptr, PathOf(&Job::convert, &C::model_path)},
      {"input_shape", nullptr, SetShape},
      {"input_name", nullptr, TextOf(&Job::convert, &C::input_name, "a graph input name")},
      {"dataset_path", "data_path", PathOf(&Job::pipeline, &P::dataset_path)},
      {"dataset_type", nullptr,
       ChoiceOf(&Job::pipeline, &P::dataset_type, DatasetTypeNames())},
      {"profile", nullptr, PathOf(&Job::pipeline, &P::profile_path)},
      {"save_profile", nullptr, PathOf(&Job::pipeline, &P::save_profile_path)},
      {"config", nullptr, PathOf(&Job::pipeline, &P::config_path)},
      {"json", nullptr, PathOf(&Job::pipeline, &P::json_path)},
      {"report", nullptr, PathOf(&Job::pipeline, &P::report_path)},
      {"threads", nullptr, IntOf(&Job::pipeline, &P::threads, 0, 1024)},
      {"output_path", nullptr, PathOf(&Job::convert, &C::output_path)},
      {"backend", nullptr, ChoiceOf(&Job::convert, &C::backend, BackendNames())},
      {"soc_version", nullptr, TextOf(&Job::convert, &C::soc_version, "a SoC name")},
      {"atc_path", nullptr, ProgramPath(&C::atc_path)},
      {"lite_path", nullptr, ProgramPath(&C::lite_path)},
      {"converter_jobs", nullptr, IntOf(&Job::convert, &C::jobs, 1, 256)},
      {"timeout", "timeout_seconds", IntOf(&Job::convert, &C::timeout_seconds, 1, 1 << 30)},
      {"dry_run", nullptr, BoolOf(&C::dry_run)},
      {"static_per_gear", nullptr, BoolOf(&C::static_per_gear)},
  };
  return specs;
}

}  // namespace

std::string CanonicalJobKey(const std::string& key) {
  std::string k = key;
  std::replace(k.begin(), k.end(), '-', '_');
  for (const OptionSpec& spec : Options())
    if (spec.alias && k == spec.alias) return spec.name;
  return k;
}

std::vector<std::string> JobOptionNames() {
  std::vector<std::string> names;
  for (const OptionSpec& spec : Options()) names.push_back(spec.name);
  return names;
}

std::optional<std::string> SetJobOption(const std::string& canonical, const YAML::Node& value,
                                        const fs::path& base, Job* job) {
  for (const OptionSpec& spec : Options())
    if (canonical == spec.name) return spec.set(value, base, job);
  return std::nullopt;
}

}  // namespace autoscale
