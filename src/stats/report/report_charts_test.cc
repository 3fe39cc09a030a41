#include "stats/report/report_sections.h"

#include <catch2/catch.hpp>

#include <string>

#include "stats/report/report_test_inputs.h"
#include "support/html_search.h"

namespace autoscale {
namespace {

using report_test::Evaluated;
using report_test::RecognitionInput;
using report_test::RecognitionProfile;
using report_test::Shape;
using report_test::WidthImagesInput;
using test::CountOf;
using test::SvgElementById;

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
