#include "common/parallel_workers.h"

#include <algorithm>
#include <thread>
#include <vector>

namespace autoscale {

int WorkerCount(int requested, size_t items) {
  int n = requested > 0 ? requested : static_cast<int>(std::thread::hardware_concurrency());
  n = std::max(n, 1);
  if (items > 0 && static_cast<size_t>(n) > items) n = static_cast<int>(items);
  return n;
}

void RunWorkers(int workers, const std::function<void(int worker)>& body) {
  std::vector<std::thread> threads;
  for (int w = 1; w < workers; ++w) threads.emplace_back(body, w);
  body(0);
  for (auto& t : threads) t.join();
}

}  // namespace autoscale
