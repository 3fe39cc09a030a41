// Text for the HTML report: escaping of strings that come from users' files,
// so the page stays valid whatever the input. Numbers are formatted by
// common/text_format.h.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/text_format.h"

namespace autoscale {

// Escapes text for HTML element content and quoted attribute values
// (& < > " '). Invalid UTF-8 and control characters other than tab and
// newline become U+FFFD, so the page stays valid UTF-8 whatever the input.
std::string HtmlEscape(std::string_view text);

}  // namespace autoscale
