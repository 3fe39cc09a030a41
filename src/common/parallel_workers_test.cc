#include "common/parallel_workers.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace autoscale {
namespace {

TEST_CASE("WorkerCount: as asked, one per core for 0, never more than the items", "[parallel]") {
  CHECK(WorkerCount(3, 10) == 3);
  CHECK(WorkerCount(8, 2) == 2);
  CHECK(WorkerCount(4, 0) == 4);  // unknown item count: as asked
  CHECK(WorkerCount(-5, 1) == 1);
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  CHECK(WorkerCount(0, 1000) == std::min(cores, 1000));
}

TEST_CASE("RunWorkers calls every worker once, on threads of their own", "[parallel]") {
  std::mutex mutex;
  std::multiset<int> seen;
  std::set<std::thread::id> threads;
  std::atomic<int> started{0};
  RunWorkers(3, [&](int worker) {
    // Each waits until all have started: workers run at once, or this
    // would never finish (bounded, so a failure does not hang).
    started++;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (started < 3 && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
    std::lock_guard<std::mutex> lock(mutex);
    seen.insert(worker);
    threads.insert(std::this_thread::get_id());
  });
  CHECK(seen == std::multiset<int>{0, 1, 2});
  CHECK(threads.size() == 3);
  CHECK(threads.count(std::this_thread::get_id()) == 1);  // worker 0 runs here
  CHECK(started == 3);
}

TEST_CASE("RunWorkers with one worker runs on the calling thread", "[parallel]") {
  std::vector<std::thread::id> ids;
  RunWorkers(1, [&](int worker) {
    CHECK(worker == 0);
    ids.push_back(std::this_thread::get_id());
  });
  CHECK(ids == std::vector<std::thread::id>{std::this_thread::get_id()});
}

TEST_CASE("WorkersWithinBudget keeps workers x bytes within the budget", "[parallel]") {
  CHECK(WorkersWithinBudget(1024, 100, 10) == 10);
  CHECK(WorkersWithinBudget(4, 100, 10) == 4);
  CHECK(WorkersWithinBudget(1024, 99, 10) == 9);
  CHECK(WorkersWithinBudget(1024, 5, 10) == 1);  // one worker always runs
  CHECK(WorkersWithinBudget(0, 100, 10) == 1);
  CHECK(WorkersWithinBudget(8, 100, 0) == 8);
}

}  // namespace
}  // namespace autoscale
