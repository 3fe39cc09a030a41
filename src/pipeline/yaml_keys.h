// Refuses a key given twice in one YAML mapping: YAML readers keep one of the
// two silently, so the other value would be lost without a word.
#pragma once

#include <yaml-cpp/yaml.h>

#include <map>
#include <string>

namespace autoscale {

// The keys of one mapping seen so far, each with its line.
class KeysSeen {
 public:
  // "" the first time `canonical` is added; after that
  // "key '<shown>' given twice (first on line N)".
  std::string Add(const std::string& canonical, const std::string& shown, const YAML::Node& key);

 private:
  std::map<std::string, int> lines_;  // canonical key -> line (0: unknown)
};

}  // namespace autoscale
