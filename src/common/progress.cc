#include "common/progress.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include "common/text_format.h"

namespace autoscale {

TerminalProgress::TerminalProgress(const Options& options)
    : options_(options),
      enabled_(options.out != nullptr &&
               (!options.only_on_terminal || ::isatty(::fileno(options.out)))) {}

void TerminalProgress::Begin(const std::string& what, uint64_t total) {
  std::lock_guard<std::mutex> lock(draw_mutex_);
  what_ = PrintableText(what);
  done_ = 0;
  total_ = total;
  start_ = std::chrono::steady_clock::now();
  last_draw_ms_ = -options_.interval.count();
  drawn_ = false;
}

void TerminalProgress::Advance(uint64_t n) {
  const uint64_t done = done_.fetch_add(n, std::memory_order_relaxed) + n;
  if (!enabled_) return;
  // Look at the clock only when the count passes a multiple of 256.
  if ((done & 255) >= n) return;
  Draw();
}

void TerminalProgress::End() {
  std::lock_guard<std::mutex> lock(draw_mutex_);
  if (enabled_ && drawn_) {
    std::fprintf(options_.out, "\r\033[K");
    std::fflush(options_.out);
  }
  drawn_ = false;
}

void TerminalProgress::Line(const std::string& text) {
  std::lock_guard<std::mutex> lock(draw_mutex_);
  if (options_.out == nullptr) return;
  const bool redraw = enabled_ && !status_.empty();
  std::fprintf(options_.out, "%s%s\n", redraw ? "\r\033[K" : "", text.c_str());
  if (redraw) std::fprintf(options_.out, "%s", status_.c_str());
  std::fflush(options_.out);
}

// `text` cut to fit one line of the terminal on `out` (80 columns when it
// cannot tell), so that "\r" returns to its start; never inside a UTF-8
// character.
static std::string FitLine(FILE* out, const std::string& text) {
  struct winsize size;
  size_t columns = 80;
  if (::ioctl(::fileno(out), TIOCGWINSZ, &size) == 0 && size.ws_col > 0) columns = size.ws_col;
  size_t cut = 0, chars = 0;
  while (cut < text.size() && chars + 1 < columns) {
    ++cut;
    while (cut < text.size() && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) ++cut;
    ++chars;
  }
  return text.substr(0, cut);
}

void TerminalProgress::SetStatus(const std::string& text) {
  std::lock_guard<std::mutex> lock(draw_mutex_);
  if (!enabled_ || (text.empty() && status_.empty())) return;
  status_ = FitLine(options_.out, text);
  std::fprintf(options_.out, "\r\033[K%s", status_.c_str());
  std::fflush(options_.out);
}

void TerminalProgress::Draw() {
  const auto now = std::chrono::steady_clock::now();
  const int64_t ms = std::chrono::duration_cast<std::chrono::milliseconds>(now - start_).count();
  if (ms < options_.delay.count()) return;
  int64_t last = last_draw_ms_.load(std::memory_order_relaxed);
  if (ms - last < options_.interval.count()) return;
  if (!last_draw_ms_.compare_exchange_strong(last, ms)) return;
  std::lock_guard<std::mutex> lock(draw_mutex_);
  const uint64_t done = done_.load(), total = total_.load();
  const double rate = done / (ms > 0 ? ms / 1000.0 : 0.001);
  if (total != 0)
    std::fprintf(options_.out, "\r\033[K%llu/%llu %s (%.0f%%, %.0f/s)",
                 static_cast<unsigned long long>(done), static_cast<unsigned long long>(total),
                 what_.c_str(), 100.0 * done / total, rate);
  else
    std::fprintf(options_.out, "\r\033[K%llu %s (%.0f/s)", static_cast<unsigned long long>(done),
                 what_.c_str(), rate);
  std::fflush(options_.out);
  drawn_ = true;
}

}  // namespace autoscale
