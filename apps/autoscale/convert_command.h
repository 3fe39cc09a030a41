// The command-line options of `autoscale convert` (also used by `run`).
#pragma once

#include <CLI/CLI.hpp>

#include "convert/backend.h"

namespace autoscale {

// Registers the convert options (model, output, backend, ...) on a command.
void AddConvertOptions(CLI::App* command, ConvertOptions* options);

}  // namespace autoscale
