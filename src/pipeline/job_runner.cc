#include "pipeline/job_runner.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <exception>
#include <mutex>
#include <vector>

#include "common/parallel_workers.h"
#include "common/text_format.h"

namespace autoscale {

namespace {

std::string Seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, s < 10 ? "%.2f s" : "%.1f s", s);
  return buf;
}

std::string FilesText(size_t n) { return std::to_string(n) + (n == 1 ? " file" : " files"); }

// A job function that throws is that job's failure, not the end of the run.
JobResult RunOne(const Job& job, const JobFunction& run) {
  const auto start = std::chrono::steady_clock::now();
  JobResult r;
  try {
    r = run(job);
  } catch (const std::exception& e) {
    r = JobResult();
    r.error = std::string("unexpected error: ") + e.what();
  } catch (...) {
    r = JobResult();
    r.error = "unexpected error";
  }
  r.name = job.name;
  if (r.output_path.empty()) r.output_path = job.convert.output_path;
  if (r.seconds <= 0)
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!r.ok && r.error.empty()) r.error = "failed";
  return r;
}

}  // namespace

std::vector<JobResult> RunJobs(const std::vector<Job>& jobs, const JobRunOptions& options,
                               const JobFunction& run, std::ostream& log) {
  std::vector<JobResult> results(jobs.size());
  std::mutex log_mutex;
  std::atomic<size_t> next{0};
  const std::string total = std::to_string(jobs.size());
  auto say = [&](const std::string& line) {
    if (options.quiet) return;
    std::lock_guard<std::mutex> lock(log_mutex);
    log << PrintableText(line) << '\n' << std::flush;
  };
  auto worker = [&]() {
    for (size_t i = next++; i < jobs.size(); i = next++) {
      say(jobs[i].name + ": started (" + std::to_string(i + 1) + " of " + total + ")");
      results[i] = RunOne(jobs[i], run);
      const JobResult& r = results[i];
      if (r.ok)
        say(r.name + ": ok, " + FilesText(r.files.size()) + ", " + Seconds(r.seconds));
      else
        say(r.name + ": failed after " + Seconds(r.seconds) + ": " + r.error);
    }
  };
  RunWorkers(WorkerCount(std::max(1, options.parallel), jobs.size()), [&](int) { worker(); });
  return results;
}

std::string GearCountsText(const JobResult& r) {
  std::string s;
  for (const auto& [dim, count] : r.gears)
    s += (s.empty() ? "" : ", ") + dim + " " + std::to_string(count);
  return s.empty() ? "-" : s;
}

std::string ResultsTable(const std::vector<JobResult>& results) {
  const std::vector<std::string> header = {"job", "result", "files", "gears", "time"};
  std::vector<std::vector<std::string>> rows;
  for (const JobResult& r : results)
    rows.push_back({r.name, r.ok ? "ok" : "FAILED", std::to_string(r.files.size()),
                    GearCountsText(r), Seconds(r.seconds)});
  std::vector<size_t> width(header.size());
  for (size_t c = 0; c < header.size(); ++c) {
    width[c] = header[c].size();
    for (const auto& row : rows) width[c] = std::max(width[c], row[c].size());
  }
  // Numbers right-aligned, text left-aligned.
  auto line = [&](const std::vector<std::string>& cells) {
    std::string s;
    for (size_t c = 0; c < cells.size(); ++c) {
      const std::string pad(width[c] - cells[c].size(), ' ');
      const bool right = c == 2 || c == 4;
      s +=
          (c ? "  " : "") + (right ? pad + cells[c] : cells[c] + (c + 1 < cells.size() ? pad : ""));
    }
    return s;
  };
  std::string out = line(header) + "\n";
  size_t ok = 0;
  for (size_t i = 0; i < rows.size(); ++i) {
    out += line(rows[i]);
    if (results[i].ok)
      ++ok;
    else
      out += "  " + PrintableText(results[i].error);
    out += "\n";
  }
  out += std::to_string(ok) + " of " + std::to_string(results.size()) + " jobs ok";
  if (ok < results.size()) out += ", " + std::to_string(results.size() - ok) + " failed";
  return out + "\n";
}

nlohmann::json ResultsJson(const std::vector<JobResult>& results, const std::string& jobs_path) {
  nlohmann::json jobs = nlohmann::json::array();
  size_t ok = 0;
  for (const JobResult& r : results) {
    ok += r.ok;
    nlohmann::json gears = nlohmann::json::object();
    for (const auto& [dim, count] : r.gears) gears[dim] = count;
    jobs.push_back({{"name", r.name},
                    {"ok", r.ok},
                    {"error", r.ok ? nlohmann::json(nullptr) : nlohmann::json(r.error)},
                    {"output_path", r.output_path},
                    {"files", r.files},
                    {"gears", gears},
                    {"seconds", r.seconds},
                    {"report", r.report}});
  }
  return {{"jobs_file", jobs_path},
          {"ok", ok == results.size()},
          {"counts", {{"jobs", results.size()}, {"ok", ok}, {"failed", results.size() - ok}}},
          {"jobs", jobs}};
}

}  // namespace autoscale
