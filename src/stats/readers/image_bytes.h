// Sizes an image held in memory (an LMDB value, a tar member) the way the
// image folder reader sizes a file: the header without decoding pixels, and
// OpenCV only for a format the header parser does not know.
#pragma once

#include <cstddef>
#include <string>

#include "stats/readers/image_folder_reader.h"

namespace autoscale {

// `name` (a member name; may be empty) decides, by its extension, whether
// bytes that are no image format count as corrupt (an image extension or no
// name) or as a non-image. Empty bytes are corrupt.
ImageFileInfo SizeImageBytes(const void* data, size_t size, const std::string& name);

}  // namespace autoscale
