// The HTML report over arbitrary titles, paths, warnings (all from users'
// files), samples, gears, evaluations and comparison JSON: it must not crash,
// must stay valid UTF-8, and no input may open an element of its own.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>

#include "stats/report/report_html.h"

namespace {

using autoscale::HwGear;

int64_t Value(FuzzedDataProvider& in) {
  switch (in.ConsumeIntegralInRange<int>(0, 7)) {
    case 0: return in.ConsumeIntegral<int64_t>();  // anything, extremes included
    case 1: return in.ConsumeIntegralInRange<int64_t>(-4, 4);
    default: return in.ConsumeIntegralInRange<int64_t>(1, 4096);
  }
}

double Double(FuzzedDataProvider& in) {
  switch (in.ConsumeIntegralInRange<int>(0, 5)) {
    case 0: return in.ConsumeFloatingPoint<double>();  // NaN and infinities too
    default: return in.ConsumeFloatingPointInRange<double>(-2.0, 5.0);
  }
}

// Checks `text` is well-formed UTF-8.
bool ValidUtf8(const std::string& text) {
  for (size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (n == 0 || i + n > text.size()) return false;
    for (size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return false;
    i += n;
  }
  return true;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return s;
}

// A profile's dataset facts, warnings, samples and box counts.
void FillProfile(FuzzedDataProvider& in, autoscale::Profile* profile) {
  static const char* kTypes[] = {"images", "det_labels", "icdar", ""};
  profile->dataset.type = kTypes[in.ConsumeIntegralInRange<size_t>(0, 3)];
  profile->dataset.path = in.ConsumeRandomLengthString(64);
  profile->dataset.images = in.ConsumeIntegral<uint64_t>();
  profile->dataset.skipped.corrupt = in.ConsumeIntegral<uint32_t>();
  for (int i = in.ConsumeIntegralInRange<int>(0, 4); i > 0; --i)
    profile->AddWarning(in.ConsumeIntegral<uint8_t>(), in.ConsumeRandomLengthString(32),
                        in.ConsumeRandomLengthString(32));
  for (int i = in.ConsumeIntegralInRange<int>(0, 64); i > 0; --i)
    profile->AddSample({Value(in), Value(in), Value(in)},
                       in.ConsumeIntegralInRange<uint64_t>(1, 1000));
  for (int i = in.ConsumeIntegralInRange<int>(0, 16); i > 0; --i)
    profile->AddBoxCount(Value(in), in.ConsumeIntegralInRange<uint64_t>(1, 1000));
}

void FillGears(FuzzedDataProvider& in, autoscale::GearSet* g) {
  for (int i = in.ConsumeIntegralInRange<int>(0, 8); i > 0; --i) g->batch.push_back(Value(in));
  for (int i = in.ConsumeIntegralInRange<int>(0, 12); i > 0; --i) g->height.push_back(Value(in));
  for (int i = in.ConsumeIntegralInRange<int>(0, 12); i > 0; --i) g->width.push_back(Value(in));
  for (int i = in.ConsumeIntegralInRange<int>(0, 12); i > 0; --i)
    g->hw.push_back({Value(in), Value(in)});
  for (int i = in.ConsumeIntegralInRange<int>(0, 3); i > 0; --i) {
    std::vector<HwGear>& list = g->hw_per_batch[Value(in)];
    for (int k = in.ConsumeIntegralInRange<int>(0, 6); k > 0; --k)
      list.push_back({Value(in), Value(in)});
  }
}

autoscale::Evaluation MakeEvaluation(FuzzedDataProvider& in) {
  autoscale::Evaluation e;
  autoscale::DimEvaluation d;
  d.samples = in.ConsumeIntegral<uint64_t>();
  d.coverage = Double(in);
  d.static_height = Value(in);
  d.static_width = Value(in);
  if (in.ConsumeBool()) e.hw = d;
  if (in.ConsumeBool()) e.width = d;
  if (in.ConsumeBool()) e.height = d;
  autoscale::CostEvaluation& c = e.cost;
  c.unit = in.ConsumeRandomLengthString(8);
  c.total = Double(in);
  c.calls = in.ConsumeIntegral<uint64_t>();
  c.per_image = Double(in);
  c.per_box = Double(in);
  c.padding = Double(in);
  c.saving_vs_static = Double(in);
  c.coverage = Double(in);
  c.shrunk = in.ConsumeIntegral<uint64_t>();
  return e;
}

// Aborts unless `html` is valid UTF-8, holds only the page's own tags and ends
// the document.
void CheckHtml(const std::string& html) {
  if (!ValidUtf8(html)) std::abort();
  // Every tag is one the page itself writes; any other came from input.
  static const std::set<std::string> kTags = {
      "!doctype", "html", "head", "meta", "title", "style", "body", "main", "header", "footer",
      "h1", "h2", "h3", "ul", "ol", "li", "strong", "section", "table", "thead", "tbody", "tr",
      "th", "td", "p", "code", "div", "span", "figure", "figcaption", "svg", "g", "rect",
      "line", "text", "circle"};
  for (size_t at = html.find('<'); at != std::string::npos; at = html.find('<', at + 1)) {
    size_t start = at + 1;
    if (start < html.size() && html[start] == '/') ++start;
    size_t end = start;
    while (end < html.size() && html[end] != ' ' && html[end] != '>' && html[end] != '\n') ++end;
    const std::string tag = Lower(html.substr(start, end - start));
    if (kTags.count(tag) == 0) {
      std::fprintf(stderr, "unexpected tag <%s> at %zu\n", tag.c_str(), at);
      std::abort();
    }
  }
  if (html.size() < 15 || html.compare(html.size() - 8, 8, "</html>\n") != 0) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  autoscale::Profile profile;
  autoscale::ReportInput report;
  report.title = in.ConsumeRandomLengthString(64);
  static const int64_t kDims[][4] = {{-1, 3, 48, -1}, {1, 3, -1, -1}, {-1, 3, -1, -1},
                                     {1, 3, -1, 320}, {-1, 3, 32, 32}, {1, 3, 48, 320}};
  const auto& dims = kDims[in.ConsumeIntegralInRange<size_t>(0, 5)];
  report.shape.dims = {dims[0], dims[1], dims[2], dims[3]};
  report.config.interval = in.ConsumeIntegralInRange<int64_t>(-2, 100000);
  report.config.limit_side_len = Value(in);
  report.strategy = in.ConsumeRandomLengthString(16);
  if (in.ConsumeBool()) {
    FillProfile(in, &profile);
    report.profile = &profile;
  }
  FillGears(in, &report.gears);
  if (in.ConsumeBool()) report.evaluation = MakeEvaluation(in);
  // Comparison rows with any names, errors and figures.
  for (int row = 0; row < 6 && in.remaining_bytes() > 0; ++row) {
    autoscale::ComparisonEntry entry;
    entry.name = in.ConsumeRandomLengthString(16);
    if (in.ConsumeBool()) {
      entry.error = in.ConsumeRandomLengthString(64);
    } else {
      entry.evaluation = MakeEvaluation(in);
      entry.batch_gears = in.ConsumeIntegral<uint16_t>();
      entry.hw_gears = in.ConsumeIntegral<uint16_t>();
    }
    report.comparison.entries.push_back(std::move(entry));
  }
  CheckHtml(autoscale::RenderReportHtml(report));
  return 0;
}
