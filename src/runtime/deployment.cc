#include "runtime/deployment.h"

#include <utility>

namespace autoscale {
namespace runtime {

Result<Deployment> Deployment::Load(const std::string& path) {
  auto file = LoadGearsJson(path);
  if (!file.ok()) return file.status();
  return Deployment(std::move(*file));
}

Deployment::Deployment(GearsFile file)
    : input_shape_(file.input_shape),
      limit_side_len_(file.limit_side_len),
      router_(std::move(file.gears), std::move(file.cost)) {}

Selection Deployment::Select(SourceSize source) const {
  return runtime::Select(router_, input_shape_, limit_side_len_, source);
}

Routing Deployment::Route(const std::vector<SourceSize>& sources) const {
  std::vector<Item> items;
  items.reserve(sources.size());
  for (const SourceSize& s : sources)
    items.push_back(MapToModelSpace(input_shape_, limit_side_len_, s.h, s.w));
  return router_.Route(items);
}

Item Deployment::Resized(SourceSize source, bool* shrunk) const {
  return router_.Cover(MapToModelSpace(input_shape_, limit_side_len_, source.h, source.w), shrunk);
}

}  // namespace runtime
}  // namespace autoscale
