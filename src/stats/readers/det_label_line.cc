#include "stats/readers/det_label_line.h"

#include <cstring>

#include "stats/readers/number_scan.h"

namespace autoscale {

namespace {

constexpr int kMaxDepth = 100;

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// The first '"' or '\\' in [p, end), or end: eight bytes at a time, since
// transcriptions are most of a label file's bytes.
const char* FindQuoteOrBackslash(const char* p, const char* end) {
  constexpr uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
  while (end - p >= 8) {
    uint64_t x;
    std::memcpy(&x, p, 8);
    const uint64_t q = x ^ (kOnes * '"'), b = x ^ (kOnes * '\\');
    // A byte is flagged when it is zero; the lowest flag is always a true one.
    const uint64_t hits = ((q - kOnes) & ~q & kHigh) | ((b - kOnes) & ~b & kHigh);
    if (hits) return p + (__builtin_ctzll(hits) >> 3);
    p += 8;
  }
  while (p < end && *p != '"' && *p != '\\') ++p;
  return p;
}

bool IsHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

class LineParser {
 public:
  LineParser(std::string_view line, const char* json, DetLabelLine* out, std::string* error)
      : line_(line.data()), p_(json), end_(line.data() + line.size()), out_(out), error_(error) {}

  bool ParseList() {
    SkipSpace();
    if (p_ == end_) return Fail("no labels after the tab");
    if (!Consume('[')) return Fail("the labels are not a JSON list (expected '[')");
    if (Consume(']')) return ExpectEnd();
    for (size_t box = 1;; ++box) {
      SkipSpace();
      if (p_ == end_ || *p_ != '{') return FailAt("box " + std::to_string(box) + " is not a JSON object");
      if (!ParseBox(box)) return false;
      if (Consume(',')) continue;
      if (Consume(']')) return ExpectEnd();
      return FailAt("expected ',' or ']' after box " + std::to_string(box));
    }
  }

 private:
  void SkipSpace() {
    while (p_ < end_ && IsSpace(*p_)) ++p_;
  }

  // Skips spaces, then `c` if it is next.
  bool Consume(char c) {
    SkipSpace();
    if (p_ == end_ || *p_ != c) return false;
    ++p_;
    return true;
  }

  bool Fail(const std::string& why) {
    *error_ = why;
    return false;
  }
  bool FailAt(const std::string& why) { return FailAt(p_, why); }
  bool FailAt(const char* where, const std::string& why) {
    return Fail("invalid JSON at column " + std::to_string(where - line_ + 1) + ": " + why);
  }

  bool ExpectEnd() {
    SkipSpace();
    return p_ == end_ || FailAt("unexpected text after the list");
  }

  // One object of the list: its "points" are kept, every other value is
  // checked and skipped. p_ is at '{'.
  bool ParseBox(size_t box) {
    ++p_;
    const size_t first_point = out_->points.size();
    bool has_points = false;
    if (!Consume('}')) {
      while (true) {
        SkipSpace();
        std::string_view key;
        if (!ScanString(&key)) return false;
        if (!Consume(':')) return FailAt("expected ':' after a key");
        SkipSpace();
        if (key == "points") {
          out_->points.resize(first_point);  // a repeated key: the last one wins, as in Python
          if (!ParsePoints(box)) return false;
          has_points = true;
        } else if (!SkipValue(1)) {
          return false;
        }
        if (Consume(',')) continue;
        if (Consume('}')) break;
        return FailAt("expected ',' or '}' in box " + std::to_string(box));
      }
    }
    if (!has_points) return Fail("box " + std::to_string(box) + " has no \"points\"");
    out_->box_end.push_back(static_cast<uint32_t>(out_->points.size()));
    return true;
  }

  // [[x, y], ...]
  bool ParsePoints(size_t box) {
    auto not_pairs = [&] {
      return FailAt("\"points\" of box " + std::to_string(box) +
                    " is not a list of [x, y] number pairs");
    };
    if (!Consume('[')) return not_pairs();
    if (Consume(']')) return true;
    while (true) {
      Point pt;
      if (!Consume('[') || !Number(&pt.x) || !Consume(',') || !Number(&pt.y) || !Consume(']'))
        return not_pairs();
      out_->points.push_back(pt);
      if (Consume(',')) continue;
      if (Consume(']')) return true;
      return not_pairs();
    }
  }

