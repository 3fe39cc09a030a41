#include "pipeline/yaml_keys.h"

#include <catch2/catch.hpp>

#include <cctype>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

namespace autoscale {
namespace {

TEST_CASE("KeysSeen names a key given twice and the line it was first on", "[yaml_keys]") {
  const YAML::Node root = YAML::Load("interval: 32\nlimit: 960\n\nInterval: 64\n");
  std::vector<std::string> results;
  KeysSeen seen;
  for (const auto& kv : root) {
    std::string canonical = kv.first.as<std::string>();
    for (char& c : canonical) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    results.push_back(seen.Add(canonical, kv.first.as<std::string>(), kv.first));
  }
  REQUIRE(results.size() == 3);
  CHECK(results[0] == "");
  CHECK(results[1] == "");
  CHECK(results[2] == "key 'Interval' given twice (first on line 1)");
  // A mapping of its own starts afresh.
  KeysSeen other;
  CHECK(other.Add("interval", "interval", root["limit"]) == "");
  CHECK(other.Add("interval", "x", root["limit"]) == "key 'x' given twice (first on line 2)");
}

}  // namespace
}  // namespace autoscale
