#include "stats/report/report_html.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <utility>
#include <vector>

#include "support/html_search.h"

namespace autoscale {
namespace {

using test::CountOf;
using test::SvgElementById;

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

InputShape Shape(int64_t n, int64_t h, int64_t w) { return InputShape{{n, 3, h, w}}; }

// A recognition dataset: boxes of height 48 with widths 20..400, box counts
// per image from 1 to 40, and a malicious path in a warning.
Profile RecognitionProfile() {
  Profile p;
  p.input_shape = Shape(-1, 48, -1);
  p.dataset.type = "det_labels";
  p.dataset.path = "/data/<b>labels</b>.txt";
  p.dataset.images = 120;
  p.dataset.boxes = 1000;
  p.dataset.skipped.degenerate_box = 3;
  p.dataset.skipped.bad_line = 1;
  p.AddWarning(7, "imgs/<script>alert(1)</script>.jpg:3", "box has a side under 1 px & \"was\" skipped");
  p.AddWarning(9, "labels.txt:12", "malformed JSON");
  for (int64_t w = 20; w <= 400; w += 3) p.AddSample({1 + w % 40, 48, w}, static_cast<uint64_t>(1 + w % 7));
  for (int64_t b = 1; b <= 40; ++b) p.AddBoxCount(b, static_cast<uint64_t>(1 + (b * 7) % 5));
  return p;
}

// The evaluation of the input's gears on its profile, as the pipeline
// gives the report.
void Evaluated(ReportInput* in) {
  GearSet g = in->gears;
  Normalize(&g, in->shape);
  in->evaluation = Evaluate(*in->profile, g, in->shape, in->config);
}

// An image folder served by a width-only model with these width gears.
ReportInput WidthImagesInput(const Profile* profile, std::vector<int64_t> widths) {
  ReportInput in;
  in.shape = Shape(1, 48, -1);
  in.profile = profile;
  in.strategy = "optimal";
  for (int64_t w : widths) in.gears.hw.push_back({48, w});
  in.gears.width = std::move(widths);
  return in;
}

// optimal (chosen, 5 batch and 5 width gears), max_min, a failed mean_std
// and the static shape.
Comparison SampleComparison() {
  Comparison c;
  const auto entry = [&c](const char* name, double total, uint64_t calls, double per_image,
                          double padding, double coverage, double saving, size_t batch,
                          size_t hw) {
    ComparisonEntry e;
    e.name = name;
    CostEvaluation& k = e.evaluation.cost;
    k.unit = "px";
    k.total = total;
    k.calls = calls;
    k.per_image = per_image;
    k.padding = padding;
    k.coverage = coverage;
    k.saving_vs_static = saving;
    e.batch_gears = batch;
    e.hw_gears = hw;
    c.entries.push_back(e);
  };
  entry("optimal", 1500000, 150, 12500, 0.1425, 0.998, 0.61, 5, 5);
  entry("max_min", 2100000, 160, 17500, 1.05, 1.0, 0.1, 0, 0);
  c.AddError("mean_std", "mean_std: <no> samples");
  entry("static", 3846154, 120, 32051.3, 3.5, 1.0, 0.0, 1, 1);
  return c;
}

ReportInput RecognitionInput(const Profile* profile) {
  ReportInput in;
  in.title = "recognition run";
  in.shape = Shape(-1, 48, -1);
  in.profile = profile;
  in.strategy = "optimal";
  in.gears.batch = {1, 4, 8, 16, 32};
  in.gears.width = {64, 96, 160, 256, 416};
  for (int64_t w : in.gears.width) in.gears.hw.push_back({48, w});
  in.gears.height = {48};
  Evaluation e;
  DimEvaluation d;
  d.samples = profile ? profile->SampleCount() : 0;
  d.coverage = 0.998;
  d.static_height = 48;
  d.static_width = 416;
  e.width = d;
  e.hw = d;
  CostEvaluation& c = e.cost;
  c.unit = "px";
  c.total = 1.5e6;
  c.calls = 150;
  c.images = 120;
  c.boxes = 1000;
  c.per_image = 12500;
  c.per_box = 1500;
  c.padding = 0.1425;
  c.saving_vs_static = 0.61;
  c.static_total = 3846154;
  c.coverage = 0.998;
  c.shrunk = 2;
  c.gears = {{1, 48, 64, 100, 900, 1.2e6}, {4, 48, 416, 50, 100, 3e5}, {8, 48, 416, 0, 0, 0}};
  in.evaluation = e;
  in.comparison = SampleComparison();
  return in;
}

TEST_CASE("Report for a width-dynamic model has every section", "[report]") {
  const Profile profile = RecognitionProfile();
  const ReportInput in = RecognitionInput(&profile);
  const std::string html = RenderReportHtml(in);
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(html.find("</html>") != std::string::npos);
  CHECK(html.find("<title>recognition run") != std::string::npos);
  for (const char* id : {"id=\"dataset\"", "id=\"width\"", "id=\"batch\"", "id=\"cost\"",
                         "id=\"comparison\""})
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

TEST_CASE("Report draws one gear line per gear on each chart", "[report]") {
  const Profile profile = RecognitionProfile();
  const ReportInput in = RecognitionInput(&profile);
  const std::string html = RenderReportHtml(in);
  const std::string width_chart = SvgElementById(html, "width-chart");
  REQUIRE(!width_chart.empty());
  CHECK(CountOf(width_chart, "class=\"gear\"") == in.gears.width.size());
  for (int64_t w : in.gears.width)
    CHECK(CountOf(width_chart, "data-gear=\"" + std::to_string(w) + "\"") == 1);
  CHECK(CountOf(width_chart, "class=\"bar\"") > 10);
  const std::string batch_chart = SvgElementById(html, "batch-chart");
  REQUIRE(!batch_chart.empty());
  CHECK(CountOf(batch_chart, "class=\"gear\"") == in.gears.batch.size());
  // Each gear has a row in its share table.
  CHECK(CountOf(html, "<tr><td>5</td>") == 2);  // width gear 5, batch gear 5
  // The width shares count what the routing served: 900 boxes in 64, 100 in 416.
  CHECK(html.find("<tr><td>1</td><td>64</td><td>900</td><td>90.0%</td>") != std::string::npos);
  CHECK(html.find("<tr><td>5</td><td>416</td><td>100</td><td>10.0%</td>") != std::string::npos);
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

TEST_CASE("Report for an (h, w) model draws the sizes and each gear's rectangle", "[report]") {
  Profile p;
  p.input_shape = Shape(1, -1, -1);
  p.dataset.type = "images";
  p.dataset.path = "receipts/";
  p.dataset.images = 6;
  p.dataset.skipped.non_image = 2;
  p.AddSample({0, 1280, 600}, 3);
  p.AddSample({0, 1280, 900}, 1);
  p.AddSample({0, 720, 1280}, 2);
  ReportInput in;
  in.shape = p.input_shape;
  in.profile = &p;
  in.strategy = "optimal";
  in.gears.hw = {{736, 1280}, {1280, 608}, {1280, 928}};
  in.gears.height = {736, 1280};
  in.gears.width = {608, 928, 1280};
  Evaluated(&in);
  const std::string html = RenderReportHtml(in);
  CHECK(html.find("<h1>autoscale report</h1>") != std::string::npos);
  CHECK(html.find("id=\"hw\"") != std::string::npos);
  CHECK(html.find("id=\"width\"") == std::string::npos);
  CHECK(html.find("id=\"batch\"") == std::string::npos);
  CHECK(html.find("id=\"comparison\"") == std::string::npos);
  const std::string chart = SvgElementById(html, "hw-chart");
  REQUIRE(!chart.empty());
  CHECK(CountOf(chart, "class=\"gear-rect\"") == 3);
  CHECK(CountOf(chart, "class=\"cell\"") == 3);
  CHECK(html.find("2 (2 non-image files)") != std::string::npos);
  CHECK(html.find("1280 \u00d7 608") != std::string::npos);
  CHECK(html.find(">50.0%<") != std::string::npos);  // 1280x608 serves 3 of 6
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

TEST_CASE("Report with an image folder and N dynamic explains the batch gears", "[report]") {
  Profile p;
  p.dataset.type = "images";
  p.AddSample({0, 48, 100}, 4);
  ReportInput in;
  in.shape = Shape(-1, 48, -1);
  in.profile = &p;
  in.strategy = "max_min";
  in.gears.batch = {1, 4, 8};
  in.gears.width = {96, 128};
  const std::string html = RenderReportHtml(in);
  CHECK(html.find("no batch information") != std::string::npos);
  CHECK(html.find("batch-chart") == std::string::npos);
  CHECK(html.find("batch_choices as given: 1, 4, 8.") != std::string::npos);
  // Width gears come from hw when the width list is empty.
  ReportInput from_hw = in;
  from_hw.gears.width.clear();
  from_hw.gears.hw = {{48, 96}, {48, 128}};
  CHECK(CountOf(SvgElementById(RenderReportHtml(from_hw), "width-chart"), "class=\"gear\"") == 2);
}

TEST_CASE("Report draws each batch model's own gears", "[report]") {
  const Profile profile = RecognitionProfile();
  ReportInput in = RecognitionInput(&profile);
  in.gears.hw_per_batch[4] = {{48, 64}, {48, 128}};
  in.evaluation = Evaluate(profile, in.gears, in.shape, in.config);
  const std::string html = RenderReportHtml(in);
  CHECK(html.find("id=\"per-batch\"") != std::string::npos);
  // A model the router sends boxes to has its chart; the others are listed.
  std::string idle;
  for (int64_t b : in.gears.batch) {
    const std::string chart = SvgElementById(html, "width-chart-b" + std::to_string(b));
    const bool used = in.evaluation->cost.served.count(b) > 0;
    CHECK(chart.empty() == !used);
    if (!used) idle += (idle.empty() ? "" : ", ") + std::to_string(b);
    if (used) CHECK(CountOf(chart, "class=\"gear\"") == (b == 4 ? 2 : in.gears.width.size()));
  }
  CHECK(in.evaluation->cost.served.count(4) == 1);
  if (!idle.empty()) CHECK(html.find("model of batch " + idle + ",") != std::string::npos);
  CHECK(html.find("width gears 64, 128") != std::string::npos);
  // Without an evaluation nothing is routed: every model is idle.
  in.evaluation.reset();
  CHECK(RenderReportHtml(in).find("The router sends no box of the dataset to the model of batch "
                                  "1, 4, 8, 16, 32") != std::string::npos);
}

TEST_CASE("Report cost section: figures, every gear's calls and cost, the curve", "[report]") {
  const Profile profile = RecognitionProfile();
  ReportInput in = RecognitionInput(&profile);
  std::string html = RenderReportHtml(in);
  const size_t at = html.find("<section id=\"cost\">");
  REQUIRE(at != std::string::npos);
  const std::string section = html.substr(at, html.find("</section>", at) - at);
  CHECK(section.find("1,500,000 px") != std::string::npos);
  CHECK(section.find("12,500 px") != std::string::npos);
  CHECK(section.find("3,846,154 px") != std::string::npos);
  CHECK(
      section.find("<tr><td>1</td><td>48 \u00d7 64</td><td>100</td><td>1,200,000</td><td>80.0%") !=
      std::string::npos);
  CHECK(CountOf(section, "<tr class=\"idle\">") == 1);  // batch 8 ran nothing
  CHECK(section.find("cost-curve") == std::string::npos);
  in.cost_curve = {{2, 3e6}, {5, 1.5e6}, {10, 1.2e6}};
  html = RenderReportHtml(in);
  const std::string curve = SvgElementById(html, "cost-curve");
  REQUIRE(!curve.empty());
  CHECK(CountOf(curve, "<circle") == 3);
  // No evaluation, no cost section.
  in.evaluation.reset();
  CHECK(RenderReportHtml(in).find("id=\"cost\"") == std::string::npos);
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

TEST_CASE("Report lists strategies it does not know by name, before the static shape",
          "[report]") {
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
  CHECK(html.find("<td>&lt;0.1%</td>") != std::string::npos);      // gear 100: 1 of 10,000
  CHECK(html.find("<td>&gt;99.9%</td>") != std::string::npos);     // comparison coverage
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

TEST_CASE("Report says how many samples no gear holds", "[report]") {
  Profile p;
  p.dataset.type = "images";
  p.AddSample({0, 48, 100}, 3);
  p.AddSample({0, 48, 900}, 1);
  ReportInput in = WidthImagesInput(&p, {128, 256});
  Evaluated(&in);
  const std::string html = RenderReportHtml(in);
  CHECK(html.find("1 image (25.0%) is wider than the largest gear and is shrunk into it.") !=
        std::string::npos);
  p.AddSample({0, 48, 700}, 1);
  Evaluated(&in);
  CHECK(RenderReportHtml(in).find("2 images (40.0%) are wider") != std::string::npos);
  // Without an evaluation nothing is routed: no gear serves a sample.
  in.evaluation.reset();
  const std::string unrouted = RenderReportHtml(in);
  CHECK(unrouted.find("shrunk into it") == std::string::npos);
  CHECK(unrouted.find("Nothing was routed, so no gear serves a sample.") != std::string::npos);
}

}  // namespace
}  // namespace autoscale
