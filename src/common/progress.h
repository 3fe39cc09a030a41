// Progress of long scans and conversions. Readers and converters report
// through a ProgressSink and never print; the command line supplies a
// TerminalProgress, which draws one line on stderr: silent for the first
// second, only when stderr is a terminal, redrawn at most ten times a
// second. Conversions also report whole lines (a model starts, ends), which
// are printed on any stderr, above the status line.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>

namespace autoscale {

// Receives how far a scan has got.
class ProgressSink {
 public:
  virtual ~ProgressSink() = default;
  // A scan begins: `what` names its units ("files", "lines"); `total` is 0
  // when unknown.
  virtual void Begin(const std::string& what, uint64_t total) = 0;
  // `n` more units are done. Called from several threads at once.
  virtual void Advance(uint64_t n) = 0;
  // The scan is over, finished or failed.
  virtual void End() = 0;
  // A line of its own ("rec: ok, 3.2 s"), printed whole and in call order.
  // Called from several threads at once. Default: ignored.
  virtual void Line(const std::string& text) { (void)text; }
  // The status line of work in progress, redrawn in place; empty clears it.
  // Default: ignored.
  virtual void SetStatus(const std::string& text) { (void)text; }
};

// One scan's use of an optional sink: Begin when made, End when destroyed;
// does nothing without a sink.
class ProgressScope {
 public:
  ProgressScope(ProgressSink* sink, const std::string& what, uint64_t total = 0) : sink_(sink) {
    if (sink_ != nullptr) sink_->Begin(what, total);
  }
  ~ProgressScope() {
    if (sink_ != nullptr) sink_->End();
  }
  ProgressScope(const ProgressScope&) = delete;
  ProgressScope& operator=(const ProgressScope&) = delete;

  void Advance(uint64_t n = 1) {
    if (sink_ != nullptr) sink_->Advance(n);
  }

 private:
  ProgressSink* sink_;
};

// The line "1234 files (567/s)" or "12/40 files (30%, 5/s)", redrawn in place
// and cleared at the end of the scan.
class TerminalProgress : public ProgressSink {
 public:
  struct Options {
    // Where the line is drawn. Default stderr.
    FILE* out = stderr;
    // Draw only when `out` is a terminal. Default true.
    bool only_on_terminal = true;
    // Nothing is drawn before a scan has run this long. Default 1 s.
    std::chrono::milliseconds delay{1000};
    // The shortest time between two redraws. Default 100 ms.
    std::chrono::milliseconds interval{100};
  };

  TerminalProgress() : TerminalProgress(Options()) {}
  explicit TerminalProgress(const Options& options);

  void Begin(const std::string& what, uint64_t total) override;
  // Cheap enough to call per item: looks at the clock once every 256 units.
  void Advance(uint64_t n) override;
  void End() override;
  // Printed whether or not `out` is a terminal; a status line drawn at the
  // time is cleared first and drawn again after it.
  void Line(const std::string& text) override;
  // Drawn only on a terminal (with only_on_terminal), cut to its width.
  void SetStatus(const std::string& text) override;

 private:
  void Draw();

  Options options_;
  bool enabled_;
  std::string what_;
  std::atomic<uint64_t> done_{0};
  std::atomic<uint64_t> total_{0};
  std::chrono::steady_clock::time_point start_;
  std::atomic<int64_t> last_draw_ms_{0};
  std::mutex draw_mutex_;
  bool drawn_ = false;
  std::string status_;
};

}  // namespace autoscale
