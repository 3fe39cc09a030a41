// Reads the decimal numbers of annotation files (box coordinates) straight
// from the line buffer, without the locale or the copies strtod needs.
#pragma once

namespace autoscale {

// Reads one number at the start of [p, end): an optional sign, digits with an
// optional fraction and exponent ("12", "-3.5", "1e3", ".5", "7."), or
// "nan", "inf", "infinity" in any case (Python writes NaN and Infinity into
// JSON). Out-of-range values become +-infinity or 0. Returns the first byte
// after the number, or nullptr when no number starts at p.
const char* ScanNumber(const char* p, const char* end, double* value);

}  // namespace autoscale
