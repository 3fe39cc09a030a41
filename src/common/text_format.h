// Locale-independent number formatting for everything a person reads (the
// summary on the terminal, the HTML report), so the same input always gives
// the same bytes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace autoscale {

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

// A cost as the summary prints it: whole from 100 up to a million ("15360"),
// else about four significant digits ("1.626e+08", "52.31", "0.0123").
std::string FormatCompact(double value);

// Text from files and datasets (file names, label lines, converter logs,
// error messages quoting them) made safe to show a person: the terminal
// summary, warnings, progress and error lines, and the HTML report. Control
// characters (C0, DEL, C1) become visible escapes ("\n", "\t", "\r",
// "\x1b"), as do bytes that are not UTF-8 ("\xff"), and line and paragraph
// separators and bidirectional overrides ("\u202e"), so no name can move
// the cursor, ring, clear the screen or forge a line. Printable UTF-8 is kept.
std::string PrintableText(std::string_view text);

}  // namespace autoscale
