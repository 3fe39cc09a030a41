// route_runs GEARS_JSON PROFILE_JSON > runs.csv
//
// The runs a deployment makes over a whole dataset: loads gears.json as
// inference code does (runtime::Deployment), routes every image's boxes of a
// saved profile (`autoscale stats --save_profile`) with its router, and writes
// one line `batch,height,width` per model call, image after image (an image
// the dataset has n times is routed n times). bench/ort/run_runs.js then
// executes exactly these calls on a real runtime. The predicted total, in the
// cost model's unit, goes to stderr as JSON: {"runs", "predicted", "unit"}.
#include <cstdio>
#include <string>

#include "runtime/deployment.h"
#include "stats/core/profile.h"

using namespace autoscale;

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: route_runs GEARS_JSON PROFILE_JSON > runs.csv\n");
    return 2;
  }
  auto deployment = runtime::Deployment::Load(argv[1]);
  if (!deployment.ok()) {
    std::fprintf(stderr, "route_runs: %s\n", deployment.message().c_str());
    return 1;
  }
  auto profile = Profile::LoadFile(argv[2]);
  if (!profile.ok()) {
    std::fprintf(stderr, "route_runs: %s\n", profile.message().c_str());
    return 1;
  }
  const runtime::Router& router = deployment->router();
  double predicted = 0;
  uint64_t runs = 0;
  std::printf("batch,height,width\n");
  for (const RoutingUnit& unit : profile->RoutingUnits()) {
    const runtime::Routing routing = router.Route(unit.items);
    for (uint64_t copy = 0; copy < unit.count; ++copy) {
      for (const runtime::Run& run : routing.runs) {
        std::printf("%lld,%lld,%lld\n", static_cast<long long>(run.batch),
                    static_cast<long long>(run.gear.h), static_cast<long long>(run.gear.w));
        ++runs;
      }
      predicted += routing.cost;
    }
  }
  std::fprintf(stderr, "{\"runs\": %llu, \"predicted\": %.6f, \"unit\": \"%s\"}\n",
               static_cast<unsigned long long>(runs), predicted,
               router.cost().unit().c_str());
  return 0;
}
