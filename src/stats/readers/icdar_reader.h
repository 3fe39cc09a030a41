// Reads an ICDAR-style ground-truth folder: one *.txt or *.csv per image, one
// box per line as x1,y1,x2,y2,x3,y3,x4,y4,text (UTF-8 BOM and CRLF
// tolerated, the text may contain commas). It gives exactly the samples of
// the equivalent det label file: one image per file, its valid boxes' crops
// as samples whose batch is the image's box count.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "common/status.h"
#include "stats/readers/dataset_reader.h"
#include "stats/core/model_space.h"
#include "stats/core/profile.h"

namespace autoscale {

// Reads every *.txt / *.csv below `dir` (recursive, sorted by path), in
// parallel across files. Blank lines are ignored; malformed lines and
// degenerate boxes are counted and named "file:line"; unreadable files are
// counted as missing. Errors: `dir` is missing or not a folder, holds no
// *.txt / *.csv file, or not one valid line.
Status ReadIcdarFolder(const std::string& dir, const ModelSpace& space,
                       const ReadOptions& options, Profile* profile);

// True for the file names ICDAR folders use: *.txt and *.csv, any case.
bool IsIcdarFileName(const std::filesystem::path& path);

// The ICDAR files below `dir`, recursive, sorted by path. Errors name `dir`.
Result<std::vector<std::string>> ListIcdarFiles(const std::string& dir);

}  // namespace autoscale
