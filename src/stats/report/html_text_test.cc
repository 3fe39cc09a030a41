#include "stats/report/html_text.h"

#include <catch2/catch.hpp>

namespace autoscale {
namespace {

TEST_CASE("HtmlEscape escapes markup characters", "[report]") {
  CHECK(HtmlEscape("<script>alert('x') & \"y\"</script>") ==
        "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;");
  CHECK(HtmlEscape("plain text/path_1.jpg") == "plain text/path_1.jpg");
  CHECK(HtmlEscape("") == "");
}

TEST_CASE("HtmlEscape keeps valid UTF-8 and replaces what is not", "[report]") {
  CHECK(HtmlEscape("CAF\xC3\x89 \xE4\xB8\xAD \xF0\x9F\x99\x82") == "CAF\xC3\x89 \xE4\xB8\xAD \xF0\x9F\x99\x82");
  const std::string fffd = "\xEF\xBF\xBD";
  CHECK(HtmlEscape("a\xFF" "b") == "a" + fffd + "b");         // invalid lead byte
  CHECK(HtmlEscape("a\xC3") == "a" + fffd);                    // truncated sequence
  CHECK(HtmlEscape("\xC0\xAF") == fffd + fffd);                // overlong '/'
  CHECK(HtmlEscape("\xED\xA0\x80") == fffd + fffd + fffd);     // UTF-16 surrogate
  CHECK(HtmlEscape("\xF4\x90\x80\x80") == fffd + fffd + fffd + fffd);  // past U+10FFFF
  CHECK(HtmlEscape(std::string("a\0b", 3)) == "a" + fffd + "b");
  CHECK(HtmlEscape("a\rb\x1b") == "a" + fffd + "b" + fffd);
  CHECK(HtmlEscape("tab\tand\nnewline") == "tab\tand\nnewline");
  CHECK(HtmlEscape("\xC2\x85") == fffd);      // C1 control
  CHECK(HtmlEscape("\xEF\xBF\xBE") == fffd);  // noncharacter U+FFFE
}

TEST_CASE("FormatFixed is locale-independent and never prints -0", "[report]") {
  CHECK(FormatFixed(12.5, 2) == "12.50");
  CHECK(FormatFixed(0.14249, 3) == "0.142");
  CHECK(FormatFixed(-0.0001, 2) == "0.00");
  CHECK(FormatFixed(-1.25, 1) == "-1.2");  // round half to even in binary
  CHECK(FormatFixed(1e300 * 1e300, 1) == "n/a");
}

TEST_CASE("FormatPercent and FormatShare", "[report]") {
  CHECK(FormatPercent(0.142) == "14.2%");
  CHECK(FormatPercent(1.0549, 1) == "105.5%");
  CHECK(FormatPercent(-0.25, 0) == "-25%");
  CHECK(FormatShare(1.0) == "100.0%");
  CHECK(FormatShare(0.0) == "0.0%");
  CHECK(FormatShare(0.0004) == "<0.1%");
  CHECK(FormatShare(0.9996) == ">99.9%");
  CHECK(FormatShare(0.5) == "50.0%");
}

TEST_CASE("FormatCount groups thousands", "[report]") {
  CHECK(FormatCount(0) == "0");
  CHECK(FormatCount(999) == "999");
  CHECK(FormatCount(1000) == "1,000");
  CHECK(FormatCount(11886) == "11,886");
  CHECK(FormatCount(1234567890) == "1,234,567,890");
}

TEST_CASE("FormatCost keeps about four significant digits", "[report]") {
  CHECK(FormatCost(1234567.4) == "1,234,567");
  CHECK(FormatCost(10000) == "10,000");
  CHECK(FormatCost(523.14) == "523.1");
  CHECK(FormatCost(52.314) == "52.31");
  CHECK(FormatCost(0.012345) == "0.0123");
  CHECK(FormatCost(0) == "0.0000");
}

}  // namespace
}  // namespace autoscale
