#include "pipeline/job_runner.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace autoscale {
namespace {

std::vector<Job> MakeJobs(const std::vector<std::string>& names) {
  std::vector<Job> jobs;
  for (const std::string& n : names) {
    Job j;
    j.name = n;
    j.convert.output_path = "out/" + n;
    jobs.push_back(j);
  }
  return jobs;
}

JobResult Ok(const Job& job, size_t files) {
  JobResult r;
  r.ok = true;
  for (size_t i = 0; i < files; ++i) r.files.push_back(job.convert.output_path + "/f" + std::to_string(i));
  r.gears = {{"batch", 3}, {"w", 5}};
  r.seconds = 1.5;
  r.report = {{"name", job.name}};
  return r;
}

TEST_CASE("runner: a failed or throwing job does not stop the others", "[jobs]") {
  auto jobs = MakeJobs({"a", "bad", "boom", "d"});
  std::vector<std::string> ran;
  std::ostringstream log;
  auto results = RunJobs(jobs, {}, [&](const Job& job) -> JobResult {
    ran.push_back(job.name);
    if (job.name == "bad") {
      JobResult r;
      r.error = "model m.onnx: input 'x' has 3 channels, not 1";
      return r;
    }
    if (job.name == "boom") throw std::runtime_error("out of memory");
    return Ok(job, 2);
  }, log);
  CHECK(ran == std::vector<std::string>{"a", "bad", "boom", "d"});
  REQUIRE(results.size() == 4);
  CHECK(results[0].ok);
  CHECK(results[0].name == "a");
  CHECK(results[0].output_path == "out/a");
  CHECK_FALSE(results[1].ok);
  CHECK(results[1].error == "model m.onnx: input 'x' has 3 channels, not 1");
  CHECK_FALSE(results[2].ok);
  CHECK(results[2].error == "unexpected error: out of memory");
  CHECK(results[2].name == "boom");
  CHECK(results[3].ok);

  const std::string text = log.str();
  CHECK(text.find("a: started (1 of 4)\n") != std::string::npos);
  CHECK(text.find("a: ok, 2 files, 1.50 s\n") != std::string::npos);
  CHECK(text.find("bad: failed after ") != std::string::npos);
  CHECK(text.find("boom: failed after ") != std::string::npos);
  CHECK(text.find("d: started (4 of 4)\n") != std::string::npos);
}

TEST_CASE("runner: quiet prints nothing", "[jobs]") {
  std::ostringstream log;
  auto results = RunJobs(MakeJobs({"a", "b"}), {1, true},
                         [](const Job& j) { return Ok(j, 1); }, log);
  CHECK(results.size() == 2);
  CHECK(log.str().empty());
}

TEST_CASE("runner: -j N runs N jobs at once and keeps job order", "[jobs]") {
  auto jobs = MakeJobs({"a", "b", "c", "d", "e"});
  std::atomic<int> running{0}, peak{0};
  auto run = [&](const Job& job) {
    int now = ++running;
    int seen = peak.load();
    while (now > seen && !peak.compare_exchange_weak(seen, now)) {
    }
    // Earlier jobs take longer, so they finish out of order.
    std::this_thread::sleep_for(std::chrono::milliseconds(job.name == "a" ? 120 : 40));
    --running;
    return Ok(job, 1);
  };
  std::ostringstream log;
  SECTION("two at once") {
    auto results = RunJobs(jobs, {2, false}, run, log);
    CHECK(peak == 2);
    REQUIRE(results.size() == 5);
    for (size_t i = 0; i < jobs.size(); ++i) CHECK(results[i].name == jobs[i].name);
  }
  SECTION("one at a time by default") {
    RunJobs(jobs, {}, run, log);
    CHECK(peak == 1);
  }
  SECTION("more workers than jobs") {
    auto results = RunJobs(MakeJobs({"a", "b"}), {8, false}, run, log);
    CHECK(peak <= 2);
    CHECK(results.size() == 2);
  }
}

TEST_CASE("runner: the table shows every job, its files, gears, time and error", "[jobs]") {
  auto jobs = MakeJobs({"det", "recognition"});
  std::vector<JobResult> results = {Ok(jobs[0], 12), JobResult()};
  results[1].name = "recognition";
  results[1].error = "no such file";
  results[1].seconds = 0.25;
  results[0].name = "det";
  const std::string table = ResultsTable(results);
  CHECK(table ==
        "job          result  files  gears           time\n"
        "det          ok         12  batch 3, w 5  1.50 s\n"
        "recognition  FAILED      0  -             0.25 s  no such file\n"
        "1 of 2 jobs ok, 1 failed\n");
  CHECK(ResultsTable({Ok(jobs[0], 1)}).find("1 of 1 jobs ok\n") != std::string::npos);
}

TEST_CASE("runner: the JSON has each job's result and report", "[jobs]") {
  auto jobs = MakeJobs({"det", "rec"});
  std::vector<JobResult> results = {Ok(jobs[0], 2), JobResult()};
  results[0].name = "det";
  results[0].output_path = "out/det";
  results[1].name = "rec";
  results[1].output_path = "out/rec";
  results[1].error = "bad shape";
  nlohmann::json j = ResultsJson(results, "jobs.yaml");
  CHECK(j["jobs_file"] == "jobs.yaml");
  CHECK(j["ok"] == false);
  CHECK(j["counts"] == nlohmann::json({{"jobs", 2}, {"ok", 1}, {"failed", 1}}));
  REQUIRE(j["jobs"].size() == 2);
  const auto& det = j["jobs"][0];
  CHECK(det["name"] == "det");
  CHECK(det["ok"] == true);
  CHECK(det["error"].is_null());
  CHECK(det["output_path"] == "out/det");
  CHECK(det["files"] == nlohmann::json({"out/det/f0", "out/det/f1"}));
  CHECK(det["gears"] == nlohmann::json({{"batch", 3}, {"w", 5}}));
  CHECK(det["seconds"] == 1.5);
  CHECK(det["report"]["name"] == "det");
  const auto& rec = j["jobs"][1];
  CHECK(rec["ok"] == false);
  CHECK(rec["error"] == "bad shape");
  CHECK(rec["report"].is_null());
  CHECK(rec["gears"] == nlohmann::json::object());
  CHECK(ResultsJson({results[0]}, "x")["ok"] == true);
}

}  // namespace
}  // namespace autoscale
