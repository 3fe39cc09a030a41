// Reads an image folder: every file below it (recursive, sorted order), size
// from the header without decoding pixels, EXIF orientation applied as
// cv::imread applies it, OpenCV as the fallback for formats the header
// parser does not know. Non-image and corrupt files are counted and named.
#pragma once

#include <string>

#include "common/status.h"
#include "stats/dataset_reader.h"
#include "stats/model_space.h"
#include "stats/profile.h"

namespace autoscale {

// Fills `profile` (made by space.NewProfile()). Errors: the folder is missing
// or unreadable, or holds no readable image.
Status ReadImageFolder(const std::string& dir, const ModelSpace& space,
                       const ReadOptions& options, Profile* profile);

}  // namespace autoscale
