// Reads an LMDB text-recognition dataset as PaddleOCR and MindOCR write it:
// `num-samples` holds the count n, and `image-%09d` / `label-%09d` for
// i = 1..n hold each encoded image and its text. Image values are sized from
// their bytes (the header, no decoding) straight in LMDB's read-only map.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "stats/core/model_space.h"
#include "stats/core/profile.h"
#include "stats/readers/dataset_reader.h"

namespace autoscale {

// The LMDB environments `path` names, sorted: a folder holding data.mdb, a
// data.mdb file itself, or a folder whose sub-folders hold such folders
// (PaddleOCR's training/<set>/ layout). Errors: none found.
Result<std::vector<std::string>> ListLmdbEnvironments(const std::string& path);

// Reads `num-samples`' value: a decimal count (spaces around it allowed).
// False when it is not one.
bool ParseNumSamples(std::string_view value, uint64_t* count);

// "image-000000001" for i = 1.
std::string LmdbImageKey(uint64_t index);

// Fills `profile`: one image per `image-%09d` key for i = 1..num-samples of
// every environment. A missing key or a value that is not a readable image
// is counted as corrupt and named "env:image-000000012". Errors: no
// environment, one that LMDB cannot open, a missing or malformed
// num-samples, or no readable image at all.
Status ReadLmdbDataset(const std::string& path, const ModelSpace& space, const ReadOptions& options,
                       Profile* profile);

}  // namespace autoscale
