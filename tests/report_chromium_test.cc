// End-to-end tests of `--report`: `autoscale stats` writes the HTML report for
// data/samples, and headless Chromium renders it. Chromium is a build
// dependency (scripts/install-deps.sh): without it these tests fail.
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "support/chromium.h"
#include "support/html_search.h"
#include "support/run_binary.h"

using autoscale::test::ChromiumResult;
using autoscale::test::CountOf;
using autoscale::test::FindChromium;
using autoscale::test::ReadTextFile;
using autoscale::test::RunAutoscale;
using autoscale::test::RunHeadlessChromium;
using autoscale::test::SourcePath;
using autoscale::test::SvgElementById;
using autoscale::test::TempDir;
namespace fs = std::filesystem;

namespace {

std::string RequireChromium() {
  const std::string chromium = FindChromium();
  INFO("chromium is not on PATH: run scripts/install-deps.sh");
  REQUIRE(!chromium.empty());
  return chromium;
}

// Runs `autoscale stats` with --report and --json into `dir`; returns the JSON.
nlohmann::json StatsWithReport(const TempDir& dir, const std::vector<std::string>& args) {
  std::vector<std::string> all = {"stats", "--quiet", "--report", dir / "report.html", "--json",
                                  dir / "out.json"};
  all.insert(all.end(), args.begin(), args.end());
  const auto r = RunAutoscale(all);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  REQUIRE(fs::is_regular_file(dir / "report.html"));
  return nlohmann::json::parse(ReadTextFile(dir / "out.json"));
}

std::string DumpDom(const std::string& chromium, const std::string& html) {
  const ChromiumResult r = RunHeadlessChromium(chromium, html, {"--dump-dom"});
  INFO(r.err.substr(0, 2000));
  REQUIRE(!r.timed_out);
  REQUIRE(r.exit_code == 0);
  REQUIRE(r.out.find("</html>") != std::string::npos);
  return r.out;
}

// Pixels within `tolerance` of an RGB colour.
int PixelsNear(const cv::Mat& bgr, int r, int g, int b, int tolerance) {
  int n = 0;
  for (int y = 0; y < bgr.rows; ++y) {
    for (int x = 0; x < bgr.cols; ++x) {
      const cv::Vec3b p = bgr.at<cv::Vec3b>(y, x);
      if (std::abs(p[2] - r) <= tolerance && std::abs(p[1] - g) <= tolerance &&
          std::abs(p[0] - b) <= tolerance)
        ++n;
    }
  }
  return n;
}

}  // namespace

TEST_CASE("report of a width-dynamic model renders in Chromium with its charts",
          "[report][chromium]") {
  const std::string chromium = RequireChromium();
  TempDir dir;
  const nlohmann::json j = StatsWithReport(
      dir, {"--dataset_path", SourcePath("data/samples/det_label.txt"), "--input_shape=-1,3,48,-1"});
  const std::string dom = DumpDom(chromium, dir / "report.html");

  for (const char* section : {"id=\"dataset\"", "id=\"width\"", "id=\"batch\"", "id=\"comparison\""})
    CHECK(dom.find(section) != std::string::npos);
  CHECK(dom.find("det_label.txt") != std::string::npos);

  const std::string width_chart = SvgElementById(dom, "width-chart");
  REQUIRE(!width_chart.empty());
  CHECK(CountOf(width_chart, "class=\"gear\"") == j["gears"]["width"].size());
  for (const auto& w : j["gears"]["width"])
    CHECK(CountOf(width_chart, "data-gear=\"" + std::to_string(w.get<int64_t>()) + "\"") == 1);
  CHECK(CountOf(width_chart, "class=\"bar\"") >= 1);
  CHECK(width_chart.find("class=\"axis-title\"") != std::string::npos);

  const std::string batch_chart = SvgElementById(dom, "batch-chart");
  REQUIRE(!batch_chart.empty());
  CHECK(CountOf(batch_chart, "class=\"gear\"") == j["gears"]["batch_size"].size());
  CHECK(CountOf(dom, "<tr class=\"chosen\">") == 1);
}

TEST_CASE("report of an (h, w) model renders the size map with each gear's rectangle",
          "[report][chromium]") {
  const std::string chromium = RequireChromium();
  TempDir dir;
  const nlohmann::json j = StatsWithReport(
      dir, {"--dataset_path", SourcePath("data/samples/images"), "--input_shape=1,3,-1,-1"});
  const std::string dom = DumpDom(chromium, dir / "report.html");
  const std::string chart = SvgElementById(dom, "hw-chart");
  REQUIRE(!chart.empty());
  CHECK(CountOf(chart, "class=\"gear-rect\"") == j["gears"]["hw"].size());
  CHECK(CountOf(chart, "class=\"cell\"") >= 1);
  CHECK(dom.find("1 (1 non-image file)") != std::string::npos);
  CHECK(dom.find("id=\"batch\"") == std::string::npos);
}

TEST_CASE("report without a dataset renders the default gears", "[report][chromium]") {
  const std::string chromium = RequireChromium();
  TempDir dir;
  StatsWithReport(dir, {"--input_shape=-1,3,48,-1"});
  const std::string dom = DumpDom(chromium, dir / "report.html");
  CHECK(dom.find("id=\"no-dataset\"") != std::string::npos);
  CHECK(dom.find("No dataset was given") != std::string::npos);
}

TEST_CASE("report screenshot shows the charts", "[report][chromium]") {
  const std::string chromium = RequireChromium();
  TempDir dir;
  StatsWithReport(dir, {"--dataset_path", SourcePath("data/samples/det_label.txt"),
                        "--input_shape=-1,3,48,-1"});
  const std::string png = dir / "report.png";
  const ChromiumResult r = RunHeadlessChromium(
      chromium, dir / "report.html", {"--screenshot=" + png, "--window-size=1200,2000"});
  INFO(r.err.substr(0, 2000));
  REQUIRE(!r.timed_out);
  REQUIRE(r.exit_code == 0);
  REQUIRE(fs::is_regular_file(png));
  CHECK(fs::file_size(png) > 20000);
  const cv::Mat image = cv::imread(png, cv::IMREAD_COLOR);
  REQUIRE(!image.empty());
  CHECK(image.cols == 1200);
  CHECK(image.rows == 2000);
  // The histogram's bars (#6f9fd8) and gear lines (#e8590c) were drawn.
  CHECK(PixelsNear(image, 0x6f, 0x9f, 0xd8, 12) > 2000);
  CHECK(PixelsNear(image, 0xe8, 0x59, 0x0c, 30) > 200);
  // Not a blank page: the text and charts leave many dark pixels.
  CHECK(PixelsNear(image, 0x30, 0x30, 0x30, 0x30) > 5000);
}
