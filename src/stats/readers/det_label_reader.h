// Reads a PaddleOCR/MindOCR detection label file:
//   image_path<TAB>[{"transcription": "...", "points": [[x,y], ...]}, ...]
// one image per line, in parallel chunks, with memory flat in its size.
// Each line is one image; its valid boxes are its samples, and their count
// is the batch of each (ModelSpace::AddImageBoxes). '###' (don't care) boxes
// are kept: the detector finds them and the recognizer receives their crops.
#pragma once

#include <string>

#include "common/status.h"
#include "stats/readers/dataset_reader.h"
#include "stats/readers/line_chunker.h"
#include "stats/core/model_space.h"
#include "stats/core/profile.h"

namespace autoscale {

// Fills `profile`. Blank lines are ignored; a UTF-8 BOM and CRLF line ends
// are tolerated. Malformed lines and degenerate boxes are counted and named
// "path:line" with the reason. Errors: the file is missing or unreadable, or
// has no valid line (the message counts the bad lines and gives the first
// reason).
Status ReadDetLabelFile(const std::string& path, const ModelSpace& space,
                        const ReadOptions& options, Profile* profile);

// The same with explicit chunking (tests use tiny chunks so that lines
// straddle chunk boundaries).
Status ReadDetLabelFile(const std::string& path, const ModelSpace& space,
                        const ReadOptions& options, const LineChunking& chunking,
                        Profile* profile);

}  // namespace autoscale
