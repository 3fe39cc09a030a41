#include "pipeline/yaml_keys.h"

namespace autoscale {

std::string KeysSeen::Add(const std::string& canonical, const std::string& shown,
                          const YAML::Node& key) {
  const int line = key.Mark().line >= 0 ? key.Mark().line + 1 : 0;
  auto [it, fresh] = lines_.emplace(canonical, line);
  if (fresh) return "";
  return "key '" + shown + "' given twice (first on line " + std::to_string(it->second) + ")";
}

}  // namespace autoscale
