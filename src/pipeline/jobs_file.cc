#include "pipeline/jobs_file.h"

#include "pipeline/job_options.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <optional>
#include <set>

#include "common/atomic_file.h"
#include "pipeline/config_yaml.h"
#include "pipeline/yaml_bounds.h"
#include "pipeline/yaml_keys.h"

namespace autoscale {

namespace fs = std::filesystem;

namespace {

// Where a message points ("jobs.yaml:12") and in which part of the file
// ("job 'rec'", "defaults").
struct Where {
  std::string file;
  std::string scope;
  std::string At(const YAML::Node& node) const {
    std::string s = file;
    if (node.Mark().line >= 0) s += ":" + std::to_string(node.Mark().line + 1);
    return scope.empty() ? s : s + ": " + scope;
  }
};

int LineOf(const YAML::Node& node) { return node.Mark().line >= 0 ? node.Mark().line + 1 : 0; }

size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
      diagonal = up;
    }
  }
  return row[b.size()];
}

std::string UnknownKey(const std::string& key, const std::vector<std::string>& known) {
  std::string msg = "unknown key '" + key + "'";
  if (key == "<<") return msg + " (YAML merge keys are not supported; use defaults:)";
  std::string best;
  size_t best_distance = 3;
  for (const std::string& k : known) {
    size_t d = EditDistance(CanonicalJobKey(key), k);
    if (d < best_distance) best = k, best_distance = d;
  }
  return best.empty() ? msg : msg + " (did you mean '" + best + "'?)";
}

std::vector<std::string> OptionNames(bool in_job) {
  std::vector<std::string> names = JobOptionNames();
  if (in_job) names.insert(names.begin(), "name");
  names.push_back("auto_scaling");
  return names;
}

// Overrides are checked on their own first (keys, types, ranges); how they
// combine with a job's config file is CheckJobConfig's. interval 1 cannot
// conflict with any range, so only what the overrides themselves say fails.
ScalingConfig OverrideCheckBase() {
  ScalingConfig base;
  base.interval = 1;
  return base;
}

Status AddAutoScaling(const YAML::Node& key, const YAML::Node& node, const Where& where,
                      Job* job) {
  if (node.IsNull()) return Status::Ok();
  if (!node.IsMap())
    return Status::Error(where.At(key) + ": key 'auto_scaling': expected a mapping of config "
                         "keys, got " + DescribeYaml(node));
  ScalingConfig scratch = OverrideCheckBase();
  Status s = ApplyConfigYaml(
      node, ConfigOrigin{where.file, where.scope + ": auto_scaling", LineOf(key)}, &scratch);
  if (!s.ok()) return s;
  job->pipeline.yaml_overrides.emplace_back(where.file, node);
  return Status::Ok();
}

// Applies one mapping of options (the defaults or a job) over `job`.
Status ApplyOptions(const YAML::Node& map, const Where& where, const fs::path& base, bool in_job,
                    Job* job, bool* sets_output) {
  KeysSeen seen;
  const std::vector<std::string> known = OptionNames(in_job);
  for (const auto& kv : map) {
    const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : DescribeYaml(kv.first);
    const std::string canonical = CanonicalJobKey(key);
    const std::string at = where.At(kv.first);
    const std::string twice = seen.Add(canonical, key, kv.first);
    if (!twice.empty()) return Status::Error(at + ": " + twice);
    if (canonical == "name") {
      if (!in_job) return Status::Error(at + ": key 'name' belongs in a job, not in defaults");
      continue;  // read by the caller
    }
    if (canonical == "auto_scaling") {
      Status s = AddAutoScaling(kv.first, kv.second, where, job);
      if (!s.ok()) return s;
      continue;
    }
    std::optional<std::string> why = SetJobOption(canonical, kv.second, base, job);
    if (!why) return Status::Error(at + ": " + UnknownKey(key, known));
    if (!why->empty()) return Status::Error(at + ": key '" + key + "': " + *why);
    if (canonical == "output_path") *sets_output = true;
  }
  return Status::Ok();
}

