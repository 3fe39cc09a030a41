// Runs the built `autoscale` binary (or any program) for end-to-end tests and
// captures its exit code, stdout and stderr.
#pragma once

#include <string>
#include <vector>

namespace autoscale::test {

struct RunResult {
  int exit_code = -1;  // 128 + signal when killed by a signal
  std::string out;
  std::string err;
};

// Runs argv[0] (a path) with the given arguments, no shell involved.
// `env` entries ("NAME=value") are added to the environment.
RunResult RunProgram(const std::vector<std::string>& argv,
                     const std::vector<std::string>& env = {}, const std::string& cwd = "");

// build/bin/autoscale with `args`.
RunResult RunAutoscale(const std::vector<std::string>& args,
                       const std::vector<std::string>& env = {}, const std::string& cwd = "");

std::string SourcePath(const std::string& relative);  // <repo>/<relative>
std::string BinaryPath(const std::string& relative);   // <build>/<relative>

// A fresh empty folder under the system temp dir, removed on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Writes a file (creating its folders); returns its path.
std::string WriteTextFile(const std::string& path, const std::string& contents);
std::string ReadTextFile(const std::string& path);

}  // namespace autoscale::test
