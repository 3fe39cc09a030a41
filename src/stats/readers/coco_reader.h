// Reads a COCO instances JSON file (the "images" and "annotations" lists)
// through the streaming scanner of coco_scanner.h:
//  - SampleUnit::kImages (a detector): each image's width and height;
//  - SampleUnit::kBoxes (a recognizer or classifier): each annotation is a
//    box, measured from its segmentation polygon (as a det label's points)
//    or else from its bbox (width x height), and the batch of a box is the
//    count of boxes of its image.
// Memory: the scanner's fixed buffer, plus with boxes 8 bytes and a bit per
// image when the file is in the order COCO writers emit (images[] before
// annotations[], each image's annotations consecutive): the boxes of one
// image at a time are held. A file in any other order is read a second time,
// holding every box (32 bytes each) until the end.
#pragma once

#include <string>

#include "common/status.h"
#include "stats/core/model_space.h"
#include "stats/core/profile.h"
#include "stats/readers/coco_scanner.h"
#include "stats/readers/dataset_reader.h"

namespace autoscale {

// Fills `profile`. `samples` must be kImages or kBoxes. Entries without the
// fields they need (an image without a numeric id, width or height; an
// annotation without image_id, or with neither a polygon nor a 4-number
// bbox, or an image_id not in images) are counted as bad_line and named
// "file:images[i]" / "file:annotations[i]"; degenerate boxes as
// degenerate_box. Errors: the file cannot be read, is not well-formed JSON
// (with the byte offset), or gives no sample.
Status ReadCocoFile(const std::string& path, SampleUnit samples, const ModelSpace& space,
                    const ReadOptions& options, Profile* profile);

// The same from any stream (`name` is used in messages), with the scan
// options given (tests use a tiny buffer).
Status ReadCoco(ByteStream* in, const std::string& name, SampleUnit samples,
                const ModelSpace& space, const CocoScanOptions& scan, Profile* profile);

// True when the start of a file looks like COCO: a JSON object whose text
// within the first bytes names "images" or "annotations" as a key.
bool LooksLikeCocoStart(const std::string& head);

}  // namespace autoscale
