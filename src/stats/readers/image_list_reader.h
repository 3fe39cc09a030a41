// Reads the images a label file lists, one per line before a tab, and
// records each image's size (from its header, as the image folder reader
// does): a PaddleOCR/MindOCR rec label file (`path<TAB>text`), or a det label
// file read for a detector, whose samples are the images and not their boxes.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "stats/core/model_space.h"
#include "stats/core/profile.h"
#include "stats/readers/dataset_reader.h"
#include "stats/readers/line_chunker.h"

namespace autoscale {

enum class ImageListFormat {
  kRecLabels,  // path<TAB>text; the text is not read
  kDetLabels,  // path<TAB>[{"points": ...}, ...]; the line must parse as in det_label_reader
};

// Fills `profile` with one image per valid line. Relative paths are taken
// from options.image_root, or else from the label file's folder. Listed
// files that do not exist are counted as missing_file and named
// ("label:line: image 'x': no such file"); unreadable or corrupt images as
// corrupt; malformed lines as bad_line. Errors: the label file cannot be
// read, or no listed image could be read (the message gives the counts and
// the first reason).
Status ReadImageList(const std::string& path, ImageListFormat format, const ModelSpace& space,
                     const ReadOptions& options, Profile* profile);

// The same with explicit chunking (tests cut lines across chunks).
Status ReadImageList(const std::string& path, ImageListFormat format, const ModelSpace& space,
                     const ReadOptions& options, const LineChunking& chunking, Profile* profile);

// Splits a rec label line `path<TAB>text`: false with a reason when there is
// no tab or no path before it.
bool ParseRecLabelLine(std::string_view line, std::string_view* image, std::string* error);

// True when `line` is `path<TAB>text` with a path that has an image
// extension and text that does not start as a det label's JSON list. For
// telling file formats apart.
bool LooksLikeRecLabelLine(std::string_view line);

// `image` as a path: absolute paths as they are, relative ones under `root`,
// or under the folder of `label_file` when root is empty.
std::string ResolveListedImage(const std::string& label_file, const std::string& root,
                               std::string_view image);

}  // namespace autoscale
