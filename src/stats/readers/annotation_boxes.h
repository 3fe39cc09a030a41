// What the annotation readers (det label files, ICDAR folders) do with each
// box, in one place so both count and name bad boxes the same way.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "stats/readers/box_geometry.h"
#include "stats/core/model_space.h"
#include "stats/core/profile.h"

namespace autoscale {

// Measures one box: a valid box's crop size is appended to `boxes`; a bad
// one is counted as degenerate_box in `profile` with a warning at `order`
// (where `where`) saying why, prefixed "box N: " when box_number > 0.
void CollectBox(const Point* points, size_t count, size_t box_number, uint64_t order,
                const std::string& where, Profile* profile, std::vector<BoxSize>* boxes);

// True when a line holds only spaces, tabs or a stray '\r': such lines are
// ignored, not counted as malformed.
bool IsBlankLine(std::string_view line);

}  // namespace autoscale
