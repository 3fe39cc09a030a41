#include "pipeline/yaml_bounds.h"

#include <catch2/catch.hpp>

#include <string>

#include <yaml-cpp/yaml.h>

namespace autoscale {
namespace {

// `levels` nested flow lists around one scalar: the scalar is at depth `levels`.
std::string Nested(int levels) {
  return std::string(static_cast<size_t>(levels), '[') + "1" +
         std::string(static_cast<size_t>(levels), ']');
}

TEST_CASE("CheckYamlBounds accepts a document within the bounds", "[yaml_bounds]") {
  CHECK(CheckYamlBounds(YAML::Load("a: 1\nb: [1, 2, {c: d}]\n"), "f.yaml").ok());
  CHECK(CheckYamlBounds(YAML::Load(Nested(kMaxYamlDepth)), "f.yaml").ok());
  CHECK(CheckYamlBounds(YAML::Node(), "f.yaml").ok());
}

TEST_CASE("CheckYamlBounds refuses nesting deeper than the bound", "[yaml_bounds]") {
  const Status s = CheckYamlBounds(YAML::Load(Nested(kMaxYamlDepth + 1)), "deep.yaml");
  REQUIRE_FALSE(s.ok());
  CHECK_THAT(s.message(), Catch::StartsWith("deep.yaml:1: nested deeper than 64 levels"));
}

TEST_CASE("CheckYamlBounds refuses aliases that expand past the node bound", "[yaml_bounds]") {
  // Each level lists the one above ten times: 10^6 scalars once expanded.
  std::string doc = "l0: &l0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n";
  for (int i = 1; i <= 5; ++i) {
    const std::string prev = "*l" + std::to_string(i - 1);
    doc += "l" + std::to_string(i) + ": &l" + std::to_string(i) + " [";
    for (int k = 0; k < 10; ++k) doc += (k ? ", " : "") + prev;
    doc += "]\n";
  }
  const Status s = CheckYamlBounds(YAML::Load(doc), "bomb.yaml");
  REQUIRE_FALSE(s.ok());
  CHECK_THAT(s.message(), Catch::StartsWith("bomb.yaml:") &&
                              Catch::EndsWith("aliases expand to more than 100000 nodes"));
  // The first three levels (about a thousand nodes) pass.
  std::string small = doc.substr(0, doc.find("l3:"));
  CHECK(CheckYamlBounds(YAML::Load(small), "small.yaml").ok());
}

}  // namespace
}  // namespace autoscale
