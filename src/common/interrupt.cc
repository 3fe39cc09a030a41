#include "common/interrupt.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <thread>

namespace autoscale {
namespace {

std::atomic<int> g_signal{0};
int g_pipe[2] = {-1, -1};
// Scopes alive, and whether a signal arrived while the process may exit.
std::mutex g_mutex;
int g_scopes = 0;
bool g_test_mode = false;

void OnSignal(int signal) {
  const int saved = errno;
  int expected = 0;
  g_signal.compare_exchange_strong(expected, signal);
  const char byte = static_cast<char>(signal);
  ssize_t ignored = ::write(g_pipe[1], &byte, 1);
  (void)ignored;
  errno = saved;
}

// Called with g_mutex held, once no scope is left.
[[noreturn]] void ExitInterrupted(int signal) {
  std::fflush(stdout);
  std::fprintf(stderr, "\nautoscale: interrupted by %s\n", signal == SIGINT ? "SIGINT" : "SIGTERM");
  std::fflush(stderr);
  ::_exit(InterruptExitCode(signal));
}

void Watch() {
  while (true) {
    char byte;
    const ssize_t n = ::read(g_pipe[0], &byte, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    std::lock_guard<std::mutex> lock(g_mutex);
    if (g_scopes == 0) ExitInterrupted(g_signal.load());
  }
}

}  // namespace

void InstallInterruptHandlers() {
  if (g_pipe[0] >= 0) return;
  if (::pipe2(g_pipe, O_CLOEXEC) != 0) return;
  struct sigaction action;
  std::memset(&action, 0, sizeof action);
  action.sa_handler = OnSignal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  ::sigaction(SIGINT, &action, nullptr);
  ::sigaction(SIGTERM, &action, nullptr);
  std::thread(Watch).detach();
}

int InterruptSignal() { return g_signal.load(std::memory_order_relaxed); }

int InterruptExitCode(int signal) { return 128 + signal; }

InterruptScope::InterruptScope() {
  std::lock_guard<std::mutex> lock(g_mutex);
  ++g_scopes;
}

InterruptScope::~InterruptScope() {
  std::lock_guard<std::mutex> lock(g_mutex);
  --g_scopes;
  if (g_scopes == 0 && g_signal.load() != 0 && !g_test_mode) ExitInterrupted(g_signal.load());
}

void SetInterruptForTest(int signal) {
  std::lock_guard<std::mutex> lock(g_mutex);
  g_test_mode = signal != 0;
  g_signal = signal;
}

}  // namespace autoscale
