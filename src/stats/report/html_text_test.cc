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

}  // namespace
}  // namespace autoscale
