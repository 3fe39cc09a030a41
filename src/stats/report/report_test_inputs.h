// Report inputs the report tests share: a recognition dataset with its
// evaluated gears and a strategy comparison, and an image folder served by
// width gears (for tests only).
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "stats/report/report_html.h"

namespace autoscale {
namespace report_test {

inline InputShape Shape(int64_t n, int64_t h, int64_t w) { return InputShape{{n, 3, h, w}}; }

// A recognition dataset: boxes of height 48 with widths 20..400, box counts
// per image from 1 to 40, and a malicious path in a warning.
inline Profile RecognitionProfile() {
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
inline void Evaluated(ReportInput* in) {
  GearSet g = in->gears;
  Normalize(&g, in->shape);
  in->evaluation = Evaluate(*in->profile, g, in->shape, in->config);
}

// An image folder served by a width-only model with these width gears.
inline ReportInput WidthImagesInput(const Profile* profile, std::vector<int64_t> widths) {
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
inline Comparison SampleComparison() {
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

inline ReportInput RecognitionInput(const Profile* profile) {
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

}  // namespace report_test
}  // namespace autoscale
