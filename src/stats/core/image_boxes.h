// The compact key of one annotated image's boxes in model space: the (h, w)
// list sorted ascending by (w, h), stored as varints of the width step and
// the zig-zagged height step from the previous box. Images with the same
// boxes share one key, so a profile counts them once; a box takes about two
// bytes when heights are fixed.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "runtime/model_space.h"

namespace autoscale {

// Sorts `boxes` by (w, h) and encodes them. Sizes must be >= 1.
std::string EncodeImageBoxes(std::vector<runtime::Item> boxes);

// The boxes of a key, ascending by (w, h). Errors say what is malformed.
Result<std::vector<runtime::Item>> DecodeImageBoxes(const std::string& key);

// The key as lowercase hex (for JSON) and back; FromHex fails on an odd
// length or a character that is not a hex digit.
std::string ToHex(const std::string& bytes);
Result<std::string> FromHex(const std::string& hex);

}  // namespace autoscale
