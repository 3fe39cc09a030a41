#include "pipeline/yaml_bounds.h"

#include <utility>
#include <vector>

namespace autoscale {

Status CheckYamlBounds(const YAML::Node& root, const std::string& file) {
  std::vector<std::pair<YAML::Node, int>> pending = {{root, 0}};
  size_t visited = 0;
  while (!pending.empty()) {
    const YAML::Node node = pending.back().first;
    const int depth = pending.back().second;
    pending.pop_back();
    const std::string at =
        file + (node.Mark().line >= 0 ? ":" + std::to_string(node.Mark().line + 1) : "");
    if (depth > kMaxYamlDepth)
      return Status::Error(at + ": nested deeper than " + std::to_string(kMaxYamlDepth) +
                           " levels (is an alias used inside its own anchor?)");
    if (++visited > kMaxYamlNodes)
      return Status::Error(at + ": aliases expand to more than " + std::to_string(kMaxYamlNodes) +
                           " nodes");
    if (node.IsSequence()) {
      for (const YAML::Node& item : node) pending.emplace_back(item, depth + 1);
    } else if (node.IsMap()) {
      for (const auto& kv : node) {
        pending.emplace_back(kv.first, depth + 1);
        pending.emplace_back(kv.second, depth + 1);
      }
    }
  }
  return Status::Ok();
}

}  // namespace autoscale
