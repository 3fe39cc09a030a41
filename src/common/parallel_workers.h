// Runs work on a fixed number of threads that pull their items themselves
// (an atomic counter in the body), so uneven items balance out: the readers'
// chunks, the gears of a model, external conversions, jobs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>

namespace autoscale {

// Threads for `items` units of work: `requested`, or one per core when it is
// 0 or less; at least 1 and at most `items` (when items > 0).
int WorkerCount(int requested, size_t items);

// `workers` lowered so that workers x `bytes_per_worker` stays within
// `budget_bytes` (at least 1): the memory a pool of buffers may hold,
// whatever thread count was asked for.
int WorkersWithinBudget(int workers, uint64_t budget_bytes, uint64_t bytes_per_worker);

// Calls body(worker) for worker 0..workers-1, each on its own thread (worker
// 0 on the calling thread), and returns when all have returned.
void RunWorkers(int workers, const std::function<void(int worker)>& body);

}  // namespace autoscale