bool SafeFolderName(const std::string& name) {
  if (name.empty() || name.size() > 100 || name[0] == '.' || name[0] == '-') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
  });
}

// The job's name, read before its other keys so every message can name it.
Result<std::string> ReadName(const YAML::Node& entry, const Where& where, size_t index) {
  const std::string entry_scope = "jobs entry " + std::to_string(index + 1);
  for (const auto& kv : entry) {
    if (!kv.first.IsScalar() || CanonicalJobKey(kv.first.Scalar()) != "name") continue;
    const YAML::Node& n = kv.second;
    if (!n.IsScalar() || n.Scalar().empty())
      return Status::Error(where.file + ":" + std::to_string(LineOf(kv.first)) + ": " +
                           entry_scope + ": key 'name': expected a folder name, got " +
                           DescribeYaml(n));
    if (!SafeFolderName(n.Scalar()))
      return Status::Error(where.file + ":" + std::to_string(LineOf(kv.first)) + ": job '" +
                           n.Scalar() + "': name must be letters, digits, '.', '_' or '-', "
                           "not starting with '.' or '-' (it names the job's output folder)");
    return n.Scalar();
  }
  return Status::Error(where.file + ":" + std::to_string(LineOf(entry)) + ": " + entry_scope +
                       ": no name (each job needs one; it names its output folder)");
}

// The folders and files a job writes, for the overlap check.
std::vector<std::pair<std::string, std::string>> Targets(const Job& job) {
  std::vector<std::pair<std::string, std::string>> t = {{"output folder", job.convert.output_path}};
  if (!job.pipeline.json_path.empty()) t.emplace_back("json file", job.pipeline.json_path);
  if (!job.pipeline.report_path.empty()) t.emplace_back("report file", job.pipeline.report_path);
  if (!job.pipeline.save_profile_path.empty())
    t.emplace_back("save_profile file", job.pipeline.save_profile_path);
  if (!job.pipeline.cost_plan_path.empty())
    t.emplace_back("cost_plan file", job.pipeline.cost_plan_path);
  return t;
}

std::string Identity(const std::string& path) {
  std::error_code ec;
  fs::path p = fs::weakly_canonical(fs::absolute(path, ec), ec);
  if (ec) p = fs::absolute(path, ec).lexically_normal();
  std::string s = p.string();
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return s;
}

Status CheckOverlaps(const std::vector<Job>& jobs, const std::string& file) {
  struct Owner {
    const Job* job;
    std::string what;
  };
  std::map<std::string, Owner> owners;
  for (const Job& job : jobs) {
    for (const auto& [what, path] : Targets(job)) {
      auto [it, fresh] = owners.emplace(Identity(path), Owner{&job, what});
      if (fresh || it->second.job == &job) continue;
      return Status::Error(file + ":" + std::to_string(job.line) + ": job '" + job.name + "': " +
                           what + " " + path + " is also the " + it->second.what + " of job '" +
                           it->second.job->name + "' (line " +
                           std::to_string(it->second.job->line) + "); give each job its own " +
                           (what == "output folder" ? "output_path" : "file"));
    }
  }
  return Status::Ok();
}

// Values quoted in messages may hold line breaks; the message stays one line.
Status OneLine(const Status& status) {
  if (status.ok()) return status;
  std::string line;
  for (char c : status.message()) {
    if (c == '\n')
      line += "\\n";
    else if (c == '\r')
      line += "\\r";
    else if (static_cast<unsigned char>(c) < 0x20)
      line += ' ';
    else
      line += c;
  }
  return Status::Error(line);
}

// The file's root: a mapping, else an error naming the file.
Result<YAML::Node> LoadRoot(const std::string& text, const std::string& path) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    return Status::Error(path + ":" + std::to_string(e.mark.line + 1) + ": not valid YAML: " +
                         e.msg);
  }
  Status bounded = CheckYamlBounds(root, path);
  if (!bounded.ok()) return bounded;
  if (root.IsNull()) return Status::Error(path + ": empty; expected defaults: and jobs:");
  if (!root.IsMap())
    return Status::Error(path + ":" + std::to_string(LineOf(root)) +
                         ": expected a mapping with defaults: and jobs:, got " + DescribeYaml(root));
  return root;
}

