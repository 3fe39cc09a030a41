// A stand-in for TensorRT's `trtexec` that checks an engine build's command
// line as strictly as the real tool reads it and writes the engine file.
// Profiles: `--profile=<i>` (0, 1, ... in order) followed by that profile's
// --minShapes, --optShapes and --maxShapes, each `<input>:<n>x<c>x<h>x<w>`,
// min <= opt <= max in every dim. Behaviour switches: see fake_converter.h.
#include <filesystem>

#include "fake_converter.h"

namespace {

const std::set<std::string> kValueFlags = {
    "onnx",        "saveEngine",      "profile",
    "minShapes",   "optShapes",       "maxShapes",
    "memPoolSize", "timingCacheFile", "builderOptimizationLevel"};
const std::set<std::string> kBoolFlags = {"skipInference", "fp16",    "int8",
                                          "best",          "verbose", "noTF32"};

struct Profile {
  std::map<std::string, std::string> shapes;  // minShapes/optShapes/maxShapes -> spec
};

// "x:1x3x48x320" -> name and dims.
std::pair<std::string, std::vector<long long>> ParseShape(const std::string& spec,
                                                          const std::string& where) {
  const size_t colon = spec.rfind(':');
  if (colon == std::string::npos || colon == 0)
    fake::Reject(where + " '" + spec + "' is not name:dims");
  if (spec.find(',') != std::string::npos) fake::Reject(where + ": one input per profile here");
  std::vector<long long> dims;
  for (const std::string& d : fake::Split(spec.substr(colon + 1), 'x'))
    dims.push_back(fake::Positive(d, where));
  if (dims.size() != 4) fake::Reject(where + ": expected 4 dims in '" + spec + "'");
  return {spec.substr(0, colon), dims};
}

}  // namespace

int main(int argc, char** argv) {
  fake::ToolName() = "trtexec";
  fake::LogArgs(argc, argv, "");
  std::map<std::string, std::string> flags;
  std::vector<Profile> profiles;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind("--", 0) != 0) fake::Reject("argument '" + arg + "' is not a --flag");
    const size_t eq = arg.find('=');
    const std::string key = arg.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
    if (kBoolFlags.count(key)) {
      if (eq != std::string::npos) fake::Reject("--" + key + " takes no value");
      continue;
    }
    if (!kValueFlags.count(key)) fake::Reject("unknown option --" + key);
    if (eq == std::string::npos || eq + 1 == arg.size())
      fake::Reject("--" + key + " needs a value");
    const std::string value = arg.substr(eq + 1);
    if (key == "profile") {
      if (value != std::to_string(profiles.size()))
        fake::Reject("--profile=" + value + ": profiles must be numbered 0, 1, ... in order");
      profiles.emplace_back();
    } else if (key == "minShapes" || key == "optShapes" || key == "maxShapes") {
      if (profiles.empty()) profiles.emplace_back();
      if (!profiles.back().shapes.emplace(key, value).second)
        fake::Reject("--" + key + " given twice for profile " +
                     std::to_string(profiles.size() - 1));
    } else if (!flags.emplace(key, value).second) {
      fake::Reject("--" + key + " given twice");
    }
  }
  const std::string model = fake::Require(flags, "onnx");
  if (!std::filesystem::is_regular_file(model)) fake::Reject("--onnx " + model + ": no such file");
  const std::string engine = fake::Require(flags, "saveEngine");
  std::string input;
  nlohmann::json written = nlohmann::json::array();
  for (size_t p = 0; p < profiles.size(); ++p) {
    const std::string where = "profile " + std::to_string(p);
    std::map<std::string, std::vector<long long>> dims;
    for (const char* key : {"minShapes", "optShapes", "maxShapes"}) {
      auto it = profiles[p].shapes.find(key);
      if (it == profiles[p].shapes.end()) fake::Reject(where + ": --" + key + " is missing");
      auto [name, d] = ParseShape(it->second, where + ": --" + key);
      if (input.empty()) input = name;
      if (name != input) fake::Reject(where + ": input '" + name + "' is not '" + input + "'");
      dims[key] = d;
    }
    for (int d = 0; d < 4; ++d)
      if (dims["minShapes"][d] > dims["optShapes"][d] ||
          dims["optShapes"][d] > dims["maxShapes"][d])
        fake::Reject(where + ": min <= opt <= max does not hold in dim " + std::to_string(d));
    written.push_back({dims["minShapes"], dims["optShapes"], dims["maxShapes"]});
  }
  const std::string mode = fake::Mode(engine);
  nlohmann::json contents = {{"tool", "trtexec"}, {"input", input}, {"profiles", written}};
  return fake::Finish(mode == "os_arch" ? "ok" : mode, engine, contents.dump() + "\n");
}
