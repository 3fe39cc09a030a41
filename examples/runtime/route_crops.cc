// route_crops GEARS_JSON [h w]...
//
// Splits crops of the given source sizes into model calls of the deployment
// described by GEARS_JSON and prints each call and the predicted cost. With
// no sizes on the command line, reads "h w" lines from stdin.
#include <cstdlib>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "runtime/deployment.h"

using autoscale::runtime::Deployment;
using autoscale::runtime::Routing;
using autoscale::runtime::Run;
using autoscale::runtime::SourceSize;

namespace {

bool ParseSize(const std::string& h, const std::string& w, SourceSize* out) {
  char* end_h = nullptr;
  char* end_w = nullptr;
  out->h = std::strtod(h.c_str(), &end_h);
  out->w = std::strtod(w.c_str(), &end_w);
  return !h.empty() && !w.empty() && *end_h == '\0' && *end_w == '\0' && out->h > 0 && out->w > 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc % 2 != 0) {
    std::cerr << "usage: route_crops GEARS_JSON [h w]...\n";
    return 2;
  }
  auto deployment = Deployment::Load(argv[1]);
  if (!deployment.ok()) {
    std::cerr << "route_crops: " << deployment.message() << "\n";
    return 1;
  }

  std::vector<std::pair<std::string, std::string>> args;
  for (int i = 2; i + 1 < argc; i += 2) args.push_back({argv[i], argv[i + 1]});
  if (args.empty()) {
    std::string h, w;
    while (std::cin >> h >> w) args.push_back({h, w});
  }
  std::vector<SourceSize> crops;
  for (const auto& [h, w] : args) {
    SourceSize s;
    if (!ParseSize(h, w, &s)) {
      std::cerr << "route_crops: not a crop size: '" << h << " " << w << "'\n";
      return 2;
    }
    crops.push_back(s);
  }

  const Routing routing = deployment->Route(crops);
  const std::string unit = deployment->router().cost().unit();
  for (const Run& run : routing.runs) {
    std::cout << "batch " << run.batch << " gear " << run.gear.h << "x" << run.gear.w << " crops";
    for (uint32_t i : run.items) std::cout << " " << i;
    std::cout << " cost " << run.cost << " " << unit << "\n";
  }
  std::cout << "total " << routing.runs.size() << " calls, cost " << routing.cost << " " << unit
            << ", " << routing.shrunk << " shrunk\n";
  return 0;
}