// The root's two keys, each at most once, and no other.
struct TopLevel {
  std::optional<YAML::Node> defaults, jobs;
};

Result<TopLevel> SplitTopLevel(const YAML::Node& root, const Where& top) {
  TopLevel t;
  for (const auto& kv : root) {
    const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : DescribeYaml(kv.first);
    auto* slot = key == "defaults" ? &t.defaults : key == "jobs" ? &t.jobs : nullptr;
    if (!slot)
      return Status::Error(top.At(kv.first) + ": unknown key '" + key +
                           "' (a jobs file has defaults: and jobs:)");
    if (*slot) return Status::Error(top.At(kv.first) + ": key '" + key + "' given twice");
    *slot = kv.second;
  }
  return t;
}

// The job every job starts from: the built-in options with defaults: applied.
Result<Job> ReadDefaults(const std::optional<YAML::Node>& node, const std::string& path,
                         const fs::path& base) {
  Job defaults;
  defaults.convert.output_path = ResolveJobPath(base, defaults.convert.output_path);
  if (!node || node->IsNull()) return defaults;
  if (!node->IsMap())
    return Status::Error(path + ":" + std::to_string(LineOf(*node)) +
                         ": defaults: expected a mapping of job options, got " +
                         DescribeYaml(*node));
  bool ignored = false;
  Status s = ApplyOptions(*node, {path, "defaults"}, base, false, &defaults, &ignored);
  if (!s.ok()) return s;
  return defaults;
}

// The jobs: list, checked to hold at least one entry.
Status CheckJobsList(const std::optional<YAML::Node>& node, const std::string& path) {
  if (!node || node->IsNull())
    return Status::Error(path + ": no jobs (add a jobs: list, each job with a name and a "
                         "model_path)");
  if (!node->IsSequence())
    return Status::Error(path + ":" + std::to_string(LineOf(*node)) +
                         ": jobs: expected a list of jobs, got " + DescribeYaml(*node));
  if (node->size() == 0) return Status::Error(path + ": no jobs (the jobs: list is empty)");
  return Status::Ok();
}

// Entry `index` of the jobs: list over `defaults`; `names` holds the names
// taken so far (name -> line).
Result<Job> ReadJob(const YAML::Node& entry, size_t index, const Job& defaults,
                    const std::string& path, const fs::path& base,
                    std::map<std::string, int>* names) {
  if (!entry.IsMap())
    return Status::Error(path + ":" + std::to_string(LineOf(entry)) + ": jobs entry " +
                         std::to_string(index + 1) +
                         ": expected a mapping with name and options, got " + DescribeYaml(entry));
  auto name = ReadName(entry, Where{path, ""}, index);
  if (!name.ok()) return name.status();
  const Where where{path, "job '" + *name + "'"};
  auto [it, fresh] = names->emplace(*name, LineOf(entry));
  if (!fresh)
    return Status::Error(where.At(entry) + ": name already used by the job on line " +
                         std::to_string(it->second));

  Job job = defaults;
  job.name = *name;
  job.line = LineOf(entry);
  bool sets_output = false;
  Status s = ApplyOptions(entry, where, base, true, &job, &sets_output);
  if (!s.ok()) return s;
  if (!sets_output)
    job.convert.output_path = (fs::path(defaults.convert.output_path) / job.name).string();
  if (job.convert.model_path.empty())
    return Status::Error(where.At(entry) + ": no model_path (set it in the job or in defaults)");
  if (job.pipeline.input_shape.empty() && job.pipeline.profile_path.empty())
    return Status::Error(where.At(entry) +
                         ": no input_shape (set it in the job or in defaults, or give a profile)");
  return job;
}

