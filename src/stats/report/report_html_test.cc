#include "stats/report/report_html.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <utility>
#include <vector>

#include "stats/report/report_test_inputs.h"
#include "support/html_search.h"

namespace autoscale {
namespace {

using test::CountOf;

using report_test::Evaluated;
using report_test::RecognitionInput;
using report_test::RecognitionProfile;
using report_test::Shape;
using report_test::WidthImagesInput;

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

TEST_CASE("Report for a width-dynamic model has every section", "[report]") {
  const Profile profile = RecognitionProfile();
  const ReportInput in = RecognitionInput(&profile);
  const std::string html = RenderReportHtml(in);
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(html.find("</html>") != std::string::npos);
  CHECK(html.find("<title>recognition run") != std::string::npos);
  for (const char* id :
       {"id=\"dataset\"", "id=\"width\"", "id=\"batch\"", "id=\"cost\"", "id=\"comparison\""})
    CHECK(html.find(id) != std::string::npos);
  CHECK(html.find("id=\"hw\"") == std::string::npos);
  CHECK(html.find("id=\"no-dataset\"") == std::string::npos);
  // Header: shape, strategy, gear counts.
  CHECK(html.find("-1,3,48,-1") != std::string::npos);
  CHECK(html.find("batch gears <strong>5</strong>") != std::string::npos);
  CHECK(html.find("width gears <strong>5</strong>") != std::string::npos);
  // Dataset summary with skipped kinds and percentages formatted.
  CHECK(html.find("4 (3 degenerate boxes, 1 malformed line)") != std::string::npos);
  CHECK(html.find("14.2%") != std::string::npos);
  CHECK(html.find("99.8%") != std::string::npos);
  CHECK(html.find("48\u00d7416") != std::string::npos);
}

TEST_CASE("Report escapes everything that comes from the user", "[report]") {
  Profile profile = RecognitionProfile();
  profile.dataset.path = "/x/\"><script>alert('p')</script>";
  ReportInput in = RecognitionInput(&profile);
  in.title = "<script>alert('t')</script>";
  in.strategy = "optimal<img src=x onerror=alert(1)>";
  const std::string html = RenderReportHtml(in);
  const std::string lower = Lower(html);
  CHECK(lower.find("<script") == std::string::npos);
  CHECK(lower.find("<img") == std::string::npos);
  CHECK(html.find("imgs/&lt;script&gt;alert(1)&lt;/script&gt;.jpg:3") != std::string::npos);
  CHECK(html.find("&amp; &quot;was&quot; skipped") != std::string::npos);
  CHECK(html.find("&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt;") != std::string::npos);
  CHECK(html.find("mean_std: &lt;no&gt; samples") != std::string::npos);
  // Nothing is fetched: no URL, and a policy that forbids loading anything.
  CHECK(lower.find("http://") == std::string::npos);
  CHECK(lower.find("https://") == std::string::npos);
  CHECK(lower.find(" src=\"") == std::string::npos);
  CHECK(lower.find(" href=\"") == std::string::npos);
  CHECK(lower.find("@import") == std::string::npos);
  CHECK(lower.find("url(") == std::string::npos);
  CHECK(html.find("default-src 'none'") != std::string::npos);
}

TEST_CASE("Report lists the first warnings and how many there were", "[report]") {
  Profile profile = RecognitionProfile();
  for (int i = 0; i < 30; ++i) profile.AddWarning(100 + i, "f" + std::to_string(i), "bad");
  const ReportInput in = RecognitionInput(&profile);
  const std::string html = RenderReportHtml(in);
  CHECK(html.find("Warnings (the first 20 of 32)") != std::string::npos);
  CHECK(CountOf(html, "<li><code>") == 20);
}

TEST_CASE("Report lists the figure warnings above the cost, escaped", "[report]") {
  Profile profile = RecognitionProfile();
  ReportInput in = RecognitionInput(&profile);
  CHECK(RenderReportHtml(in).find("id=\"figure-warnings\"") == std::string::npos);
  in.warnings = {"3 of 5 samples <too wide>: no saving claimed"};
  const std::string html = RenderReportHtml(in);
  const size_t at = html.find("id=\"figure-warnings\"");
  REQUIRE(at != std::string::npos);
  CHECK(html.find("<li>3 of 5 samples &lt;too wide&gt;: no saving claimed</li>", at) !=
        std::string::npos);
  CHECK(at < html.find("<section id=\"cost\""));
}

TEST_CASE("Report comparison table highlights the chosen strategy", "[report]") {
  const Profile profile = RecognitionProfile();
  const ReportInput in = RecognitionInput(&profile);
  const std::string html = RenderReportHtml(in);
  const size_t table = html.find("<table class=\"comparison\">");
  REQUIRE(table != std::string::npos);
  const std::string t = html.substr(table, html.find("</table>", table) - table);
  CHECK(CountOf(t, "<tr class=\"chosen\">") == 1);
  CHECK(t.find("<tr class=\"chosen\"><td>optimal<span class=\"tag\">chosen</span>") !=
        std::string::npos);
  // Rows: optimal, mean_std, max_min, then the static shape.
  const size_t o = t.find(">optimal<"), m = t.find(">mean_std<"), x = t.find(">max_min<"),
               s = t.find(">static<");
  CHECK(o < m);
  CHECK(m < x);
  CHECK(x < s);
  CHECK(t.find("5 batch \u00b7 5 width") != std::string::npos);
  // Cost terms: total, calls, padding, saving.
  CHECK(t.find(">cost</th>") != std::string::npos);
  CHECK(t.find(">calls</th>") != std::string::npos);
  CHECK(t.find("<td>2,100,000</td><td>160</td>") != std::string::npos);
  CHECK(t.find("105.0%") != std::string::npos);
  CHECK(t.find("350.0%") != std::string::npos);
  CHECK(t.find("(px)") == std::string::npos);  // the unit is in the caption
  CHECK(html.find("predicted cost of every call (px)") != std::string::npos);
  // Strategies are compared by the routed cost alone: no per-dim overhead.
  CHECK(t.find("overhead") == std::string::npos);
  CHECK(t.find("<td>17,500</td>") != std::string::npos);  // max_min per image
}

TEST_CASE("Report without a dataset shows the default gears and says why", "[report]") {
  ReportInput in;
  in.title = "default_scaling";
  in.shape = Shape(-1, 48, -1);
  in.strategy = "default_scaling";
  in.gears.batch = {1, 4, 8, 16, 32};
  in.gears.width = {64, 96, 128};
  for (int64_t w : in.gears.width) in.gears.hw.push_back({48, w});
  const std::string html = RenderReportHtml(in);
  CHECK(html.find("id=\"no-dataset\"") != std::string::npos);
  CHECK(html.find("No dataset was given") != std::string::npos);
  CHECK(html.find("1, 4, 8, 16, 32") != std::string::npos);
  CHECK(html.find("64, 96, 128") != std::string::npos);
  CHECK(html.find("id=\"dataset\"") == std::string::npos);
  CHECK(html.find("<svg") == std::string::npos);
}

// RecognitionProfile with its samples, box counts and warnings added in the
// opposite order.
Profile RecognitionProfileReversed() {
  Profile p;
  p.input_shape = Shape(-1, 48, -1);
  p.dataset.type = "det_labels";
  p.dataset.path = "/data/<b>labels</b>.txt";
  p.dataset.images = 120;
  p.dataset.boxes = 1000;
  p.dataset.skipped.degenerate_box = 3;
  p.dataset.skipped.bad_line = 1;
  p.AddWarning(9, "labels.txt:12", "malformed JSON");
  p.AddWarning(7, "imgs/<script>alert(1)</script>.jpg:3",
               "box has a side under 1 px & \"was\" skipped");
  for (int64_t w = 398; w >= 20; w -= 3)
    p.AddSample({1 + w % 40, 48, w}, static_cast<uint64_t>(1 + w % 7));
  for (int64_t b = 40; b >= 1; --b) p.AddBoxCount(b, static_cast<uint64_t>(1 + (b * 7) % 5));
  return p;
}

TEST_CASE("Report output is deterministic", "[report]") {
  const Profile profile = RecognitionProfile();
  const ReportInput in = RecognitionInput(&profile);
  const std::string first = RenderReportHtml(in);
  // The same data gathered in another order (as threads would) renders the same.
  const Profile reversed = RecognitionProfileReversed();
  REQUIRE(reversed == profile);
  CHECK(RenderReportHtml(RecognitionInput(&reversed)) == first);
  // Rendering another report in between leaves nothing behind (ids, counters).
  const Profile other = RecognitionProfile();
  ReportInput different = WidthImagesInput(&other, {64, 128, 416});
  const std::string between = RenderReportHtml(different);
  CHECK(between != first);
  CHECK(RenderReportHtml(in) == first);
}

TEST_CASE("Report lists strategies it does not know by name, before the static shape", "[report]") {
  const Profile profile = RecognitionProfile();
  ReportInput in = RecognitionInput(&profile);
  in.comparison.AddError("zeta", "zeta: failed");
  in.comparison.AddError("alpha", "<alpha>");
  const std::string html = RenderReportHtml(in);
  const size_t alpha = html.find("<td>alpha</td>"), zeta = html.find("<td>zeta</td>");
  const size_t fixed = html.find("<td>static</td>");
  REQUIRE(alpha != std::string::npos);
  CHECK(alpha < zeta);
  CHECK(zeta < fixed);
  CHECK(html.find("<td class=\"error\" colspan=\"6\">&lt;alpha&gt;</td>") != std::string::npos);
}

TEST_CASE("Report escapes the tiny and near-full shares it formats", "[report]") {
  Profile p;
  p.dataset.type = "images";
  p.AddSample({0, 48, 100}, 1);
  p.AddSample({0, 48, 120}, 9999);
  ReportInput in = WidthImagesInput(&p, {100, 128});
  in.comparison = Comparison();
  ComparisonEntry optimal;
  optimal.name = "optimal";
  optimal.evaluation.cost.coverage = 0.99999;
  in.comparison.entries.push_back(optimal);
  Evaluated(&in);
  const std::string html = RenderReportHtml(in);
  CHECK(html.find("<td>&lt;0.1%</td>") != std::string::npos);   // gear 100: 1 of 10,000
  CHECK(html.find("<td>&gt;99.9%</td>") != std::string::npos);  // comparison coverage
  // No '<' that does not open a tag the page writes itself.
  for (size_t at = html.find('<'); at != std::string::npos; at = html.find('<', at + 1)) {
    const char next = html[at + 1];
    INFO(html.substr(at, 20));
    CHECK((std::isalpha(static_cast<unsigned char>(next)) || next == '/' || next == '!'));
  }
}

TEST_CASE("Report for a static input shape says it needs no gears", "[report]") {
  Profile p;
  p.dataset.type = "images";
  p.AddSample({0, 48, 320}, 3);
  ReportInput in;
  in.shape = Shape(1, 48, 320);
  in.profile = &p;
  in.strategy = "static";
  const std::string html = RenderReportHtml(in);
  CHECK(html.find("id=\"dataset\"") != std::string::npos);
  CHECK(html.find("id=\"static\"") != std::string::npos);
  CHECK(html.find("<svg") == std::string::npos);
  in.profile = nullptr;
  const std::string without = RenderReportHtml(in);
  CHECK(without.find("id=\"static\"") != std::string::npos);
  CHECK(without.find("id=\"no-dataset\"") == std::string::npos);
}

TEST_CASE("Report header counts gear sides from the (h, w) gears when lists are empty",
          "[report]") {
  ReportInput in;
  in.shape = Shape(1, -1, -1);
  in.strategy = "default_scaling";
  in.gears.hw = {{32, 64}, {32, 128}, {64, 128}};
  const std::string html = RenderReportHtml(in);
  CHECK(html.find("height gears <strong>2</strong>") != std::string::npos);
  CHECK(html.find("width gears <strong>2</strong>") != std::string::npos);
  CHECK(html.find("(h, w) shapes <strong>3</strong>") != std::string::npos);
}

}  // namespace
}  // namespace autoscale
