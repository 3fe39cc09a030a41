#include "stats/report/report_sections.h"

#include <catch2/catch.hpp>

#include <string>

#include "support/html_search.h"

namespace autoscale {
namespace {

using test::CountOf;

TEST_CASE("Card escapes its texts and leaves out an empty note", "[report]") {
  CHECK(Card("a<b", "1 & 2", "") ==
        "<div class=\"card\"><div class=\"card-value\">1 &amp; 2</div>"
        "<div class=\"card-label\">a&lt;b</div></div>\n");
  const std::string noted = Card("coverage", "99%", "\"most\"");
  CHECK(noted.find("<div class=\"card-note\">&quot;most&quot;</div>") != std::string::npos);
}

TEST_CASE("FigureCards shows coverage, samples and the static shape when given", "[report]") {
  DimEvaluation e;
  e.samples = 12345;
  e.coverage = 0.5;
  const std::string with = FigureCards(e, "48\u00d7320");
  CHECK(CountOf(with, "class=\"card\"") == 3);
  CHECK(with.find(">50.0%<") != std::string::npos);
  CHECK(with.find(">12,345<") != std::string::npos);
  CHECK(with.find(">48\u00d7320<") != std::string::npos);
  const std::string without = FigureCards(e, "");
  CHECK(CountOf(without, "class=\"card\"") == 2);
  CHECK(without.find("static shape") == std::string::npos);
}

TEST_CASE("BarGearLegend escapes both texts", "[report]") {
  const std::string legend = BarGearLegend("boxes <per> width", "gear & more");
  CHECK(legend.find("swatch-bar\"></span>boxes &lt;per&gt; width") != std::string::npos);
  CHECK(legend.find("swatch-gear\"></span>gear &amp; more</p>") != std::string::npos);
}

TEST_CASE("GearShareTable has a row per gear with its share and running total", "[report]") {
  GearUsage usage;
  usage.served = {30, 60, 10};
  usage.total = 100;
  const std::string table = GearShareTable("width", {"64", "<128>", "256"}, "boxes", usage, true);
  CHECK(CountOf(table, "<tr><td>") == 3);
  CHECK(table.find("<th>width</th><th>boxes</th><th>share</th><th>cumulative</th>") !=
        std::string::npos);
  CHECK(table.find("<tr><td>1</td><td>64</td><td>30</td><td>30.0%</td><td>30.0%</td>") !=
        std::string::npos);
  CHECK(table.find("<tr><td>2</td><td>&lt;128&gt;</td><td>60</td><td>60.0%</td><td>90.0%</td>") !=
        std::string::npos);
  CHECK(table.find("style=\"width:60.0%\"") != std::string::npos);
  const std::string plain = GearShareTable("gear", {"a", "b"}, "n", usage, false);
  CHECK(plain.find("cumulative") == std::string::npos);
  CHECK(CountOf(plain, "<tr><td>") == 2);  // the names limit the rows
  // Nothing served: shares of zero, not NaN.
  GearUsage none;
  none.served = {0};
  const std::string empty = GearShareTable("gear", {"a"}, "n", none, false);
  CHECK(empty.find("nan") == std::string::npos);
  CHECK(empty.find("style=\"width:0.0%\"") != std::string::npos);
}

TEST_CASE("JoinValues separates with a comma and a space", "[report]") {
  CHECK(JoinValues({}) == "");
  CHECK(JoinValues({7}) == "7");
  CHECK(JoinValues({1, 4, -8}) == "1, 4, -8");
}

}  // namespace
}  // namespace autoscale
