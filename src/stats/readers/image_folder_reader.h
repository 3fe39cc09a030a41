// Reads an image folder: every file below it (recursive, sorted order), size
// from the header without decoding pixels, EXIF orientation applied as
// cv::imread applies it, OpenCV as the fallback for formats the header
// parser does not know. Non-image and corrupt files are counted and named.
#pragma once

#include <cstdint>
#include <string>

#include "common/status.h"
#include "stats/readers/dataset_reader.h"
#include "stats/core/model_space.h"
#include "stats/core/profile.h"

namespace autoscale {

// Fills `profile` (made by space.NewProfile()). Errors: the folder is missing
// or unreadable, or holds no readable image.
//
// Order: each folder's entries sorted by name (bytes), sub-folders entered
// where they sort; warnings are ordered by a file's index in that order, so
// the report is the same for any thread count. Memory does not grow with the
// number of files (files are handed to the workers in small batches); only
// the names of the folders being walked are held. Symbolic links to files
// are read, links to folders are followed unless they lead back up the tree.
Status ReadImageFolder(const std::string& dir, const ModelSpace& space, const ReadOptions& options,
                       Profile* profile);

// What one file is, as ReadImageFolder judges it.
enum class ImageFileKind {
  kImage,        // height and width are set
  kNonImage,     // no image signature and no image extension
  kCorrupt,      // an image signature or extension, but unreadable; message says why
  kPathTooLong,  // the path is too long to open
};

struct ImageFileInfo {
  ImageFileKind kind = ImageFileKind::kNonImage;
  int64_t height = 0;
  int64_t width = 0;
  std::string message;  // why it is corrupt (or could not be opened)
};

// Reads one file's size: the header (the first 4 KiB, more only if the format
// needs it), else OpenCV when it has a reader for the content (decoding it).
// A file with an image extension (.jpg, .png, ...) whose content is not a
// readable image is kCorrupt, an empty one too; other files are kNonImage.
ImageFileInfo ReadImageFileSize(const std::string& path);

// True for the extensions of image formats (case-insensitive): jpg, png, ...
bool HasImageExtension(const std::string& path);

}  // namespace autoscale
