// Headless Chromium for end-to-end tests of the HTML report: renders a local
// file with a fresh profile folder, network features off, and a time limit.
#pragma once

#include <string>
#include <vector>

namespace autoscale::test {

// The first of chromium, chromium-browser, google-chrome found on PATH, or
// "" when there is none.
std::string FindChromium();

struct ChromiumResult {
  int exit_code = -1;  // 128 + signal when killed
  bool timed_out = false;
  std::string out;  // what --dump-dom prints
  std::string err;
};

// Runs `chromium --headless --no-sandbox --disable-gpu ... <extra_args>
// file://<html_path>` with a fresh --user-data-dir that is removed after.
// The whole process group is killed after `timeout_seconds`.
ChromiumResult RunHeadlessChromium(const std::string& chromium, const std::string& html_path,
                                   const std::vector<std::string>& extra_args,
                                   int timeout_seconds = 120);

}  // namespace autoscale::test
