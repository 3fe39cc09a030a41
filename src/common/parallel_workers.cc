#include "common/parallel_workers.h"

#include <algorithm>
#include <cstdint>
#include <thread>
#include <vector>

namespace autoscale {

int WorkerCount(int requested, size_t items) {
  int n = requested > 0 ? requested : static_cast<int>(std::thread::hardware_concurrency());
  n = std::max(n, 1);
  if (items > 0 && static_cast<size_t>(n) > items) n = static_cast<int>(items);
  return n;
}

int WorkersWithinBudget(int workers, uint64_t budget_bytes, uint64_t bytes_per_worker) {
  const uint64_t fit = bytes_per_worker == 0 ? UINT64_MAX : budget_bytes / bytes_per_worker;
  return static_cast<int>(std::max<uint64_t>(1, std::min<uint64_t>(std::max(workers, 1), fit)));
}

void RunWorkers(int workers, const std::function<void(int worker)>& body) {
  std::vector<std::thread> threads;
  for (int w = 1; w < workers; ++w) threads.emplace_back(body, w);
  body(0);
  for (auto& t : threads) t.join();
}

}  // namespace autoscale
