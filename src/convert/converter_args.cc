#include "convert/converter_args.h"

#include <algorithm>
#include <cctype>
#include <filesystem>

namespace autoscale {

namespace {

namespace fs = std::filesystem;

struct Refused {
  const char* name;
  const char* set_by;  // how autoscale sets it: "from --soc_version"
};

// ATC options autoscale writes itself (atc_backend.cc).
const Refused kAtcRefused[] = {
    {"model", "from --model_path"},
    {"framework", "to 5 (ONNX)"},
    {"output", "from --output_path"},
    {"input_shape", "from --input_shape"},
    {"input_shape_range", "from --input_shape and the gears"},
    {"input_format", "from --atc_mode"},
    {"dynamic_batch_size", "from --input_shape and the gears (--atc_mode picks the form)"},
    {"dynamic_image_size", "from --input_shape and the gears (--atc_mode picks the form)"},
    {"dynamic_dims", "from --input_shape and the gears (--atc_mode picks the form)"},
    {"soc_version", "from --soc_version"},
};

// converter_lite arguments autoscale writes itself (lite_backend.cc).
const Refused kLiteRefused[] = {
    {"fmk", "to ONNX"},
    {"modelFile", "from --model_path"},
    {"outputFile", "from --output_path"},
    {"configFile", "to the file it writes; add entries with --lite_config"},
    {"inputShape", "from --input_shape"},
    {"saveType", "to MINDIR"},
    {"optimize", "to ascend_oriented"},
};

// [ascend_context] keys autoscale writes itself.
const Refused kLiteConfigRefused[] = {
    {"input_format", "from --atc_mode"},
    {"input_shape", "from --input_shape"},
    {"dynamic_dims", "from --input_shape and the gears"},
    {"dynamic_batch_size", "from --input_shape and the gears"},
    {"dynamic_image_size", "from --input_shape and the gears"},
};

const char* const kAtcFileOptions[] = {
    "insert_op_conf",   "op_precision_mode", "fusion_switch_file",       "keep_dtype",
    "customize_dtypes", "modify_mixlist",    "compression_optimize_conf"};
const char* const kLiteFileKeys[] = {"insert_op_config_file_path",
                                     "fusion_switch_config_file_path"};

template <size_t N>
const Refused* FindRefused(const Refused (&table)[N], const std::string& name) {
  for (const Refused& r : table)
    if (name == r.name) return &r;
  return nullptr;
}

// `text` in quotes with control characters escaped, so a message stays one line.
std::string Quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\n')
      out += "\\n";
    else if (c == '\r')
      out += "\\r";
    else if (c == '\t')
      out += "\\t";
    else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      out += '?';
    else
      out += c;
  }
  return out + "'";
}

// The first character of `text` that is a control character or in `unsafe`.
const char* FirstUnsafe(const std::string& text, const std::string& unsafe) {
  for (const char& c : text)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f || unsafe.find(c) != std::string::npos)
      return &c;
  return nullptr;
}

bool ValidOptionName(const std::string& name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
}

std::string CheckFile(const std::string& path, const std::string& what) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return what + ": " + Quoted(path) + ": no such file";
  return "";
}

// Checks one "--name=value" argument against `refused`; "" when fine.
template <size_t N>
std::string CheckArg(const std::string& arg, const Refused (&refused)[N]) {
  const ConverterArg a = SplitConverterArg(arg);
  if (arg.rfind("--", 0) != 0 || !ValidOptionName(a.name))
    return Quoted(arg) + ": expected --name=value";
  if (const char* c = FirstUnsafe(arg, "")) return Quoted(arg) + ": holds " + DescribeChar(*c);
  if (const Refused* r = FindRefused(refused, a.name))
    return Quoted(arg) + ": autoscale sets --" + a.name + " " + r->set_by;
  return "";
}

}  // namespace

std::string DescribeChar(char c) {
  if (c == '\n') return "a newline";
  if (c == '\r') return "a carriage return";
  if (c == '\t') return "a tab";
  if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
    return "control character " + std::to_string(static_cast<int>(c));
  return std::string("'") + c + "'";
}

ConverterArg SplitConverterArg(const std::string& arg) {
  ConverterArg a;
  const std::string body = arg.rfind("--", 0) == 0 ? arg.substr(2) : arg;
  const size_t eq = body.find('=');
  a.name = body.substr(0, eq);
  if (eq != std::string::npos) {
    a.value = body.substr(eq + 1);
    a.has_value = true;
  }
  return a;
}

Result<ConfigEntry> SplitConfigEntry(const std::string& entry) {
  const size_t eq = entry.find('=');
  const std::string name = entry.substr(0, eq);
  const size_t dot = name.find('.');
  if (eq == std::string::npos || dot == std::string::npos || dot == 0 || dot + 1 == name.size())
    return Status::Error(Quoted(entry) + ": expected section.key=value");
  ConfigEntry e{name.substr(0, dot), name.substr(dot + 1), entry.substr(eq + 1)};
  // A section ends at ']' and a key at '='; a newline would start a new
  // line (a new section or key) in the file.
  if (const char* c = FirstUnsafe(e.section, "[]=. "))
    return Status::Error(Quoted(entry) + ": the section holds " + DescribeChar(*c));
  if (const char* c = FirstUnsafe(e.key, "[]= "))
    return Status::Error(Quoted(entry) + ": the key holds " + DescribeChar(*c));
  if (const char* c = FirstUnsafe(e.value, ""))
    return Status::Error(Quoted(entry) + ": the value holds " + DescribeChar(*c));
  if (e.value.empty()) return Status::Error(Quoted(entry) + ": the value is empty");
  return e;
}

