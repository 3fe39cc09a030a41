// The `autoscale` command line: subcommands stats, convert, run.
#pragma once

namespace autoscale {

int RunCli(int argc, char** argv);

}  // namespace autoscale
