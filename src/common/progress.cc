#include "common/progress.h"

#include <unistd.h>

#include <cstdio>

namespace autoscale {

Progress::Progress(bool enabled, std::string what, uint64_t total)
    : enabled_(enabled && ::isatty(STDERR_FILENO)),
      what_(std::move(what)),
      total_(total),
      start_(std::chrono::steady_clock::now()) {}

Progress::~Progress() {
  if (enabled_ && drawn_) std::fprintf(stderr, "\r\033[K");
}

void Progress::Advance(uint64_t n) {
  uint64_t done = done_.fetch_add(n, std::memory_order_relaxed) + n;
  if (!enabled_) return;
  // Look at the clock only every 256 items: Advance is called per file.
  if ((done & 255) >= n) return;
  Draw(false);
}

void Progress::Draw(bool) {
  auto now = std::chrono::steady_clock::now();
  int64_t ms = std::chrono::duration_cast<std::chrono::milliseconds>(now - start_).count();
  if (ms < 1000) return;
  int64_t last = last_draw_ms_.load(std::memory_order_relaxed);
  if (ms - last < 100) return;
  if (!last_draw_ms_.compare_exchange_strong(last, ms)) return;
  std::lock_guard<std::mutex> lock(draw_mutex_);
  uint64_t done = done_.load(), total = total_.load();
  double rate = done / (ms / 1000.0);
  if (total)
    std::fprintf(stderr, "\r\033[K%llu/%llu %s (%.0f%%, %.0f/s)", (unsigned long long)done,
                 (unsigned long long)total, what_.c_str(), 100.0 * done / total, rate);
  else
    std::fprintf(stderr, "\r\033[K%llu %s (%.0f/s)", (unsigned long long)done, what_.c_str(),
                 rate);
  std::fflush(stderr);
  drawn_ = true;
}

}  // namespace autoscale
