#include "common/interrupt.h"

#include <signal.h>

#include <catch2/catch.hpp>

namespace autoscale {

// Ending the process on a signal is checked end to end (tests/convert_set_cli_test.cc).
TEST_CASE("interrupt: the signal is recorded until cleared and exit codes are 128 + signal",
          "[interrupt]") {
  CHECK_FALSE(Interrupted());
  {
    InterruptScope scope;
    SetInterruptForTest(SIGTERM);
    CHECK(Interrupted());
    CHECK(InterruptSignal() == SIGTERM);
  }
  CHECK(InterruptSignal() == SIGTERM);  // a test signal does not end the process
  SetInterruptForTest(0);
  CHECK_FALSE(Interrupted());
  CHECK(InterruptExitCode(SIGINT) == 130);
  CHECK(InterruptExitCode(SIGTERM) == 143);
}

}  // namespace autoscale
