#include "autoscale/cli.h"

#include <cstdio>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "autoscale/command.h"
#include "autoscale/error_line.h"

namespace autoscale {

int RunCli(int argc, char** argv) {
  CLI::App app{
      "autoscale: choose the input-shape gears a dataset needs and convert a model to them"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "autoscale 0.1.0");
  std::vector<Command> commands = {AddStatsCommand(&app), AddConvertCommand(&app),
                                   AddRunCommand(&app), AddMergeCommand(&app)};
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // One line, not CLI11's two; an unknown argument is named rather than a
    // subcommand or option it left missing.
    std::string message = e.what();
    const std::vector<std::string> extra = app.remaining(true);
    if (!extra.empty() && e.get_name() == "RequiredError") {
      message = extra.size() == 1 ? "The following argument was not expected:"
                                  : "The following arguments were not expected:";
      for (const std::string& arg : extra) message += " " + arg;
    }
    PrintErrorLine("autoscale: ", message + " (see autoscale --help)");
    return kExitUsage;
  }
  for (const Command& c : commands)
    if (c.app->parsed()) return c.run();
  return kExitUsage;
}

}  // namespace autoscale
