// Turns JSON values into text for files and messages. Names that come from
// the file system or from datasets may hold bytes that are not UTF-8; they
// are written as U+FFFD instead of stopping the program.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace autoscale {

// `j` as JSON text; `indent` < 0 writes one line, otherwise one value a line
// indented by `indent` spaces. Invalid UTF-8 in strings becomes U+FFFD.
std::string JsonText(const nlohmann::json& j, int indent = -1);

}  // namespace autoscale