  bool Number(double* v) {
    SkipSpace();
    // Fast path: a short plain integer, as nearly every coordinate is.
    const char* q = p_;
    const bool negative = q < end_ && *q == '-';
    q += negative;
    const char* digits = q;
    uint32_t whole = 0;
    while (q < end_ && q - digits < 9 && static_cast<unsigned char>(*q - '0') < 10)
      whole = whole * 10 + static_cast<uint32_t>(*q++ - '0');
    if (q > digits && q < end_ && (*q == ',' || *q == ']' || *q == ' ')) {
      *v = negative ? -static_cast<double>(whole) : static_cast<double>(whole);
      p_ = q;
      return true;
    }
    q = ScanNumber(p_, end_, v);
    if (!q) return false;
    p_ = q;
    return true;
  }

  // A JSON string at p_; *raw is its undecoded content.
  bool ScanString(std::string_view* raw) {
    if (p_ == end_ || *p_ != '"') return FailAt("expected a string");
    const char* s = ++p_;
    while ((p_ = FindQuoteOrBackslash(p_, end_)) < end_) {
      if (*p_ == '"') {
        *raw = std::string_view(s, static_cast<size_t>(p_ - s));
        ++p_;
        return true;
      }
      if (end_ - p_ < 2) break;
      char e = p_[1];
      if (e == 'u') {
        if (end_ - p_ < 6 || !IsHex(p_[2]) || !IsHex(p_[3]) || !IsHex(p_[4]) || !IsHex(p_[5]))
          return FailAt("bad \\u escape in a string");
        p_ += 6;
      } else if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' ||
                 e == 'r' || e == 't') {
        p_ += 2;
      } else {
        return FailAt("bad escape in a string");
      }
    }
    return FailAt(s - 1, "unterminated string");
  }

  bool Literal(const char* word) {
    const char* q = p_;
    for (; *word; ++word, ++q)
      if (q == end_ || *q != *word) return FailAt("unexpected character");
    p_ = q;
    return true;
  }

  // Any JSON value (plus NaN and Infinity, which Python writes).
  bool SkipValue(int depth) {
    if (p_ == end_) return FailAt("expected a value");
    if (depth > kMaxDepth) return FailAt("nested deeper than " + std::to_string(kMaxDepth));
    switch (*p_) {
      case '"': {
        std::string_view ignored;
        return ScanString(&ignored);
      }
      case '{':
      case '[': {
        const char close = *p_ == '{' ? '}' : ']';
        const bool object = close == '}';
        ++p_;
        if (Consume(close)) return true;
        while (true) {
          SkipSpace();
          if (object) {
            std::string_view ignored;
            if (!ScanString(&ignored)) return false;
            if (!Consume(':')) return FailAt("expected ':' after a key");
            SkipSpace();
          }
          if (!SkipValue(depth + 1)) return false;
          if (Consume(',')) continue;
          if (Consume(close)) return true;
          return FailAt(object ? "expected ',' or '}'" : "expected ',' or ']'");
        }
      }
      case 't':
        return Literal("true");
      case 'f':
        return Literal("false");
      case 'n':
        return Literal("null");
      default: {
        double ignored;
        if (Number(&ignored)) return true;
        return FailAt("unexpected character");
      }
    }
  }

  const char* line_;
  const char* p_;
  const char* end_;
  DetLabelLine* out_;
  std::string* error_;
};

}  // namespace

bool ParseDetLabelLine(std::string_view line, DetLabelLine* out, std::string* error) {
  out->image = std::string_view();
  out->points.clear();
  out->box_end.clear();
  size_t tab = line.find('\t');
  if (tab == std::string_view::npos) {
    *error = "no tab between the image path and the labels";
    return false;
  }
  if (tab == 0) {
    *error = "no image path before the tab";
    return false;
  }
  out->image = line.substr(0, tab);
  LineParser parser(line, line.data() + tab + 1, out, error);
  if (parser.ParseList()) return true;
  out->points.clear();
  out->box_end.clear();
  return false;
}

bool LooksLikeDetLabelLine(std::string_view line) {
  size_t tab = line.find('\t');
  if (tab == std::string_view::npos || tab == 0) return false;
  size_t i = tab + 1;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  return i < line.size() && line[i] == '[';
}

}  // namespace autoscale
