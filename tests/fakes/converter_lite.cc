// A stand-in for MindSpore Lite's `converter_lite` that checks the command
// line and the [ascend_context] config file as strictly as the real tool's
// grammar and writes <outputFile>.mindir.
// Behaviour switches: see fake_converter.h.
#include <filesystem>

#include "fake_converter.h"

namespace {

// "[a,b],[c,d]": one bracketed profile per gear.
std::vector<std::vector<long long>> ParseBracketed(const std::string& text,
                                                   const std::string& where) {
  if (text.size() < 2 || text.front() != '[' || text.back() != ']')
    fake::Reject(where + ": '" + text + "' is not [v,...],[v,...]");
  std::vector<std::vector<long long>> profiles;
  const std::string inner = text.substr(1, text.size() - 2);
  size_t start = 0;
  while (true) {
    size_t end = inner.find("],[", start);
    const std::string profile = inner.substr(start, end - start);
    if (profile.find_first_of("[]") != std::string::npos)
      fake::Reject(where + ": '" + text + "' is not [v,...],[v,...]");
    std::vector<long long> values;
    for (const std::string& value : fake::Split(profile, ','))
      values.push_back(fake::Positive(value, where));
    profiles.push_back(values);
    if (end == std::string::npos) return profiles;
    start = end + 3;
  }
}

// Parses the config; returns the [ascend_context] keys.
std::map<std::string, std::string> ParseConfig(const std::string& path) {
  if (!std::filesystem::is_regular_file(path))
    fake::Reject("--configFile " + path + ": no such file");
  std::map<std::string, std::string> keys;
  std::string section;
  int line_number = 0;
  for (const std::string& line : fake::Split(fake::ReadText(path), '\n')) {
    ++line_number;
    const std::string where = path + ":" + std::to_string(line_number);
    if (line.empty() || line[0] == '#') continue;
    if (line.find_first_of(" \t\r") != std::string::npos)
      fake::Reject(where + ": stray whitespace");
    if (line.front() == '[') {
      if (line != "[ascend_context]") fake::Reject(where + ": unknown section " + line);
      section = line;
      continue;
    }
    if (section.empty()) fake::Reject(where + ": key outside a section");
    const size_t eq = line.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == line.size())
      fake::Reject(where + ": expected key=value");
    const std::string key = line.substr(0, eq);
    if (key != "input_format" && key != "input_shape" && key != "dynamic_dims" &&
        key != "precision_mode" && key != "op_select_impl_mode" && key != "output_type" &&
        key != "insert_op_config_file_path" && key != "fusion_switch_config_file_path")
      fake::Reject(where + ": unknown key " + key);
    if (key.size() > 10 && key.compare(key.size() - 10, 10, "_file_path") == 0 &&
        !std::filesystem::is_regular_file(line.substr(eq + 1)))
      fake::Reject(where + ": " + key + ": no such file " + line.substr(eq + 1));
    if (!keys.emplace(key, line.substr(eq + 1)).second)
      fake::Reject(where + ": " + key + " given twice");
  }
  if (section.empty()) fake::Reject(path + ": no [ascend_context] section");
  return keys;
}

void CheckConfig(const std::map<std::string, std::string>& keys, const std::string& path) {
  if (keys.count("input_format")) {
    const std::string& format = keys.at("input_format");
    if (format != "NCHW" && format != "NHWC" && format != "ND")
      fake::Reject(path + ": input_format " + format + " is not NCHW, NHWC or ND");
  }
  if (!keys.count("input_shape")) {
    if (keys.count("dynamic_dims")) fake::Reject(path + ": dynamic_dims without input_shape");
    return;
  }
  const std::string& shape = keys.at("input_shape");
  const size_t colon = shape.rfind(':');
  if (colon == std::string::npos || colon == 0 || shape.size() < colon + 3 ||
      shape[colon + 1] != '[' || shape.back() != ']')
    fake::Reject(path + ": input_shape '" + shape + "' is not name:[n,c,h,w]");
  const std::vector<long long> dims =
      fake::ParseDims(shape.substr(colon + 2, shape.size() - colon - 3), path + ": input_shape");
  const std::vector<int> dynamic = fake::DynamicIndices(dims);
  if (dynamic.empty()) {
    if (keys.count("dynamic_dims")) fake::Reject(path + ": dynamic_dims but input_shape has no -1");
    return;
  }
  const bool batch_only = dynamic == std::vector<int>{0};
  const bool two_of_chw = dims[0] != -1 && dynamic.size() == 2;
  const bool nd = keys.count("input_format") && keys.at("input_format") == "ND";
  if (!batch_only && !two_of_chw && !nd)
    fake::Reject(path + ": input_shape " + shape +
                 ": only N, or two of C/H/W with N fixed, may be -1");
  if (!keys.count("dynamic_dims")) fake::Reject(path + ": input_shape has -1 but no dynamic_dims");
  fake::CheckProfiles(ParseBracketed(keys.at("dynamic_dims"), path + ": dynamic_dims"), dynamic,
                      path + ": dynamic_dims");
}

}  // namespace

int main(int argc, char** argv) {
  fake::ToolName() = "converter_lite";
  std::string config_text;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind("--configFile=", 0) == 0) config_text = fake::ReadText(arg.substr(13));
  }
  fake::LogArgs(argc, argv, config_text);
  const auto flags = fake::ParseFlags(
      argc, argv,
      {"fmk", "modelFile", "outputFile", "configFile", "saveType", "optimize", "device"});

  if (fake::Require(flags, "fmk") != "ONNX")
    fake::Reject("--fmk: this stand-in converts ONNX only");
  const std::string model = fake::Require(flags, "modelFile");
  if (!std::filesystem::is_regular_file(model))
    fake::Reject("--modelFile " + model + ": no such file");
  const std::string output = fake::Require(flags, "outputFile");
  if (fake::Require(flags, "saveType") != "MINDIR") fake::Reject("--saveType: expected MINDIR");
  if (flags.count("optimize")) {
    const std::string& optimize = flags.at("optimize");
    if (optimize != "none" && optimize != "general" && optimize != "gpu_oriented" &&
        optimize != "ascend_oriented")
      fake::Reject("--optimize '" + optimize +
                   "' is not none, general, gpu_oriented or ascend_oriented");
  }
  const std::string config = fake::Require(flags, "configFile");
  CheckConfig(ParseConfig(config), config);

  const std::string mode = fake::Mode(output);
  if (mode == "os_arch") fake::Reject("FAKE_CONVERTER_MODE os_arch is for atc only");
  nlohmann::json contents = {{"tool", "converter_lite"}, {"config", config_text}};
  return fake::Finish(mode, output + ".mindir", contents.dump() + "\n");
}