bool AtcFileOption(const std::string& name) {
  return std::find(std::begin(kAtcFileOptions), std::end(kAtcFileOptions), name) !=
         std::end(kAtcFileOptions);
}

bool LiteFileKey(const std::string& section, const std::string& key) {
  return section == "ascend_context" &&
         std::find(std::begin(kLiteFileKeys), std::end(kLiteFileKeys), key) !=
             std::end(kLiteFileKeys);
}

std::string MapAtcArgFile(const std::string& arg,
                          const std::function<std::string(const std::string&)>& map) {
  const ConverterArg a = SplitConverterArg(arg);
  if (!a.has_value || a.value.empty() || !AtcFileOption(a.name)) return arg;
  return "--" + a.name + "=" + map(a.value);
}

std::string MapLiteEntryFile(const std::string& entry,
                             const std::function<std::string(const std::string&)>& map) {
  Result<ConfigEntry> e = SplitConfigEntry(entry);
  if (!e.ok() || !LiteFileKey(e->section, e->key)) return entry;
  return e->section + "." + e->key + "=" + map(e->value);
}

std::vector<std::string> ConverterFiles(const ConvertOptions& options) {
  std::vector<std::string> files;
  const auto collect = [&files](const std::string& path) {
    files.push_back(path);
    return path;
  };
  if (options.backend == "atc")
    for (const std::string& arg : options.atc_args) MapAtcArgFile(arg, collect);
  if (options.backend == "lite")
    for (const std::string& entry : options.lite_config) MapLiteEntryFile(entry, collect);
  return files;
}

// The first name given twice in `names`, or "".
static std::string Repeated(const std::vector<std::string>& names) {
  for (size_t i = 0; i < names.size(); ++i)
    for (size_t j = 0; j < i; ++j)
      if (names[i] == names[j]) return names[i];
  return "";
}

// The option names of "--name=value" arguments.
static std::vector<std::string> ArgNames(const std::vector<std::string>& args) {
  std::vector<std::string> names;
  for (const std::string& arg : args) names.push_back(SplitConverterArg(arg).name);
  return names;
}

Status CheckAtcArgs(const std::vector<std::string>& args) {
  const std::string twice = Repeated(ArgNames(args));
  if (!twice.empty()) return Status::Error("--" + twice + " given twice");
  for (const std::string& arg : args) {
    std::string why = CheckArg(arg, kAtcRefused);
    if (why.empty() && AtcFileOption(SplitConverterArg(arg).name))
      why = CheckFile(SplitConverterArg(arg).value, Quoted(arg));
    if (!why.empty()) return Status::Error(why);
  }
  return Status::Ok();
}

Status CheckLiteArgs(const std::vector<std::string>& args) {
  const std::string twice = Repeated(ArgNames(args));
  if (!twice.empty()) return Status::Error("--" + twice + " given twice");
  for (const std::string& arg : args) {
    const std::string why = CheckArg(arg, kLiteRefused);
    if (!why.empty()) return Status::Error(why);
  }
  return Status::Ok();
}

Status CheckLiteConfig(const std::vector<std::string>& entries) {
  std::vector<std::string> names;
  for (const std::string& entry : entries) {
    Result<ConfigEntry> e = SplitConfigEntry(entry);
    if (!e.ok()) return e.status();
    names.push_back(e->section + "." + e->key);
    if (!Repeated(names).empty()) return Status::Error(names.back() + " given twice");
    if (e->section == "ascend_context")
      if (const Refused* r = FindRefused(kLiteConfigRefused, e->key))
        return Status::Error(Quoted(entry) + ": autoscale sets [ascend_context] " + e->key + " " +
                             r->set_by);
    if (LiteFileKey(e->section, e->key)) {
      const std::string why = CheckFile(e->value, Quoted(entry));
      if (!why.empty()) return Status::Error(why);
    }
  }
  return Status::Ok();
}

Status CheckConverterOptions(const ConvertOptions& options) {
  if (options.atc_mode != "native" && options.atc_mode != "dims")
    return Status::Error("--atc_mode '" + options.atc_mode + "': expected native or dims");
  Status s = CheckAtcArgs(options.atc_args);
  if (!s.ok()) return s.WithContext("--atc_arg");
  s = CheckLiteArgs(options.lite_args);
  if (!s.ok()) return s.WithContext("--lite_arg");
  s = CheckLiteConfig(options.lite_config);
  if (!s.ok()) return s.WithContext("--lite_config");
  return Status::Ok();
}

Status CheckInputNameFor(const std::string& name, const std::string& unsafe,
                         const std::string& format) {
  if (const char* c = FirstUnsafe(name, unsafe))
    return Status::Error("input name " + Quoted(name) + " holds " + DescribeChar(*c) + ", which " +
                         format + " cannot hold; rename the input in the model");
  return Status::Ok();
}

}  // namespace autoscale
