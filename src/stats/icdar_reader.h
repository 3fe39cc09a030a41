// Reads an ICDAR-style ground-truth folder: one *.txt or *.csv per image, one
// box per line as x1,y1,x2,y2,x3,y3,x4,y4,text (UTF-8 BOM and CRLF
// tolerated, the text may contain commas).
#pragma once

#include <string>

#include "common/status.h"
#include "stats/dataset_reader.h"
#include "stats/model_space.h"
#include "stats/profile.h"

namespace autoscale {

Status ReadIcdarFolder(const std::string& dir, const ModelSpace& space,
                       const ReadOptions& options, Profile* profile);

}  // namespace autoscale
