#include "convert/rknn_backend.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <filesystem>

#include "common/atomic_file.h"
#include "convert/backend_gear_limits.h"
#include "convert/external_backend.h"
#include "stats/core/gear_limits.h"

extern char** environ;

namespace autoscale {

namespace {

constexpr BackendGearLimits kRknnLimits = {"rknn-toolkit2", "dynamic_input shapes", kRknnMaxShapes,
                                           kMaxBatchGear};
constexpr int kMaxConfigDepth = 4;

const char* const kOwnKeys[] = {"target_platform", "dynamic_input"};
const char* const kPythonKeywords[] = {
    "False", "None",     "True",  "and",    "as",   "assert", "async",  "await",    "break",
    "class", "continue", "def",   "del",    "elif", "else",   "except", "finally",  "for",
    "from",  "global",   "if",    "import", "in",   "is",     "lambda", "nonlocal", "not",
    "or",    "pass",     "raise", "return", "try",  "while",  "with",   "yield"};

ConverterBinary PythonBinary(const ConvertOptions& options) {
  return {"python3", options.rknn_python, "--rknn_python",
          "install Python 3 with rknn-toolkit2 (pip install rknn-toolkit2)"};
}

std::string Platform(const ConvertOptions& options) {
  return options.rknn_target_platform.empty() ? "rk3588" : options.rknn_target_platform;
}

bool PrintableAscii(const std::string& text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
}

bool IsIdentifier(const std::string& key) {
  if (key.empty() || std::isdigit(static_cast<unsigned char>(key[0]))) return false;
  return std::all_of(key.begin(), key.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

// The value as a Python literal, or "" with *why set.
std::string PythonValue(const nlohmann::json& value, int depth, std::string* why) {
  if (value.is_boolean()) return value.get<bool>() ? "True" : "False";
  if (value.is_number()) return value.dump();
  if (value.is_string()) {
    const std::string text = value.get<std::string>();
    if (!PrintableAscii(text)) {
      *why = "strings must be printable ASCII";
      return "";
    }
    return PythonString(text);
  }
  if (value.is_array()) {
    if (depth >= kMaxConfigDepth) {
      *why = "lists nest at most " + std::to_string(kMaxConfigDepth) + " deep";
      return "";
    }
    std::string list = "[";
    for (const nlohmann::json& item : value) {
      const std::string text = PythonValue(item, depth + 1, why);
      if (text.empty()) return "";
      list += (list.size() > 1 ? ", " : "") + text;
    }
    return list + "]";
  }
  *why = "expected a number, true/false, a string or a list of them, got " +
         std::string(value.is_null() ? "nothing" : "a mapping");
  return "";
}

std::string ShapeList(const FullShape& g) {
  return "[" + std::to_string(g[0]) + ", " + std::to_string(g[1]) + ", " + std::to_string(g[2]) +
         ", " + std::to_string(g[3]) + "]";
}

// Runs argv with no output; true when it exits 0.
bool Succeeds(const std::vector<std::string>& argv) {
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  const int error = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (error != 0) return false;
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

class RknnBackend : public Backend {
 public:
  Status Validate(const Plan& plan, const ConvertOptions& options) const override {
    Status status = CheckRknnTargetPlatform(Platform(options));
    if (!status.ok()) return status;
    status = CheckRknnConfig(options.rknn_config);
    if (!status.ok()) return status;
    for (const PlannedModel& model : plan.models) {
      status = CheckBackendGears(model, kRknnLimits);
      if (!status.ok()) return status;
    }
    status = ValidateExternalBinary(plan, options, PythonBinary(options));
    if (!status.ok() || options.dry_run) return status;
    Result<std::string> python = FindConverter(PythonBinary(options));
    if (!python.ok()) return python.status();
    if (!Succeeds({*python, "-c", "import rknn.api"}))
      return Status::Error(*python +
                           " cannot import rknn.api: install rknn-toolkit2 (pip install "
                           "rknn-toolkit2), pass --rknn_python, or use --dry-run to write the "
                           "scripts only");
    return Status::Ok();
  }

  std::vector<ModelOutcome> Convert(const Plan& plan,
                                    const ConvertOptions& options) const override {
    Result<std::string> python = ConverterArgv0(options, PythonBinary(options));
    if (!python.ok()) return FailEveryModel(plan, python.message());
    std::error_code ec;
    std::filesystem::create_directories(options.output_path, ec);  // else the write says why
    Status copied = CopyDryRunInputs(plan, options);
    if (!copied.ok()) return FailEveryModel(plan, copied.message());
    std::vector<ExternalJob> jobs;
    for (const PlannedModel& model : plan.models) {
      const std::string script = RknnScriptPath(options, model);
      Status written = WriteFileAtomic(script, RknnScriptText(plan, model, options));
      if (!written.ok()) return FailEveryModel(plan, written.message());
      ExternalJob job = ModelJob(
          options, model, {*python, CommandOutputBase(options, model) + "_rknn.py"}, ".rknn");
      job.inputs.push_back(script);
      jobs.push_back(std::move(job));
    }
    std::vector<ModelOutcome> outcomes = RunOrWriteScript(jobs, options);
    for (ModelOutcome& outcome : outcomes)
      if (outcome.ok) outcome.gears_json = {{"target_platform", Platform(options)}};
    return outcomes;
  }
};

}  // namespace

std::string PythonString(const std::string& text) {
  const bool plain = PrintableAscii(text);
  std::string literal = plain ? "'" : "b'";
  for (char c : text) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (c == '\\' || c == '\'') {
      literal += '\\';
      literal += c;
    } else if (u < 0x20 || u >= 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", u);
      literal += buf;
    } else {
      literal += c;
    }
  }
  literal += "'";
  return plain ? literal : literal + ".decode('utf-8', 'surrogateescape')";
}

std::string RknnScriptPath(const ConvertOptions& options, const PlannedModel& model) {
  return ModelOutputBase(options, model) + "_rknn.py";
}

std::string RknnScriptText(const Plan& plan, const PlannedModel& model,
                           const ConvertOptions& options) {
  std::string extra;
  for (const auto& [key, value] : options.rknn_config.items()) {
    std::string why;
    extra += ",\n        " + key + "=" + PythonValue(value, 0, &why);
  }
  std::string dynamic;
  if (model.gears.size() > 1) {
    dynamic = ",\n        dynamic_input=[\n";
    for (const FullShape& g : model.gears) dynamic += "            [" + ShapeList(g) + "],\n";
    dynamic += "        ]";
  }
  const std::string output = ModelOutputBase(options, model) + ".rknn";
  // A dry run's script finds the model and writes the output relative to its
  // own folder, so it runs from anywhere and the folder can be moved.
  const auto path = [&options](const std::string& word) {
    return options.dry_run ? "os.path.join(HERE, " + PythonString(word) + ")" : PythonString(word);
  };
  return "#!/usr/bin/env python3\n"
         "# Written by `autoscale convert --backend rknn`: builds " +
         std::filesystem::path(output).filename().string() +
         " with rknn-toolkit2,\n"
         "# one input shape per gear.\n"
         "import os\n"
         "import sys\n"
         "\n"
         "from rknn.api import RKNN\n"
         "\n"
         "HERE = os.path.dirname(os.path.abspath(__file__))\n"
         "\n"
         "\n"
         "def main():\n"
         "    rknn = RKNN()\n"
         "    rknn.config(\n"
         "        target_platform=" +
         PythonString(Platform(options)) + dynamic + extra +
         ")\n"
         "    steps = [\n"
         "        ('load_onnx', lambda: rknn.load_onnx(\n"
         "            model=" +
         path(CommandModelPath(plan, options)) + ",\n            inputs=[" +
         PythonString(plan.input_name) + "],\n            input_size_list=[" +
         ShapeList(model.gears.back()) +
         "])),\n"
         "        ('build', lambda: rknn.build(do_quantization=False)),\n"
         "        ('export_rknn', lambda: rknn.export_rknn(" +
         path(CommandOutputBase(options, model) + ".rknn") +
         ")),\n"
         "    ]\n"
         "    for name, step in steps:\n"
         "        ret = step()\n"
         "        if ret != 0:\n"
         "            print('rknn: %s failed (%s)' % (name, ret), file=sys.stderr)\n"
         "            rknn.release()\n"
         "            return 1\n"
         "    rknn.release()\n"
         "    return 0\n"
         "\n"
         "\n"
         "if __name__ == '__main__':\n"
         "    sys.exit(main())\n";
}

Status CheckRknnTargetPlatform(const std::string& platform) {
  if (platform.empty() || !std::all_of(platform.begin(), platform.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
      }))
    return Status::Error("rknn.target_platform (--rknn_target_platform) '" + platform +
                         "': expected lowercase letters and digits, e.g. rk3588");
  return Status::Ok();
}

Status CheckRknnConfig(const nlohmann::json& config) {
  if (!config.is_object()) return Status::Error("rknn.config: expected a mapping");
  for (const auto& [key, value] : config.items()) {
    const std::string at = "rknn.config." + key;
    if (!IsIdentifier(key) || std::find(std::begin(kPythonKeywords), std::end(kPythonKeywords),
                                        key) != std::end(kPythonKeywords))
      return Status::Error("rknn.config: key '" + key + "' is not a Python keyword argument name");
    for (const char* own : kOwnKeys)
      if (key == own)
        return Status::Error(at + ": autoscale sets " + key +
                             " itself (rknn.target_platform, the gears)");
    std::string why;
    if (PythonValue(value, 0, &why).empty()) return Status::Error(at + ": " + why);
  }
  return Status::Ok();
}

std::unique_ptr<Backend> MakeRknnBackend() { return std::make_unique<RknnBackend>(); }

}  // namespace autoscale
