#include "common/text_format.h"

#include <catch2/catch.hpp>

using namespace autoscale;

TEST_CASE("FormatFixed is locale-independent and never prints -0", "[text_format]") {
  CHECK(FormatFixed(12.5, 2) == "12.50");
  CHECK(FormatFixed(0.14249, 3) == "0.142");
  CHECK(FormatFixed(-0.0001, 2) == "0.00");
  CHECK(FormatFixed(-1.25, 1) == "-1.2");  // round half to even in binary
  CHECK(FormatFixed(1e300 * 1e300, 1) == "n/a");
}

TEST_CASE("FormatPercent and FormatShare", "[text_format]") {
  CHECK(FormatPercent(0.142) == "14.2%");
  CHECK(FormatPercent(1.0549, 1) == "105.5%");
  CHECK(FormatPercent(-0.25, 0) == "-25%");
  CHECK(FormatShare(1.0) == "100.0%");
  CHECK(FormatShare(0.0) == "0.0%");
  CHECK(FormatShare(0.0004) == "<0.1%");
  CHECK(FormatShare(0.9996) == ">99.9%");
  CHECK(FormatShare(0.5) == "50.0%");
}

TEST_CASE("FormatCount groups thousands", "[text_format]") {
  CHECK(FormatCount(0) == "0");
  CHECK(FormatCount(999) == "999");
  CHECK(FormatCount(1000) == "1,000");
  CHECK(FormatCount(11886) == "11,886");
  CHECK(FormatCount(1234567890) == "1,234,567,890");
}

TEST_CASE("FormatCost keeps about four significant digits", "[text_format]") {
  CHECK(FormatCost(1234567.4) == "1,234,567");
  CHECK(FormatCost(10000) == "10,000");
  CHECK(FormatCost(523.14) == "523.1");
  CHECK(FormatCost(52.314) == "52.31");
  CHECK(FormatCost(0.012345) == "0.0123");
  CHECK(FormatCost(0) == "0.0000");
}

TEST_CASE("FormatCompact is whole from 100 to a million, else four digits", "[text_format]") {
  CHECK(FormatCompact(15360) == "15360");
  CHECK(FormatCompact(999999) == "999999");
  CHECK(FormatCompact(1.626e8) == "1.626e+08");
  CHECK(FormatCompact(52.314) == "52.31");
  CHECK(FormatCompact(0.01234) == "0.01234");
}

TEST_CASE("PrintableText shows control characters instead of obeying them", "[text_format]") {
  CHECK(PrintableText("plain name.jpg") == "plain name.jpg");
  CHECK(PrintableText("caf\xC3\xA9 \xE6\x96\x87.png") == "caf\xC3\xA9 \xE6\x96\x87.png");
  CHECK(PrintableText("a\x1b[2Jb") == "a\\x1b[2Jb");
  CHECK(PrintableText("bell\a") == "bell\\x07");
  CHECK(PrintableText(std::string("nul\0x", 5)) == "nul\\x00x");
  CHECK(PrintableText("x.jpg\nwarning: forged") == "x.jpg\\nwarning: forged");
  CHECK(PrintableText("a\r\tb\x7f") == "a\\r\\tb\\x7f");
  // C1 controls (CSI as UTF-8), bytes that are not UTF-8, bidi overrides.
  const std::string csi = "\xC2\x9B";
  CHECK(PrintableText(csi + "31m") == "\\x9b31m");
  CHECK(PrintableText("\xFF\xC3") == "\\xff\\xc3");
  const std::string rlo = "\xE2\x80\xAE", line_separator = "\xE2\x80\xA8";
  CHECK(PrintableText("gnp." + rlo + "exe") == "gnp.\\u202eexe");
  CHECK(PrintableText("a" + line_separator + "b") == "a\\u2028b");
}
