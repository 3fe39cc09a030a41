#include "stats/readers/icdar_line.h"

#include <algorithm>

#include "stats/readers/number_scan.h"

namespace autoscale {

namespace {
bool IsSpace(char c) { return c == ' ' || c == '\t'; }
}  // namespace

bool ParseIcdarLine(std::string_view line, IcdarBox* box, std::string* error) {
  const char* p = line.data();
  const char* end = p + line.size();
  double v[8];
  for (int i = 0; i < 8; ++i) {
    const char* field = p;
    while (p < end && IsSpace(*p)) ++p;
    const char* q = ScanNumber(p, end, &v[i]);
    if (q) {
      p = q;
      while (p < end && IsSpace(*p)) ++p;
    }
    const bool field_ends = p == end || *p == ',';
    if (!q || !field_ends) {
      if (field == end && i > 0) {
        *error = "expected 8 comma-separated coordinates, found " + std::to_string(i);
      } else {
        const char* stop = field;
        while (stop < end && *stop != ',') ++stop;
        std::string shown(field, static_cast<size_t>(std::min<ptrdiff_t>(stop - field, 40)));
        *error = "coordinate " + std::to_string(i + 1) + " '" + shown + "' is not a number";
      }
      return false;
    }
    if (i < 7) {
      if (p == end) {
        *error = "expected 8 comma-separated coordinates, found " + std::to_string(i + 1);
        return false;
      }
      ++p;  // the comma
    }
  }
  for (int k = 0; k < 4; ++k) box->points[k] = {v[2 * k], v[2 * k + 1]};
  if (p < end) ++p;  // the comma before the text
  box->text = std::string_view(p, static_cast<size_t>(end - p));
  return true;
}

}  // namespace autoscale
