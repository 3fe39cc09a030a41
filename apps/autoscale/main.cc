#include "autoscale/cli.h"
#include "common/interrupt.h"

int main(int argc, char** argv) {
  // SIGINT/SIGTERM: converters stopped, temporaries removed, exit 130/143.
  autoscale::InstallInterruptHandlers();
  return autoscale::RunCli(argc, argv);
}
