// A one-line progress display on stderr for long scans: silent for the first
// second, only when stderr is a terminal, redrawn at most ten times a second.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace autoscale {

class Progress {
 public:
  // `what` names the units ("images", "lines"); `total` is 0 when unknown.
  Progress(bool enabled, std::string what, uint64_t total = 0);
  ~Progress();  // clears the line
  // Thread-safe; cheap enough to call per item.
  void Advance(uint64_t n = 1);
  void SetTotal(uint64_t total) { total_ = total; }

 private:
  void Draw(bool final);
  bool enabled_;
  std::string what_;
  std::atomic<uint64_t> done_{0};
  std::atomic<uint64_t> total_;
  std::chrono::steady_clock::time_point start_;
  std::atomic<int64_t> last_draw_ms_{-1000};
  std::mutex draw_mutex_;
  bool drawn_ = false;
};

}  // namespace autoscale
