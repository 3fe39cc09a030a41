// Fuzzes the jobs file parser of `autoscale run`: any bytes must parse into
// valid jobs or fail with one line naming the file, never crash.
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>

#include "pipeline/jobs_file.h"

using namespace autoscale;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = "fuzz/jobs.yaml";
  auto file = ParseJobsFile(std::string(reinterpret_cast<const char*>(data), size), path);
  if (!file.ok()) {
    const std::string& m = file.message();
    if (m.rfind(path, 0) != 0 || m.find('\n') != std::string::npos) std::abort();
    return 0;
  }
  if (file->jobs.empty()) std::abort();
  std::set<std::string> names, folders;
  for (const Job& job : file->jobs) {
    if (job.name.empty() || !names.insert(job.name).second) std::abort();
    if (job.convert.model_path.empty() || job.convert.output_path.empty()) std::abort();
    if (job.pipeline.input_shape.empty() && job.pipeline.profile_path.empty()) std::abort();
    if (!folders.insert(job.convert.output_path).second) std::abort();
  }
  return 0;
}