Result<JobsFile> Parse(const std::string& text, const std::string& path) {
  auto root = LoadRoot(text, path);
  if (!root.ok()) return root.status();
  auto top = SplitTopLevel(*root, Where{path, ""});
  if (!top.ok()) return top.status();
  const fs::path base = fs::path(path).parent_path();
  auto defaults = ReadDefaults(top->defaults, path, base);
  if (!defaults.ok()) return defaults.status();
  Status listed = CheckJobsList(top->jobs, path);
  if (!listed.ok()) return listed;

  JobsFile file;
  file.path = path;
  std::map<std::string, int> names;
  const YAML::Node& jobs = *top->jobs;
  for (size_t i = 0; i < jobs.size(); ++i) {
    auto job = ReadJob(jobs[i], i, *defaults, path, base, &names);
    if (!job.ok()) return job.status();
    file.jobs.push_back(std::move(*job));
  }
  Status overlaps = CheckOverlaps(file.jobs, path);
  if (!overlaps.ok()) return overlaps;
  return file;
}

Status CheckConfig(const Job& job, const std::string& jobs_path) {
  const std::string scope = "job '" + job.name + "'";
  const std::string at = jobs_path + ":" + std::to_string(job.line) + ": " + scope + ": ";
  ScalingConfig config;
  if (!job.pipeline.config_path.empty()) {
    std::error_code ec;
    if (!fs::is_regular_file(job.pipeline.config_path, ec))
      return Status::Error(at + "config " + job.pipeline.config_path + ": no such file");
    Status s = LoadConfigFile(job.pipeline.config_path, &config);
    if (!s.ok()) return Status::Error(at + "config " + s.message());
  }
  for (const auto& [origin, mapping] : job.pipeline.yaml_overrides) {
    Status s = ApplyConfigYaml(mapping, ConfigOrigin{origin, scope, job.line}, &config);
    if (!s.ok()) return s;
  }
  for (const std::string& assignment : job.pipeline.overrides) {
    Status s = ApplyConfigOverride(assignment, &config);
    if (!s.ok()) return Status::Error(at + s.message());
  }
  return Status::Ok();
}

}  // namespace

Result<JobsFile> ParseJobsFile(const std::string& text, const std::string& path) {
  auto file = Parse(text, path);
  if (!file.ok()) return OneLine(file.status());
  return file;
}

Result<JobsFile> LoadJobsFile(const std::string& path) {
  auto text = ReadFile(path);
  if (!text.ok()) return text.status();
  return ParseJobsFile(*text, path);
}

Result<std::vector<Job>> SelectJobs(const JobsFile& file, const std::vector<std::string>& only) {
  if (only.empty()) return file.jobs;
  std::set<std::string> wanted;
  for (const std::string& entry : only) {
    size_t start = 0;
    while (start <= entry.size()) {
      size_t comma = std::min(entry.find(',', start), entry.size());
      std::string name = entry.substr(start, comma - start);
      name.erase(0, name.find_first_not_of(" \t"));
      name.erase(name.find_last_not_of(" \t") + 1);
      if (name.empty()) return Status::Error("--only '" + entry + "': empty job name");
      wanted.insert(name);
      start = comma + 1;
    }
  }
  std::string all;
  for (const Job& job : file.jobs) all += (all.empty() ? "" : ", ") + job.name;
  for (const std::string& name : wanted) {
    bool found = std::any_of(file.jobs.begin(), file.jobs.end(),
                             [&](const Job& j) { return j.name == name; });
    if (!found)
      return Status::Error("--only " + name + ": no such job in " + file.path + " (jobs: " + all +
                           ")");
  }
  std::vector<Job> selected;
  for (const Job& job : file.jobs)
    if (wanted.count(job.name)) selected.push_back(job);
  return selected;
}

Status CheckConfigOverrides(const std::vector<std::string>& assignments) {
  ScalingConfig scratch = OverrideCheckBase();
  for (const std::string& assignment : assignments) {
    Status s = ApplyConfigOverride(assignment, &scratch);
    if (!s.ok()) return OneLine(s);
  }
  return Status::Ok();
}

Status CheckJobConfig(const Job& job, const std::string& jobs_path) {
  return OneLine(CheckConfig(job, jobs_path));
}

}  // namespace autoscale
