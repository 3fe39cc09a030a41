#include "stats/report/report_html.h"

#include <algorithm>
#include <set>
#include <vector>

#include "stats/report/html_text.h"
#include "stats/report/report_sections.h"

namespace autoscale {

namespace {

// Everything the page needs is inline; the policy forbids loading anything,
// so the file stays self-contained even if a string slipped through.
constexpr const char kHead[] = R"(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="autoscale">
)";

constexpr const char kStyle[] = R"(<style>
:root { --ink: #212529; --muted: #5c636a; --line: #dee2e6; --bar: #6f9fd8; --gear: #e8590c;
  --rect: #d6336c; --chosen: #fff4d6; --bg: #f8f9fa; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1120px; margin: 0 auto; padding: 24px 28px 40px; }
header { border-bottom: 1px solid var(--line); margin-bottom: 8px; padding-bottom: 12px; }
h1 { font-size: 24px; margin: 0 0 6px; word-break: break-all; }
h2 { font-size: 19px; margin: 0 0 8px; }
h3 { font-size: 15px; margin: 18px 0 6px; }
section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 18px 22px;
  margin: 18px 0; }
.meta { display: flex; flex-wrap: wrap; gap: 6px 22px; margin: 0; padding: 0; list-style: none;
  color: var(--muted); }
.meta strong { color: var(--ink); font-weight: 600; }
.caption { color: var(--muted); margin: 0 0 12px; max-width: 900px; }
.note { background: #e7f1ff; border-left: 4px solid #4c8bf5; padding: 8px 12px; border-radius: 4px; }
.note.warn { background: #fff4e6; border-left-color: var(--gear); }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 8px 0 14px; }
.card { flex: 1 1 180px; border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; }
.card-value { font-size: 22px; font-weight: 600; font-variant-numeric: tabular-nums; }
.card-label { font-weight: 600; }
.card-note { color: var(--muted); font-size: 12px; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { padding: 4px 10px; border-bottom: 1px solid var(--line); text-align: right; }
th { background: #f1f3f5; font-weight: 600; }
td:first-child, th:first-child { text-align: left; }
th[colspan] { text-align: center; }
table.facts td:first-child { color: var(--muted); white-space: nowrap; }
table.facts td { text-align: left; }
.table-box { max-height: 380px; max-width: 100%; overflow: auto; display: inline-block;
  border: 1px solid var(--line); border-radius: 6px; }
td.count { white-space: nowrap; }
.table-box table th { position: sticky; top: 0; }
.share-bar { width: 160px; height: 10px; background: #f1f3f5; border-radius: 2px; }
.share-bar span { display: block; height: 10px; background: var(--bar); border-radius: 2px; }
tr.chosen td { background: var(--chosen); font-weight: 600; }
td.error { text-align: left; color: #c92a2a; }
td.na { color: #adb5bd; }
.tag { display: inline-block; font-size: 11px; font-weight: 600; padding: 0 6px; margin-left: 6px;
  border-radius: 8px; background: var(--gear); color: #fff; }
.warnings { margin: 6px 0 0; padding-left: 22px; }
.warnings li { margin: 2px 0; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 12.5px;
  background: #f1f3f5; padding: 0 3px; border-radius: 3px; word-break: break-all; }
.gear-list { font-variant-numeric: tabular-nums; }
.legend { display: flex; align-items: center; gap: 6px; color: var(--muted); margin: 4px 0; }
.swatch { display: inline-block; width: 14px; height: 12px; margin-left: 12px; }
.swatch:first-child { margin-left: 0; }
.swatch-bar { background: var(--bar); }
.swatch-gear { width: 3px; height: 16px; background: var(--gear); margin-left: 18px; }
.chart-box { overflow-x: auto; }
svg.chart { display: block; max-width: 100%; height: auto; font-family: inherit; }
svg .grid { stroke: #edf0f2; }
svg .axis { stroke: #868e96; }
svg .tick-mark { stroke: #868e96; }
svg .tick { font-size: 11px; fill: var(--muted); }
svg .axis-title { font-size: 12px; fill: var(--ink); }
svg .bar { fill: var(--bar); }
svg .bar:hover { fill: #3d72b4; }
svg .gear { stroke: var(--gear); stroke-width: 1.5; }
svg .gear:hover { stroke-width: 3; }
svg .gear-label { font-size: 11px; fill: var(--gear); font-weight: 600; }
svg .cell { stroke: none; }
svg .tail-band { fill: #f4f6f8; }
svg .tail-label { font-size: 11px; fill: var(--muted); font-style: italic; }
svg .axis-break-gap { fill: #fff; }
svg .axis-break { stroke: #868e96; stroke-width: 1.2; }
svg .gear-rect { fill: none; stroke: var(--rect); stroke-width: 1.25; stroke-opacity: 0.85; }
svg .gear-corner { fill: var(--rect); }
svg .gear-number { font-size: 10px; fill: #a61e4d; font-weight: 600; paint-order: stroke;
  stroke: #fff; stroke-width: 3px; stroke-linejoin: round; }
svg .legend-title { font-size: 12px; font-weight: 600; fill: var(--ink); }
svg .legend-text { font-size: 11px; fill: var(--muted); }
.small-multiples { display: flex; flex-wrap: wrap; gap: 14px; }
figure.batch-model { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: 8px;
  flex: 1 1 480px; }
figure.batch-model figcaption { margin-bottom: 4px; }
pre { overflow-x: auto; white-space: pre-wrap; margin: 6px 0; }
footer { color: var(--muted); font-size: 12px; text-align: center; margin-top: 24px; }
</style>
)";

std::string JoinPairs(const std::vector<HwGear>& values) {
  std::string out;
  for (const auto& [h, w] : values)
    out += (out.empty() ? "" : ", ") + std::to_string(h) + "\u00d7" + std::to_string(w);
  return out;
}

size_t ModelCount(const ReportInput& in) {
  if (in.shape.BatchDynamic() && in.shape.HwDynamic())
    return std::max<size_t>(1, in.gears.batch.size());
  return 1;
}

// The distinct heights (or widths) of the gears: the list, or else the
// (h, w) gears' sides.
size_t DistinctSides(const GearSet& g, bool height) {
  const auto& list = height ? g.height : g.width;
  std::set<int64_t> sides(list.begin(), list.end());
  if (sides.empty())
    for (const auto& [h, w] : g.hw) sides.insert(height ? h : w);
  return sides.size();
}

std::string Header(const ReportInput& in) {
  const std::string title = in.title.empty() ? "autoscale report" : PrintableText(in.title);
  std::string out = "<header>\n<h1>" + HtmlEscape(title) + "</h1>\n<ul class=\"meta\">\n";
  const auto item = [&](const std::string& label, const std::string& value) {
    out += "<li>" + HtmlEscape(label) + " <strong>" + HtmlEscape(value) + "</strong></li>\n";
  };
  item("input shape", in.shape.ToString());
  item("strategy", in.strategy.empty() ? "n/a" : in.strategy);
  const GearSet& g = in.gears;
  if (in.shape.BatchDynamic()) item("batch gears", std::to_string(g.batch.size()));
  if (in.shape.HeightDynamic()) item("height gears", std::to_string(DistinctSides(g, true)));
  if (in.shape.WidthDynamic()) item("width gears", std::to_string(DistinctSides(g, false)));
  if (in.shape.HeightDynamic() && in.shape.WidthDynamic())
    item("(h, w) shapes", std::to_string(g.hw.size()));
  item("models", std::to_string(ModelCount(in)));
  if (in.profile != nullptr) item("samples", FormatCount(in.profile->SampleCount()));
  out += "</ul>\n</header>\n";
  return out;
}

std::string DatasetSection(const Profile& p) {
  const DatasetInfo& d = p.dataset;
  std::string out = "<section id=\"dataset\">\n<h2>Dataset</h2>\n<table class=\"facts\">\n";
  const auto row = [&](const std::string& label, const std::string& value_html) {
    out += "<tr><td>" + HtmlEscape(label) + "</td><td>" + value_html + "</td></tr>\n";
  };
  static const std::pair<const char*, const char*> kTypes[] = {
      {"images", "image folder"},
      {"det_labels", "detection label file"},
      {"icdar", "ICDAR ground-truth folder"}};
  std::string type = d.type.empty() ? "unknown" : d.type;
  for (const auto& [key, name] : kTypes)
    if (d.type == key) type = name;
  row("type", HtmlEscape(type));
  row("path", "<code>" + HtmlEscape(PrintableText(d.path)) + "</code>");
  row("images read", FormatCount(d.images));
  if (d.type != "images") row("boxes read", FormatCount(d.boxes));
  row("samples", FormatCount(p.SampleCount()));
  const SkipCounts& s = d.skipped;
  std::vector<std::string> kinds;
  const auto kind = [&](uint64_t n, const char* one, const char* many) {
    if (n > 0) kinds.push_back(FormatCount(n) + " " + (n == 1 ? one : many));
  };
  kind(s.non_image, "non-image file", "non-image files");
  kind(s.corrupt, "corrupt image", "corrupt images");
  kind(s.degenerate_box, "degenerate box", "degenerate boxes");
  kind(s.bad_line, "malformed line", "malformed lines");
  kind(s.missing_file, "missing file", "missing files");
  kind(s.broken_link, "broken link", "broken links");
  kind(s.link_loop, "looping link", "looping links");
  kind(s.path_too_long, "path too long", "paths too long");
  std::string skipped = s.Total() == 0 ? "none" : FormatCount(s.Total());
  if (!kinds.empty()) {
    skipped += " (";
    for (size_t i = 0; i < kinds.size(); ++i) skipped += (i ? ", " : "") + kinds[i];
    skipped += ")";
  }
  row("skipped", HtmlEscape(skipped));
  out += "</table>\n";
  if (!d.warnings.empty()) {
    out +=
        "<h3>Warnings (" +
        (d.warnings_total > d.warnings.size() ? "the first " + std::to_string(d.warnings.size()) +
                                                    " of " + FormatCount(d.warnings_total)
                                              : FormatCount(d.warnings.size())) +
        ")</h3>\n<ol class=\"warnings\">\n";
    for (const Warning& w : d.warnings)
      out += "<li><code>" + HtmlEscape(PrintableText(w.where)) +
             "</code>: " + HtmlEscape(PrintableText(w.message)) + "</li>\n";
    out += "</ol>\n";
  } else if (d.warnings_total > 0) {
    out += "<p class=\"note\">" + FormatCount(d.warnings_total) + " warnings.</p>\n";
  }
  out += "</section>\n";
  return out;
}

std::string StaticSection() {
  return "<section id=\"static\">\n<h2>Gears</h2>\n<p class=\"note\">The input shape has no "
         "dynamic dim: the model keeps its one static shape and needs no gears.</p>\n</section>\n";
}

std::string NoDatasetSection(const ReportInput& in) {
  std::string out = "<section id=\"no-dataset\">\n<h2>Gears</h2>\n";
  out +=
      "<p class=\"note\">No dataset was given: the gears come from "
      "<code>default_scaling</code> in the configuration, capped like any other gear set. "
      "Give <code>--dataset_path</code> to choose gears that fit your data.</p>\n"
      "<table class=\"facts gear-list\">\n";
  const GearSet& g = in.gears;
  const auto row = [&](const std::string& label, size_t n, const std::string& values) {
    out += "<tr><td>" + HtmlEscape(label) + " (" + std::to_string(n) + ")</td><td>" +
           HtmlEscape(values) + "</td></tr>\n";
  };
  if (in.shape.BatchDynamic()) row("batch", g.batch.size(), JoinValues(g.batch));
  if (in.shape.HeightDynamic()) row("height", g.height.size(), JoinValues(g.height));
  if (in.shape.WidthDynamic()) row("width", g.width.size(), JoinValues(g.width));
  if (in.shape.HeightDynamic() && in.shape.WidthDynamic())
    row("(h, w)", g.hw.size(), JoinPairs(g.hw));
  out += "</table>\n</section>\n";
  return out;
}

// Strategy rows in a fixed order: the project's own first, others by name,
// the static shape last.
std::vector<const ComparisonEntry*> ComparisonRows(const Comparison& comparison) {
  static const char* kKnown[] = {"optimal", "mean_std", "max_min"};
  std::vector<const ComparisonEntry*> rows;
  for (const char* name : kKnown)
    if (const ComparisonEntry* e = comparison.Find(name)) rows.push_back(e);
  std::vector<const ComparisonEntry*> others;
  for (const ComparisonEntry& e : comparison.entries) {
    if (e.name == "static" || std::find(rows.begin(), rows.end(), &e) != rows.end()) continue;
    others.push_back(&e);
  }
  std::sort(others.begin(), others.end(),
            [](const ComparisonEntry* a, const ComparisonEntry* b) { return a->name < b->name; });
  rows.insert(rows.end(), others.begin(), others.end());
  if (const ComparisonEntry* e = comparison.Find("static")) rows.push_back(e);
  return rows;
}

// "6 batch · 15 (h, w)" from an entry's gear counts.
std::string GearCountText(const ComparisonEntry& row, const std::string& hw_name) {
  std::string out;
  const auto part = [&](size_t n, const std::string& what) {
    if (n == 0) return;
    out += (out.empty() ? "" : " \u00b7 ") + FormatCount(n) + " " + what;
  };
  part(row.batch_gears, "batch");
  part(row.hw_gears, hw_name);
  return out;
}

// A number cell: a share, a signed percent, a count, or a cost with about
// four significant digits.
enum class CellKind { kShare, kPercent, kCount, kCost };
std::string CostCell(double v, CellKind kind) {
  std::string text;
  switch (kind) {
    case CellKind::kShare:
      text = FormatShare(v);
      break;
    case CellKind::kPercent:
      text = FormatPercent(v);
      break;
    case CellKind::kCount:
      text = FormatCount(static_cast<uint64_t>(std::max(0.0, v)));
      break;
    case CellKind::kCost:
      text = FormatCost(v);
      break;
  }
  return "<td>" + HtmlEscape(text) + "</td>";
}

std::string ComparisonHead(const std::string& unit, bool counts) {
  std::string out =
      "<section id=\"comparison\">\n<h2>What each strategy's gears cost</h2>\n"
      "<p class=\"caption\">Every strategy's gears routed over the same images by the runtime's "
      "router, beside one static shape that fits every sample. <strong>cost</strong>: the "
      "predicted cost of every call" +
      (unit.empty() ? std::string() : " (" + HtmlEscape(unit) + ")") +
      "; <strong>padding</strong>: compute of the calls over the compute of the samples, minus "
      "1; <strong>coverage</strong>: share of samples served unshrunk; <strong>saving</strong>: "
      "cost saved against the static shape.</p>\n"
      "<div class=\"table-box\"><table class=\"comparison\">\n<thead><tr><th>strategy</th>";
  if (counts) out += "<th>gears</th>";
  out +=
      "<th>cost</th><th>calls</th><th>per image</th><th>padding</th><th>coverage</th>"
      "<th>saving</th></tr></thead>\n<tbody>\n";
  return out;
}

std::string ComparisonRow(const ComparisonEntry& row, bool chosen, bool counts,
                          const std::string& hw_name, bool savings_comparable) {
  std::string out = chosen ? "<tr class=\"chosen\">" : "<tr>";
  out +=
      "<td>" + HtmlEscape(row.name) + (chosen ? "<span class=\"tag\">chosen</span>" : "") + "</td>";
  if (counts) out += "<td class=\"count\">" + HtmlEscape(GearCountText(row, hw_name)) + "</td>";
  if (!row.error.empty())
    return out + "<td class=\"error\" colspan=\"6\">" + HtmlEscape(row.error) + "</td></tr>\n";
  const CostEvaluation& cost = row.evaluation.cost;
  out += CostCell(cost.total, CellKind::kCost) +
         CostCell(static_cast<double>(cost.calls), CellKind::kCount) +
         CostCell(cost.per_image, CellKind::kCost) + CostCell(cost.padding, CellKind::kPercent) +
         CostCell(cost.coverage, CellKind::kShare) +
         (savings_comparable ? CostCell(cost.saving_vs_static, CellKind::kPercent)
                             : std::string("<td>n/a</td>"));
  return out + "</tr>\n";
}

std::string ComparisonSection(const ReportInput& in) {
  if (in.comparison.empty()) return "";
  const bool both = in.shape.HeightDynamic() && in.shape.WidthDynamic();
  const std::string hw_name = both ? "(h, w)" : in.shape.WidthDynamic() ? "width" : "height";
  const std::vector<const ComparisonEntry*> rows = ComparisonRows(in.comparison);
  bool counts = false;
  std::string unit;
  for (const ComparisonEntry* r : rows) {
    counts = counts || !GearCountText(*r, hw_name).empty();
    if (r->error.empty() && !r->evaluation.cost.unit.empty()) unit = r->evaluation.cost.unit;
  }
  std::string out = ComparisonHead(unit, counts);
  for (const ComparisonEntry* row : rows)
    out += ComparisonRow(*row, row->name == in.strategy, counts, hw_name, in.savings_comparable);
  out += "</tbody></table></div>\n</section>\n";
  return out;
}

}  // namespace

std::string RenderReportHtml(const ReportInput& input) {
  const std::string title = input.title.empty() ? "autoscale report" : PrintableText(input.title);
  std::string out = kHead;
  out += "<title>" + HtmlEscape(title) + " \u2014 autoscale report</title>\n";
  out += kStyle;
  out += "</head>\n<body>\n<main>\n";
  out += Header(input);
  out += ConversionSection(input);
  if (input.profile != nullptr) out += DatasetSection(*input.profile);
  if (input.shape.IsStatic()) {
    out += StaticSection();
  } else if (input.profile != nullptr) {
    if (input.profile->SampleCount() == 0) {
      out +=
          "<section id=\"no-samples\">\n<p class=\"note\">The dataset gave no samples: there is "
          "no distribution to draw.</p>\n</section>\n";
    }
    out += OneDimSection(input);
    out += PairsSection(input);
    out += PerBatchSection(input);
    out += BatchSection(input);
  } else {
    out += NoDatasetSection(input);
  }
  if (!input.warnings.empty()) {
    out += "<section id=\"figure-warnings\">\n<h2>Warnings</h2>\n<ol class=\"warnings\">\n";
    for (const std::string& w : input.warnings) out += "<li>" + HtmlEscape(w) + "</li>\n";
    out += "</ol>\n</section>\n";
  }
  out += CostSection(input);
  out += ComparisonSection(input);
  out +=
      "<footer>Written by autoscale. Sizes are in model pixels, after the input shape's "
      "scaling.</footer>\n</main>\n</body>\n</html>\n";
  return out;
}

}  // namespace autoscale
