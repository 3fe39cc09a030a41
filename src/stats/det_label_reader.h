// Reads a PaddleOCR/MindOCR detection label file:
//   image_path<TAB>[{"transcription": "...", "points": [[x,y], ...]}, ...]
// one image per line, in parallel chunks, with memory flat in its size.
#pragma once

#include <string>

#include "common/status.h"
#include "stats/dataset_reader.h"
#include "stats/model_space.h"
#include "stats/profile.h"

namespace autoscale {

// Fills `profile`. Malformed lines and degenerate boxes are counted and named
// with their line number. Errors: the file is missing or unreadable, or has no
// valid line.
Status ReadDetLabelFile(const std::string& path, const ModelSpace& space,
                        const ReadOptions& options, Profile* profile);

}  // namespace autoscale
