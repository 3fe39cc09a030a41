// The one line a command prints on stderr when it fails, with the text it
// quotes from files and datasets made printable (common/text_format.h).
#pragma once

#include <cstdio>
#include <string>

#include "common/text_format.h"

namespace autoscale {

// Prints "<prefix><message>\n" on stderr.
inline void PrintErrorLine(const std::string& prefix, const std::string& message) {
  std::fprintf(stderr, "%s%s\n", prefix.c_str(), PrintableText(message).c_str());
}

}  // namespace autoscale
