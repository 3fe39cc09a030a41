// A stand-in for OpenVINO's `ovc` that checks a static conversion's command
// line (`ovc <model> --input <name>[n,c,h,w] --output_model <path>.xml`) and
// writes the .xml and, beside it, the .bin. Behaviour switches: see
// fake_converter.h (a failed run writes part of the .xml only).
#include <filesystem>

#include "fake_converter.h"

int main(int argc, char** argv) {
  fake::ToolName() = "ovc";
  fake::LogArgs(argc, argv, "");
  if (argc < 2) fake::Reject("the input model is required");
  const std::string model = argv[1];
  if (!std::filesystem::is_regular_file(model)) fake::Reject(model + ": no such file");
  std::map<std::string, std::string> flags;
  for (int i = 2; i < argc; ++i) {
    std::string arg = argv[i];
    std::string value;
    const size_t eq = arg.find('=');
    if (eq != std::string::npos) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
    } else if (i + 1 < argc) {
      value = argv[++i];
    }
    if (arg != "--input" && arg != "--output_model" && arg != "--compress_to_fp16")
      fake::Reject("unknown option " + arg);
    if (value.empty()) fake::Reject(arg + " needs a value");
    if (!flags.emplace(arg.substr(2), value).second) fake::Reject(arg + " given twice");
  }
  const std::string input = fake::Require(flags, "input");
  const size_t open = input.find('[');
  if (open == std::string::npos || open == 0 || input.back() != ']')
    fake::Reject("--input '" + input + "' is not name[n,c,h,w]");
  const std::string dims = input.substr(open + 1, input.size() - open - 2);
  for (const std::string& d : fake::Split(dims, ',')) fake::Positive(d, "--input");
  if (fake::Split(dims, ',').size() != 4) fake::Reject("--input: expected 4 dims");
  const std::string output = fake::Require(flags, "output_model");
  if (std::filesystem::path(output).extension() != ".xml")
    fake::Reject("--output_model " + output + ": expected a .xml path");
  const std::string mode = fake::Mode(output);
  nlohmann::json contents = {{"tool", "ovc"}, {"input", input}};
  const int code = fake::Finish(mode == "os_arch" ? "ok" : mode, output, contents.dump() + "\n");
  if (code == 0 && mode != "no_output")
    fake::WriteOutput(std::filesystem::path(output).replace_extension(".bin").string(),
                      "weights\n");
  return code;
}
