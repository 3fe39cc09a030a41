#include "pipeline/job_options.h"

#include <algorithm>
#include <stdexcept>

#include "common/names.h"

#include "convert/backend.h"
#include "convert/converter_args.h"
#include "convert/rknn_backend.h"
#include "convert/trt_backend.h"
#include "stats/core/input_shape.h"
#include "stats/readers/dataset_reader.h"

namespace autoscale {

namespace fs = std::filesystem;

// Relative paths are relative to the jobs file's folder, so a jobs file means
// the same thing whatever folder it is run from.
std::string ResolveJobPath(const fs::path& base, const std::string& text) {
  if (text == "-") return text;  // standard input or output
  fs::path p(text);
  if (p.is_absolute() || base.empty()) return p.lexically_normal().string();
  return (base / p).lexically_normal().string();
}

namespace {

// What a job option sets: the job, and the folder its relative paths start from.
struct JobTarget {
  Job* job;
  fs::path base;
};

using Schema = OptionSchema<JobTarget>;
using P = PipelineOptions;
using C = ConvertOptions;

template <typename V>
Schema::Field<V> PipelineField(V P::*field) {
  return [field](JobTarget* t) { return &(t->job->pipeline.*field); };
}

template <typename V>
Schema::Field<V> ConvertField(V C::*field) {
  return [field](JobTarget* t) { return &(t->job->convert.*field); };
}

// A path, resolved against the jobs file's folder.
Schema::Setter PathOf(Schema::Field<std::string> field) {
  return [=](const YAML::Node& n, JobTarget* t) {
    std::string text;
    std::string why = ReadYamlText(n, "a path", &text);
    if (why.empty()) *field(t) = ResolveJobPath(t->base, text);
    return why;
  };
}

// One path or a list of them, resolved against the jobs file's folder: the
// first into `first`, the others into `more` (--dataset_path, --profile).
Schema::Setter PathsOf(Schema::Field<std::string> first,
                       Schema::Field<std::vector<std::string>> more) {
  return [=](const YAML::Node& n, JobTarget* t) {
    std::vector<std::string> paths;
    if (n.IsSequence()) {
      for (const auto& item : n) {
        std::string text;
        std::string why = ReadYamlText(item, "a path", &text);
        if (!why.empty())
          return "expected a path or a list of paths, got a list holding " + DescribeYaml(item);
        paths.push_back(ResolveJobPath(t->base, text));
      }
      if (paths.empty())
        return std::string("expected a path or a list of paths, got an empty list");
    } else {
      std::string text;
      std::string why = ReadYamlText(n, "a path or a list of paths", &text);
      if (!why.empty()) return why;
      paths.push_back(ResolveJobPath(t->base, text));
    }
    *first(t) = paths.front();
    more(t)->assign(paths.begin() + 1, paths.end());
    return std::string();
  };
}

// A converter binary: a bare name is looked up on PATH when it runs.
Schema::Setter ProgramPath(Schema::Field<std::string> field) {
  return [=](const YAML::Node& n, JobTarget* t) {
    std::string text;
    std::string why = ReadYamlText(n, "a program path or name", &text);
    if (why.empty())
      *field(t) = text.find('/') == std::string::npos ? text : ResolveJobPath(t->base, text);
    return why;
  };
}

// "1,3,-1,-1" or [1, 3, -1, -1]; kept in the canonical text form.
std::string SetShape(const YAML::Node& n, JobTarget* t) {
  std::string text;
  if (n.IsSequence()) {
    for (const auto& item : n) {
      if (!item.IsScalar()) return "expected N,C,H,W, got a list holding " + DescribeYaml(item);
      text += (text.empty() ? "" : ",") + item.Scalar();
    }
  } else {
    std::string why = ReadYamlText(n, "N,C,H,W", &text);
    if (!why.empty()) return why;
  }
  auto shape = ParseInputShape(text);
  if (!shape.ok()) return shape.message();
  t->job->pipeline.input_shape = shape->ToString();
  return "";
}

// A list of converter arguments ("--name=value" each; one text is a list of
// one), checked by `check`; the files they name resolve against the jobs
// file's folder.
Schema::Setter ArgList(Schema::Field<std::vector<std::string>> field,
                       std::string (*map)(const std::string&,
                                          const std::function<std::string(const std::string&)>&),
                       Status (*check)(const std::vector<std::string>&)) {
  return [=](const YAML::Node& n, JobTarget* t) -> std::string {
    std::vector<std::string> args;
    if (n.IsScalar()) {
      args.push_back(n.Scalar());
    } else if (n.IsSequence()) {
      for (const auto& item : n) {
        if (!item.IsScalar())
          return "expected a list of texts, got a list holding " + DescribeYaml(item);
        args.push_back(item.Scalar());
      }
    } else {
      return "expected a list of texts, got " + DescribeYaml(n);
    }
    const auto resolve = [t](const std::string& path) { return ResolveJobPath(t->base, path); };
    if (map != nullptr)
      for (std::string& arg : args) arg = map(arg, resolve);
    Status s = check(args);
    if (!s.ok()) return s.message();
    *field(t) = std::move(args);
    return "";
  };
}

// lite_config: a mapping {section.key: value} or a list of
// "section.key=value"; kept as "section.key=value" texts.
std::string SetLiteConfig(const YAML::Node& n, JobTarget* t) {
  std::vector<std::string> entries;
  if (n.IsMap()) {
    for (const auto& kv : n) {
      if (!kv.first.IsScalar() || !kv.second.IsScalar())
        return "expected section.key: value entries, got " + DescribeYaml(kv.first) + ": " +
               DescribeYaml(kv.second);
      entries.push_back(kv.first.Scalar() + "=" + kv.second.Scalar());
    }
    const auto resolve = [t](const std::string& path) { return ResolveJobPath(t->base, path); };
    for (std::string& entry : entries) entry = MapLiteEntryFile(entry, resolve);
    Status s = CheckLiteConfig(entries);
    if (!s.ok()) return s.message();
    t->job->convert.lite_config = std::move(entries);
    return "";
  }
  return ArgList(ConvertField(&C::lite_config), MapLiteEntryFile, CheckLiteConfig)(n, t);
}

const std::vector<Schema::Option>& Options() {
  static const std::vector<std::string> backends = BackendNames();
  static const std::vector<Schema::Option> options = {
      {"model_path", nullptr, PathOf(ConvertField(&C::model_path)), "the ONNX model to convert"},
      {"input_shape", nullptr, SetShape,
       "model input N,C,H,W; -1 marks a dynamic dim (e.g. -1,3,48,-1)"},
      {"input_name", nullptr, Schema::Text(ConvertField(&C::input_name), "a graph input name"),
       "the graph input to shape (default: the model's only input)"},
      {"dataset_path", "data_path",
       PathsOf(PipelineField(&P::dataset_path), PipelineField(&P::more_dataset_paths)),
       "image folder, det label file or ICDAR gt folder (repeatable: the profiles merge)"},
      {"dataset_type", nullptr, Schema::Choice(PipelineField(&P::dataset_type), DatasetTypeNames()),
       JoinNames(DatasetTypeNames(), "|") + " (default auto)"},
      {"image_root", nullptr, PathOf(PipelineField(&P::image_root)),
       "folder of the relative image paths a label file lists (default: the label file's folder)"},
      {"samples", nullptr, Schema::Choice(PipelineField(&P::samples), {"auto", "images", "boxes"}),
       "auto|images|boxes: det labels and COCO give image sizes or box crops (default auto: "
       "images for H and W dynamic, else boxes)"},
      {"profile", nullptr,
       PathsOf(PipelineField(&P::profile_path), PipelineField(&P::more_profile_paths)),
       "a saved profile instead of reading a dataset (repeatable, mixes with --dataset_path)"},
      {"save_profile", nullptr, PathOf(PipelineField(&P::save_profile_path)),
       "write the profile (JSON; with several sources, merged) to this file"},
      {"config", nullptr, PathOf(PipelineField(&P::config_path)),
       "config file (default configs/auto_scaling.yaml)"},
      {"json", nullptr, PathOf(PipelineField(&P::json_path)),
       "write the result as JSON to this file"},
      {"report", nullptr, PathOf(PipelineField(&P::report_path)),
       "write an HTML report to this file"},
      {"cost_table", nullptr, PathOf(PipelineField(&P::cost_table_path)),
       "CSV of measured call costs (batch,height,width,ms): costs in ms "
       "(same as --set cost.table=FILE)"},
      {"cost_plan", nullptr, PathOf(PipelineField(&P::cost_plan_path)),
       "write the call shapes worth measuring for a cost table (CSV) to this file"},
      {"threads", nullptr, Schema::Integer(PipelineField(&P::threads), 0, 1024),
       "reader threads (default: one per core)"},
      {"gears", nullptr, PathOf(PipelineField(&P::gears_path)),
       "judge these gears (gears.json, scaling_data.json or a YAML/JSON list) "
       "instead of choosing them"},
      {"holdout", nullptr, Schema::Number(PipelineField(&P::holdout), 0, 0.999999, "from 0 to 1"),
       "choose gears on the rest and judge them on this random share of the images (e.g. 0.2)"},
      {"seed", nullptr, Schema::Integer(PipelineField(&P::seed), 0, int64_t{1} << 62),
       "the seed of the --holdout split (default 1)"},
      {"output_path", nullptr, PathOf(ConvertField(&C::output_path)),
       "folder for every file written (default output)"},
      {"backend", nullptr, Schema::Choice(ConvertField(&C::backend), backends),
       JoinNames(backends, ", ", " or ") + " (default " + backends.front() + ")"},
      {"soc_version", nullptr, Schema::Text(ConvertField(&C::soc_version), "a SoC name"),
       "atc --soc_version (default Ascend310P3)"},
      {"atc_path", nullptr, ProgramPath(ConvertField(&C::atc_path)),
       "the atc binary (default: from PATH)"},
      {"lite_path", nullptr, ProgramPath(ConvertField(&C::lite_path)),
       "the converter_lite binary (default: from PATH)"},
      {"trtexec_path", nullptr, ProgramPath(ConvertField(&C::trtexec_path)),
       "trt: the trtexec binary (default: from PATH)"},
      {"trt_profiles", nullptr, Schema::Choice(ConvertField(&C::trt_profiles), TrtProfileModes()),
       "trt: exact|ranges optimization profiles (default: config trt.profiles, exact)"},
      {"rknn_target_platform", nullptr,
       [](const YAML::Node& n, JobTarget* t) {
         std::string text;
         std::string why = ReadYamlText(n, "a platform name", &text);
         if (why.empty()) why = CheckRknnTargetPlatform(text).message();
         if (why.empty()) t->job->convert.rknn_target_platform = text;
         return why;
       },
       "rknn: target_platform (default: config rknn.target_platform, rk3588)"},
      {"rknn_python", nullptr, ProgramPath(ConvertField(&C::rknn_python)),
       "rknn: the Python with rknn-toolkit2 that runs the scripts (default: python3 from PATH)"},
      {"ovc_path", nullptr, ProgramPath(ConvertField(&C::ovc_path)),
       "openvino: the ovc binary (default: from PATH)"},
      {"converter_jobs", nullptr, Schema::Integer(ConvertField(&C::jobs), 1, 256),
       "external conversions at once (default 1)"},
      {"timeout", "timeout_seconds", Schema::Integer(ConvertField(&C::timeout_seconds), 1, 1 << 30),
       "seconds one external conversion may take (default 3600)"},
      {"dry_run", nullptr, Schema::Bool(ConvertField(&C::dry_run)),
       "atc/lite: write convert.sh and the config files, run no converter; "
       "onnx: check every gear, write no model"},
      {"static_per_gear", nullptr, Schema::Bool(ConvertField(&C::static_per_gear)),
       "onnx: also write one static model per gear (config onnx.static_per_gear)"},
      {"atc_mode", nullptr, Schema::Choice(ConvertField(&C::atc_mode), {"native", "dims"}),
       "atc/lite: native (default: --dynamic_batch_size/--dynamic_image_size where the shape "
       "allows) or dims (always --input_format=ND --dynamic_dims, as MindOCR converts)"},
      {"atc_args", "atc.args", ArgList(ConvertField(&C::atc_args), MapAtcArgFile, CheckAtcArgs),
       "atc: an extra option, e.g. --atc_arg=--precision_mode=force_fp16 (repeatable)"},
      {"lite_args", "lite.args", ArgList(ConvertField(&C::lite_args), nullptr, CheckLiteArgs),
       "lite: an extra converter_lite option, e.g. --lite_arg=--device=Ascend (repeatable)"},
      {"lite_config", "lite.config", SetLiteConfig,
       "lite: an extra config entry section.key=value (repeatable), e.g. "
       "ascend_context.precision_mode=enforce_fp16"},
      {"copy_model", nullptr, Schema::Bool(ConvertField(&C::copy_model)),
       "dry run: copy the model beside convert.sh so the folder converts elsewhere"},
  };
  return options;
}

const Schema::Option& OptionNamed(const std::string& name) {
  const Schema::Option* option = Schema::Find(Options(), name);
  if (option == nullptr) throw std::logic_error("no job option '" + name + "'");
  return *option;
}

// "--snake_name" and, when it differs, "--kebab-name".
std::string FlagsFor(const std::string& name) {
  std::string kebab = name;
  std::replace(kebab.begin(), kebab.end(), '_', '-');
  return kebab == name ? "--" + name : "--" + name + ",--" + kebab;
}

}  // namespace

std::string CanonicalJobKey(const std::string& key) {
  std::string k = key;
  std::replace(k.begin(), k.end(), '-', '_');
  const Schema::Option* option = Schema::Find(Options(), k);
  return option != nullptr ? option->name : k;
}

std::string JobOptionFlags(const std::string& name) {
  const Schema::Option& option = OptionNamed(name);
  std::string flags = FlagsFor(option.name);
  if (option.alias != nullptr) flags += "," + FlagsFor(option.alias);
  return flags;
}

const std::string& JobOptionHelp(const std::string& name) { return OptionNamed(name).help; }

std::vector<std::string> JobOptionNames() {
  std::vector<std::string> names;
  for (const Schema::Option& option : Options()) names.push_back(option.name);
  return names;
}

std::optional<std::string> SetJobOption(const std::string& canonical, const YAML::Node& value,
                                        const fs::path& base, Job* job) {
  for (const Schema::Option& option : Options()) {
    if (canonical != option.name) continue;
    JobTarget target{job, base};
    return option.set(value, &target);
  }
  return std::nullopt;
}

}  // namespace autoscale
