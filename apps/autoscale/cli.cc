#include "autoscale/cli.h"

#include <cstdio>
#include <vector>

#include <CLI/CLI.hpp>

#include "autoscale/command.h"

namespace autoscale {

int RunCli(int argc, char** argv) {
  CLI::App app{
      "autoscale: choose the input-shape gears a dataset needs and convert a model to them"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "autoscale 0.1.0");
  std::vector<Command> commands = {AddStatsCommand(&app), AddConvertCommand(&app),
                                   AddRunCommand(&app)};
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // One line, not CLI11's two.
    std::fprintf(stderr, "autoscale: %s (see autoscale --help)\n", e.what());
    return e.get_exit_code() ? e.get_exit_code() : 2;
  }
  for (const Command& c : commands)
    if (c.app->parsed()) return c.run();
  return 2;
}

}  // namespace autoscale
