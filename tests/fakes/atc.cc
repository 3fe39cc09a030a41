// A stand-in for Ascend's `atc` that checks the command line as strictly as
// the real tool's grammar and writes the file it would write.
// Behaviour switches: see fake_converter.h.
#include <filesystem>

#include "fake_converter.h"

namespace {

const char* const kDynamicOptions[] = {"dynamic_batch_size", "dynamic_image_size", "dynamic_dims"};

// "a,b;c,d": profiles split by ';', values by ','.
std::vector<std::vector<long long>> ParseProfiles(const std::string& text,
                                                  const std::string& where) {
  std::vector<std::vector<long long>> profiles;
  for (const std::string& profile : fake::Split(text, ';')) {
    std::vector<long long> values;
    for (const std::string& value : fake::Split(profile, ','))
      values.push_back(fake::Positive(value, where));
    profiles.push_back(values);
  }
  return profiles;
}

}  // namespace

int main(int argc, char** argv) {
  fake::ToolName() = "atc";
  fake::LogArgs(argc, argv, "");
  const auto flags = fake::ParseFlags(
      argc, argv,
      {"model", "framework", "output", "soc_version", "input_shape", "input_format",
       "dynamic_batch_size", "dynamic_image_size", "dynamic_dims", "log", "precision_mode",
       "insert_op_conf", "output_type", "op_select_implmode"});

  const std::string model = fake::Require(flags, "model");
  if (!std::filesystem::is_regular_file(model)) fake::Reject("--model " + model + ": no such file");
  if (fake::Require(flags, "framework") != "5")
    fake::Reject("--framework: this stand-in converts ONNX (5) only");
  const std::string output = fake::Require(flags, "output");
  fake::Require(flags, "soc_version");
  if (flags.count("log")) {
    const std::string level = flags.at("log");
    if (level != "debug" && level != "info" && level != "warning" && level != "error" &&
        level != "null")
      fake::Reject("--log '" + level + "' is not debug, info, warning, error or null");
  }

  if (flags.count("insert_op_conf")) {
    const std::string conf = flags.at("insert_op_conf");
    if (!std::filesystem::is_regular_file(conf))
      fake::Reject("--insert_op_conf " + conf + ": no such file");
    if (flags.count("dynamic_dims"))
      fake::Reject("--insert_op_conf cannot be used with --dynamic_dims");
  }

  const std::string input_shape = fake::Require(flags, "input_shape");
  const size_t colon = input_shape.rfind(':');
  if (colon == std::string::npos || colon == 0)
    fake::Reject("--input_shape '" + input_shape + "' is not name:n,c,h,w");
  const std::vector<long long> dims =
      fake::ParseDims(input_shape.substr(colon + 1), "--input_shape");
  const std::vector<int> dynamic = fake::DynamicIndices(dims);

  const std::string format = fake::Require(flags, "input_format");
  if (format != "NCHW" && format != "NHWC" && format != "ND")
    fake::Reject("--input_format '" + format + "' is not NCHW, NHWC or ND");

  std::string option;
  for (const char* name : kDynamicOptions) {
    if (!flags.count(name)) continue;
    if (!option.empty())
      fake::Reject("--" + option + " and --" + name + " cannot be used together");
    option = name;
  }
  std::vector<std::vector<long long>> profiles;
  if (option.empty()) {
    if (!dynamic.empty())
      fake::Reject("--input_shape has -1 but no dynamic option gives its values");
  } else {
    const std::string where = "--" + option;
    profiles = ParseProfiles(flags.at(option), where);
    if (option == "dynamic_batch_size") {
      // One list of batch sizes: "1,2,4" is three profiles of one value.
      if (profiles.size() != 1) fake::Reject(where + ": batch sizes are separated by ',' only");
      std::vector<std::vector<long long>> batches;
      for (long long b : profiles[0]) batches.push_back({b});
      profiles = batches;
      if (dynamic != std::vector<int>{0})
        fake::Reject(where + " needs -1 in N of --input_shape and nowhere else");
      if (format == "ND") fake::Reject(where + " needs --input_format NCHW or NHWC");
    } else if (option == "dynamic_image_size") {
      if (dynamic != std::vector<int>{2, 3})
        fake::Reject(where + " needs -1 in H and W of --input_shape and nowhere else");
      if (format == "ND") fake::Reject(where + " needs --input_format NCHW or NHWC");
    } else {
      if (format != "ND") fake::Reject(where + " needs --input_format=ND");
      if (dynamic.empty()) fake::Reject(where + " given but --input_shape has no -1");
    }
    fake::CheckProfiles(profiles, dynamic, where);
  }

  const std::string mode = fake::Mode(output);
  const std::string path = output + (mode == "os_arch" ? "_linux_x86_64.om" : ".om");
  nlohmann::json contents = {{"tool", "atc"}, {"input_shape", input_shape}, {"profiles", profiles}};
  // An offline model starts with the magic "IMOD" (CANN's ModelFileHeader).
  return fake::Finish(mode, path, "IMOD" + contents.dump() + "\n");
}
