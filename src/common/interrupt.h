// SIGINT and SIGTERM. The handler only records the signal and writes a byte
// to a pipe; a watcher thread reads the pipe. Outside an InterruptScope the
// watcher ends the process at once (exit 128 + signal: 130, 143), which is
// safe because nothing is being written. Inside one, the code that holds the
// scope notices Interrupted() in its loops, stops its converters, removes
// what it wrote, and returns; when the last scope ends, the process exits
// 128 + signal. So an interrupted command never leaves a half-written file.
#pragma once

namespace autoscale {

// Installs the handlers and starts the watcher thread. Call once, before any
// other thread starts. Without it, Interrupted() is always false.
void InstallInterruptHandlers();

// The signal received (SIGINT, SIGTERM), or 0.
int InterruptSignal();
inline bool Interrupted() { return InterruptSignal() != 0; }

// 128 + signal: what the shell reports for a process a signal ended.
int InterruptExitCode(int signal);

// While one exists, a signal does not end the process: the owner unwinds.
// Scopes nest and may live on several threads at once.
class InterruptScope {
 public:
  InterruptScope();
  // After a signal, the last scope to end ends the process.
  ~InterruptScope();
  InterruptScope(const InterruptScope&) = delete;
  InterruptScope& operator=(const InterruptScope&) = delete;
};

// For tests: records `signal` as if it had been received, without ending the
// process (0 clears it).
void SetInterruptForTest(int signal);

}  // namespace autoscale
