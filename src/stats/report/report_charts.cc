// The report's distribution sections: samples with the gears drawn over them.
#include <algorithm>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "stats/report/html_text.h"
#include "stats/report/report_sections.h"
#include "stats/report/svg/svg_heatmap.h"
#include "stats/report/svg/svg_histogram.h"

namespace autoscale {

namespace {

using ValueCounts = std::map<int64_t, double>;
using PairValueCounts = std::map<std::pair<int64_t, int64_t>, double>;

ValueCounts ToDoubles(const Histogram& h) {
  ValueCounts out;
  for (const auto& [v, n] : h.counts()) out[v] = static_cast<double>(n);
  return out;
}

// What one sample is: a box crop for annotation datasets, an image for folders.
std::string SampleNoun(const Profile& p) {
  if (p.dataset.type == "images") return "images";
  if (p.dataset.type.empty()) return "samples";
  return "boxes";
}

std::string SingularNoun(const Profile& p) {
  if (p.dataset.type == "images") return "image";
  if (p.dataset.type.empty()) return "sample";
  return "box";
}

bool WidthOnly(const InputShape& s) { return s.WidthDynamic() && !s.HeightDynamic(); }

// The gears of the dynamic dim of a one-dim model, from its (h, w) gears.
std::vector<int64_t> DimValues(const std::vector<HwGear>& hw, bool width) {
  std::vector<int64_t> out;
  for (const auto& g : hw) out.push_back(width ? g.second : g.first);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<int64_t> OneDimGears(const GearSet& gears, bool width) {
  const auto& direct = width ? gears.width : gears.height;
  if (!direct.empty()) {
    std::vector<int64_t> out = direct;
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }
  return DimValues(gears.hw, width);
}

// The (h, w) gears of batch gear `b`'s model (GearSet::HwFor's rule).
const std::vector<HwGear>& ModelGears(const GearSet& gears, int64_t b) {
  auto it = gears.hw_per_batch.find(b);
  return it == gears.hw_per_batch.end() ? gears.hw : it->second;
}

// Says that the gears drawn are every batch model's together, when the
// models have gears of their own.
std::string PerBatchNote(const ReportInput& input) {
  if (!input.shape.BatchDynamic() || input.gears.hw_per_batch.empty()) return "";
  const std::string noun = input.profile ? SampleNoun(*input.profile) : "samples";
  return "<p class=\"note\">Each batch model has gears of its own: this chart draws the gears of "
         "all " + std::to_string(input.gears.batch.size()) + " batch models together, and the "
         "shares count the " + noun + " as if one model had them all. Each model's own gears are "
         "drawn in the section after this one.</p>\n";
}

// How the share tables count: as routed; with no evaluation nothing is.
std::string ServedText(const ReportInput& input) {
  if (input.evaluation)
    return "The tables count the samples each gear's calls serve as the router splits the "
           "images: a sample may ride in a larger gear with the others of its call.";
  return "Nothing was routed, so no gear serves a sample.";
}

// "h×w" of the static shape an evaluation compared against; a dim the
// evaluation left out is the model's fixed value.
std::string StaticShapeText(const DimEvaluation& e, const InputShape& shape) {
  const int64_t h = e.static_height > 0 ? e.static_height : shape.dims[kH];
  const int64_t w = e.static_width > 0 ? e.static_width : shape.dims[kW];
  if (h <= 0 || w <= 0) return "";
  return std::to_string(h) + "\u00d7" + std::to_string(w);
}

std::string ShareTooltip(const std::string& gear, double served, double total,
                         const std::string& noun) {
  return "gear " + gear + ": " + CountLabel(served) + " " + noun + " (" +
         FormatShare(total > 0 ? served / total : 0) + ")";
}

// "3 boxes (0.2%) are wider than the largest gear and are shrunk into it."
std::string ShrunkNote(const GearUsage& usage, const Profile& p, const std::string& what) {
  if (usage.shrunk <= 0) return "";
  const bool one = usage.shrunk == 1;
  return "<p class=\"note warn\">" + CountLabel(usage.shrunk) + " " +
         HtmlEscape(one ? SingularNoun(p) : SampleNoun(p)) + " (" +
         HtmlEscape(FormatShare(usage.shrunk / usage.total)) + (one ? ") is " : ") are ") +
         HtmlEscape(what) + " than the largest gear and " + (one ? "is" : "are") +
         " shrunk into it.</p>\n";
}

// How many samples each gear's calls serve as the router split the images,
// summed over the batch models (`batch` 0) or of batch model `batch`; gear i
// of `gears` is matched by key_of(GearCost). All zero without an evaluation.
template <typename Key, typename KeyOf>
GearUsage RoutedUsage(const ReportInput& in, const std::vector<Key>& gears, KeyOf key_of,
                      int64_t batch = 0) {
  GearUsage usage;
  usage.served.assign(gears.size(), 0.0);
  if (!in.evaluation) return usage;
  const CostEvaluation& c = in.evaluation->cost;
  std::map<Key, double> samples;
  for (const GearCost& g : c.gears) {
    if (batch > 0 && g.batch != batch) continue;
    samples[key_of(g)] += static_cast<double>(g.samples);
    usage.total += static_cast<double>(g.samples);
  }
  for (size_t i = 0; i < gears.size(); ++i)
    if (samples.count(gears[i])) usage.served[i] = samples[gears[i]];
  if (batch == 0) usage.shrunk = static_cast<double>(c.shrunk);
  return usage;
}

struct OneDimChartInput {
  std::string id;
  std::string dim;  // "width" or "height"
  std::string noun;
  ValueCounts counts;
  std::vector<int64_t> gears;
  int64_t interval = 32;
  ChartFrame frame;
  // The samples each gear serves as routed (RoutedUsage).
  GearUsage routed;
};

// The histogram with the gear lines, and how many samples each gear serves.
std::pair<std::string, GearUsage> OneDimChart(const OneDimChartInput& in) {
  const GearUsage& usage = in.routed;
  HistogramChart chart;
  chart.id = in.id;
  chart.frame = in.frame;
  chart.label = "Histogram of the " + in.dim + "s of the " + in.noun + " with the " +
                std::to_string(in.gears.size()) + " " + in.dim + " gears";
  chart.x_label = in.dim + " (model pixels)";
  chart.y_label = in.noun;
  chart.noun = in.noun;
  chart.counts = in.counts;
  chart.align = in.interval;
  for (size_t i = 0; i < in.gears.size(); ++i) {
    chart.gears.push_back({in.gears[i], ShareTooltip(TickLabel(static_cast<double>(in.gears[i])),
                                                     usage.served[i], usage.total, in.noun)});
  }
  return {RenderHistogramSvg(chart), usage};
}

}  // namespace

std::string OneDimSection(const ReportInput& input) {
  const Profile* p = input.profile;
  const InputShape& s = input.shape;
  if (p == nullptr || p->SampleCount() == 0) return "";
  if (s.HeightDynamic() == s.WidthDynamic()) return "";
  const bool width = WidthOnly(s);
  const std::string dim = width ? "width" : "height";
  const std::string noun = SampleNoun(*p);

  OneDimChartInput chart;
  chart.id = dim + "-chart";
  chart.dim = dim;
  chart.noun = noun;
  chart.counts = ToDoubles(width ? p->Widths() : p->Heights());
  chart.gears = OneDimGears(input.gears, width);
  chart.interval = input.config.interval;
  chart.frame.width = 1040;
  chart.frame.height = 340;
  chart.routed = RoutedUsage(input, chart.gears, [width](const GearCost& g) {
    return width ? g.w : g.h;
  });
  auto [svg, usage] = OneDimChart(chart);

  std::string out = "<section id=\"" + dim + "\">\n<h2>" + (width ? "Widths" : "Heights") +
                    " and " + dim + " gears</h2>\n";
  const int64_t fixed = width ? s.dims[kH] : s.dims[kW];
  out += "<p class=\"caption\">Each " + SingularNoun(*p) + "'s " + dim +
         " once scaled to the model's fixed " + (width ? "height" : "width") + " of " +
         std::to_string(fixed) + " px (aspect kept). " + ServedText(input) + "</p>\n";
  std::optional<DimEvaluation> eval;
  if (input.evaluation) {
    eval = input.evaluation->hw ? input.evaluation->hw
                                : width ? input.evaluation->width : input.evaluation->height;
  }
  if (eval) out += FigureCards(*eval, StaticShapeText(*eval, s));
  out += PerBatchNote(input);
  out += BarGearLegend(noun + " per bin", dim + " gear (" + std::to_string(chart.gears.size()) +
                                              ")");
  out += "<div class=\"chart-box\">\n" + svg + "</div>\n";
  out += ShrunkNote(usage, *p, width ? "wider" : "taller");

  std::vector<std::string> names;
  for (int64_t g : chart.gears) names.push_back(std::to_string(g));
  out += "<h3>Share of " + HtmlEscape(noun) + " each gear serves</h3>\n";
  out += GearShareTable(dim, names, noun, usage, /*cumulative=*/true);
  out += "</section>\n";
  return out;
}

std::string PairsSection(const ReportInput& input) {
  const Profile* p = input.profile;
  if (p == nullptr || p->SampleCount() == 0) return "";
  if (!input.shape.HeightDynamic() || !input.shape.WidthDynamic()) return "";
  const std::string noun = SampleNoun(*p);
  PairValueCounts counts;
  for (const auto& [hw, n] : p->Pairs()) counts[hw] = static_cast<double>(n);
  const auto& gears = input.gears.hw;
  const GearUsage usage =
      RoutedUsage(input, gears, [](const GearCost& g) { return HwGear{g.h, g.w}; });

  HeatMapChart chart;
  chart.id = "hw-chart";
  chart.label = "Heat map of the (height, width) sizes of the " + noun + " with the " +
                std::to_string(gears.size()) + " gear rectangles";
  chart.noun = noun;
  chart.counts = counts;
  chart.align = input.config.interval;
  chart.max_plot_width = 760;
  chart.max_plot_height = 640;
  for (size_t i = 0; i < gears.size(); ++i) {
    const std::string name = std::to_string(gears[i].first) + "\u00d7" +
                             std::to_string(gears[i].second);
    chart.gears.push_back({gears[i].first, gears[i].second,
                           "#" + std::to_string(i + 1) + " " +
                               ShareTooltip(name, usage.served[i], usage.total, noun)});
  }

  std::string out = "<section id=\"hw\">\n<h2>Sizes and (h, w) gears</h2>\n";
  out += "<p class=\"caption\">Each " + SingularNoun(*p) + "'s size once scaled so its long side is at most " +
         std::to_string(input.config.limit_side_len) +
         " px (aspect kept). Each gear h\u00d7w is drawn as the rectangle from the origin to "
         "(w, h) it covers. " + ServedText(input) + "</p>\n";
  if (input.evaluation && input.evaluation->hw) {
    out += FigureCards(*input.evaluation->hw, StaticShapeText(*input.evaluation->hw, input.shape));
  }
  out += PerBatchNote(input);
  out += "<div class=\"chart-box\">\n" + RenderHeatMapSvg(chart) + "</div>\n";
  out += ShrunkNote(usage, *p, "larger");

  std::vector<std::string> names;
  for (const auto& [h, w] : gears) names.push_back(std::to_string(h) + " \u00d7 " + std::to_string(w));
  out += "<h3>Share of " + HtmlEscape(noun) + " each gear serves</h3>\n";
  out += GearShareTable("h \u00d7 w", names, noun, usage, /*cumulative=*/false);
  out += "</section>\n";
  return out;
}

// The (h, w) or single dims the router sent to each batch model.
struct BatchModelCounts {
  std::map<int64_t, ValueCounts> dim;
  std::map<int64_t, PairValueCounts> pair;
};

BatchModelCounts CountPerBatchModel(const ReportInput& input, bool both, bool width) {
  BatchModelCounts counts;
  if (!input.evaluation) return counts;
  for (const auto& [b, served] : input.evaluation->cost.served) {
    for (const auto& [hw, n] : served) {
      if (both) {
        counts.pair[b][hw] += static_cast<double>(n);
      } else {
        counts.dim[b][width ? hw.second : hw.first] += static_cast<double>(n);
      }
    }
  }
  return counts;
}

// One batch model's figure: the sizes its calls serve, with its gears.
std::string BatchModelFigure(const ReportInput& input, int64_t b, BatchModelCounts& counts,
                             bool both, bool width) {
  const Profile* p = input.profile;
  const std::string noun = SampleNoun(*p);
  const auto& model_gears = ModelGears(input.gears, b);
  const std::string suffix = "-b" + std::to_string(b);
  double served = 0;
  std::string svg;
  std::string gear_text;
  if (both) {
    HeatMapChart chart;
    chart.id = "hw-chart" + suffix;
    chart.label = "Sizes served by the batch " + std::to_string(b) + " model";
    chart.noun = noun;
    chart.counts = counts.pair[b];
    chart.align = input.config.interval;
    chart.max_cells = 40;
    chart.max_plot_width = 300;
    chart.max_plot_height = 300;
    for (const auto& g : model_gears) chart.gears.push_back({g.first, g.second, ""});
    for (const auto& [hw, n] : chart.counts) served += n;
    svg = RenderHeatMapSvg(chart);
    gear_text = std::to_string(model_gears.size()) + " (h, w) gears";
  } else {
    OneDimChartInput chart;
    chart.id = (width ? "width-chart" : "height-chart") + suffix;
    chart.dim = width ? "width" : "height";
    chart.noun = noun;
    chart.counts = counts.dim[b];
    chart.gears = DimValues(model_gears, width);
    chart.interval = input.config.interval;
    chart.frame.width = 500;
    chart.frame.height = 220;
    chart.frame.top = 32;
    chart.routed = RoutedUsage(
        input, chart.gears, [width](const GearCost& g) { return width ? g.w : g.h; }, b);
    for (const auto& [v, n] : chart.counts) served += n;
    svg = OneDimChart(chart).first;
    gear_text = chart.dim + " gears " + JoinValues(chart.gears);
  }
  const double share = p->SampleCount() > 0 ? served / static_cast<double>(p->SampleCount()) : 0;
  return "<figure class=\"batch-model\">\n<figcaption><strong>batch " + std::to_string(b) +
         "</strong>: " + CountLabel(served) + " " +
         HtmlEscape(served == 1 ? SingularNoun(*p) : noun) + " (" + HtmlEscape(FormatShare(share)) +
         "); " + HtmlEscape(gear_text) + "</figcaption>\n" + svg + "</figure>\n";
}

std::string PerBatchSection(const ReportInput& input) {
  const Profile* p = input.profile;
  const InputShape& s = input.shape;
  const GearSet& gears = input.gears;
  if (p == nullptr || p->SampleCount() == 0 || !p->HasBatchInfo()) return "";
  if (!s.BatchDynamic() || !s.HwDynamic() || gears.hw_per_batch.empty()) return "";
  const std::string noun = SampleNoun(*p);
  const bool both = s.HeightDynamic() && s.WidthDynamic();
  const bool width = WidthOnly(s);
  BatchModelCounts counts = CountPerBatchModel(input, both, width);

  std::string out = "<section id=\"per-batch\">\n<h2>Gears of each batch model</h2>\n";
  out += "<p class=\"caption\">With N dynamic, each batch gear is its own model with its own "
         "(h, w) gears. Each image's " + noun + " are split into calls at the least predicted cost "
         "(the runtime's router): each chart shows the " + noun + " a model's calls serve.</p>\n"
         "<div class=\"small-multiples\">\n";
  std::string idle;  // batch models that serve no sample
  for (int64_t b : gears.batch) {
    if (both ? counts.pair[b].empty() : counts.dim[b].empty()) {
      idle += (idle.empty() ? "" : ", ") + std::to_string(b);
      continue;
    }
    out += BatchModelFigure(input, b, counts, both, width);
  }
  out += "</div>\n";
  if (!idle.empty()) {
    out += "<p class=\"note\">The router sends no box of the dataset to the "
           "model of batch " + idle + ", so there is nothing to draw for " +
           (idle.find(',') == std::string::npos ? "it" : "them") + ".</p>\n";
  }
  out += "</section>\n";
  return out;
}

std::string BatchSection(const ReportInput& input) {
  const Profile* p = input.profile;
  if (p == nullptr || !input.shape.BatchDynamic()) return "";
  const auto& gears = input.gears.batch;
  const std::string values = JoinValues(gears);
  std::string out = "<section id=\"batch\">\n<h2>Boxes per image and batch gears</h2>\n";
  if (!p->HasBatchInfo()) {
    out += "<p class=\"note\">The dataset carries no batch information (an image folder has no "
           "boxes to count), so the batch gears are batch_choices as given: " +
           values + ".</p>\n</section>\n";
    return out;
  }
  // Runs per batch gear, as the router makes them.
  GearUsage usage;
  usage.served.assign(gears.size(), 0);
  if (input.evaluation) {
    for (const GearCost& g : input.evaluation->cost.gears) {
      auto it = std::lower_bound(gears.begin(), gears.end(), g.batch);
      if (it == gears.end() || *it != g.batch) continue;
      usage.served[it - gears.begin()] += static_cast<double>(g.runs);
      usage.total += static_cast<double>(g.runs);
    }
  }

  HistogramChart chart;
  chart.id = "batch-chart";
  chart.label = "Histogram of the box count per image with the " + std::to_string(gears.size()) +
                " batch gears";
  chart.x_label = "boxes per image";
  chart.y_label = "images";
  chart.noun = "images";
  chart.frame.width = 1040;
  chart.frame.height = 300;
  chart.counts = ToDoubles(p->batch());
  chart.align = 1;
  for (size_t i = 0; i < gears.size(); ++i) {
    chart.gears.push_back({gears[i], ShareTooltip(std::to_string(gears[i]), usage.served[i],
                                                  usage.total, "runs")});
  }

  out += "<p class=\"caption\">How many boxes each image holds. The router splits each "
         "image's boxes into calls on the batch gears at the least predicted cost (a call pays "
         "its empty slots); the gear lines' tooltips and the table count those calls.</p>\n";
  out += BarGearLegend("images per bin", "batch gear (" + std::to_string(gears.size()) + ")");
  out += "<div class=\"chart-box\">\n" + RenderHistogramSvg(chart) + "</div>\n";
  out += "<h3>Runs on each batch gear</h3>\n";
  std::vector<std::string> names;
  for (int64_t g : gears) names.push_back(std::to_string(g));
  out += GearShareTable("batch", names, "runs", usage, /*cumulative=*/false);
  out += "</section>\n";
  return out;
}

}  // namespace autoscale
