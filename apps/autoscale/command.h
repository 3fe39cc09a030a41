// A subcommand of `autoscale`: its CLI11 node and what runs when it is chosen.
#pragma once

#include <functional>

#include <CLI/CLI.hpp>

namespace autoscale {

// The exit codes of every command (README.md, "Exit codes").
constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;  // the input could not be read, or a conversion failed
constexpr int kExitUsage = 2;   // bad command line, config or jobs file: nothing ran
// 128 + signal (130 SIGINT, 143 SIGTERM): interrupted, converters stopped and
// nothing half-written left (common/interrupt.h, InterruptExitCode).

struct Command {
  CLI::App* app = nullptr;
  // Returns the process exit code; prints its own one-line error.
  std::function<int()> run;
};

Command AddStatsCommand(CLI::App* parent);
Command AddConvertCommand(CLI::App* parent);
Command AddRunCommand(CLI::App* parent);
Command AddMergeCommand(CLI::App* parent);

}  // namespace autoscale
