#include "stats/report/report_sections.h"

#include <catch2/catch.hpp>

#include <string>

#include "stats/report/report_test_inputs.h"
#include "support/html_search.h"

namespace autoscale {
namespace {

using report_test::RecognitionInput;
using report_test::RecognitionProfile;
using test::CountOf;
using test::SvgElementById;

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

}  // namespace
}  // namespace autoscale
