#include "convert/dry_run_script.h"

#include <filesystem>

#include "common/atomic_file.h"

namespace autoscale {

namespace fs = std::filesystem;

std::string ShellQuote(const std::string& word) {
  static const std::string kSafe =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_@%+=:,./-";
  if (!word.empty() && word.find_first_not_of(kSafe) == std::string::npos) return word;
  std::string quoted = "'";
  for (char c : word) {
    if (c == '\'')
      quoted += "'\\''";
    else
      quoted += c;
  }
  return quoted + "'";
}

std::string ShellCommandLine(const std::vector<std::string>& argv) {
  std::string line;
  for (const std::string& word : argv) {
    if (!line.empty()) line += ' ';
    line += ShellQuote(word);
  }
  return line;
}

std::string DryRunScriptPath(const std::string& output_path) {
  return (fs::path(output_path) / "convert.sh").string();
}

// Text for a comment line: a newline in a path must not end the comment.
static std::string CommentText(std::string text) {
  for (char& c : text)
    if (static_cast<unsigned char>(c) < 0x20) c = '?';
  return text;
}

std::string DryRunScript(const std::vector<ExternalJob>& jobs) {
  std::string text =
      "#!/bin/sh\n"
      "# Written by `autoscale convert --dry-run`: the conversions it would run.\n"
      "# It runs in its own folder, where every path below starts, so the folder can be\n"
      "# moved or copied to another machine (with --copy_model the model is in it too).\n"
      "# A failed conversion does not stop the others; the exit status says if any failed.\n"
      "cd \"$(dirname \"$0\")\" || exit 1\n"
      "status=0\n";
  for (const ExternalJob& job : jobs) {
    const std::string output = fs::path(job.output.path).filename().string();
    text += "\n# " + CommentText(job.name + " -> " + output) + "\n";
    text += ShellCommandLine(job.argv) + " || status=1\n";
  }
  text += "\nexit \"$status\"\n";
  return text;
}

Result<std::vector<ModelOutcome>> WriteDryRun(const std::string& output_path,
                                              const std::vector<ExternalJob>& jobs) {
  const std::string path = DryRunScriptPath(output_path);
  std::error_code ec;
  fs::create_directories(output_path, ec);
  Status written = WriteFileAtomic(path, DryRunScript(jobs));
  if (!written.ok()) return written;
  fs::permissions(path,
                  fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                      fs::perms::others_read | fs::perms::others_exec,
                  ec);
  if (ec) return Status::Error(path + ": cannot make it executable: " + ec.message());
  std::vector<ModelOutcome> outcomes;
  for (const ExternalJob& job : jobs) {
    ModelOutcome outcome;
    outcome.name = job.name;
    outcome.ok = true;
    outcome.files.push_back(job.output.path);
    outcome.files.insert(outcome.files.end(), job.inputs.begin(), job.inputs.end());
    outcomes.push_back(std::move(outcome));
  }
  return outcomes;
}

}  // namespace autoscale
