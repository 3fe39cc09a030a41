#include "stats/readers/annotation_boxes.h"

namespace autoscale {

void CollectBox(const Point* points, size_t count, size_t box_number, uint64_t order,
                const std::string& where, Profile* profile, std::vector<BoxSize>* boxes) {
  BoxMeasure m = MeasureBox(points, count);
  if (m.ok()) {
    boxes->push_back(m.size);
    return;
  }
  profile->dataset.skipped.degenerate_box++;
  std::string why = DescribeBoxProblem(m, count);
  if (box_number > 0) why = "box " + std::to_string(box_number) + ": " + why;
  profile->AddWarning(order, where, std::move(why));
}

bool IsBlankLine(std::string_view line) {
  for (char c : line)
    if (c != ' ' && c != '\t' && c != '\r') return false;
  return true;
}

}  // namespace autoscale
