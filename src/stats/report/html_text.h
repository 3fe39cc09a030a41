// Text for the HTML report: escaping of strings that come from users' files
// and locale-independent number formatting, so the same input always gives
// the same bytes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace autoscale {

// Escapes text for HTML element content and quoted attribute values
// (& < > " '). Invalid UTF-8 and control characters other than tab and
// newline become U+FFFD, so the page stays valid UTF-8 whatever the input.
std::string HtmlEscape(std::string_view text);

// `value` with exactly `decimals` digits after the point ("12.50"); "-0"
// is written as "0". Not a number or infinite: "n/a".
std::string FormatFixed(double value, int decimals);

// A share (0.142) as a percentage with `decimals` digits: "14.2%".
std::string FormatPercent(double share, int decimals = 1);

// A share as a percentage with one decimal that never rounds a nonzero share
// to "0.0%" ("<0.1%") nor a share under 1 to "100.0%" (">99.9%"). Plain
// text: escape it for HTML.
std::string FormatShare(double share);

// A count with thousands separators: "12,345".
std::string FormatCount(uint64_t count);

// A cost: whole with thousands separators from 10,000 ("1,234,567"), else
// one decimal from 100, two from 1, four below ("52.31", "0.0123").
std::string FormatCost(double cost);

}  // namespace autoscale
