// Bounds on a YAML document read from a user's file. Aliases let a few lines
// stand for a huge tree (aliases of aliases, each level multiplying the one
// below) or an endless one (an anchor used inside itself); every reader checks
// the tree against these bounds before walking it.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <string>

#include "common/status.h"

namespace autoscale {

// The deepest nesting accepted (a config or jobs file needs about 5 levels).
constexpr int kMaxYamlDepth = 64;
// The most nodes the tree may hold with every alias expanded.
constexpr size_t kMaxYamlNodes = 100000;

// Ok, or one line "<file>:<line>: ..." naming where the bound was crossed.
// The walk stops as soon as a bound is crossed, so it takes at most
// kMaxYamlNodes steps whatever the document.
Status CheckYamlBounds(const YAML::Node& root, const std::string& file);

}  // namespace autoscale
