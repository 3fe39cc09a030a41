#include "stats/readers/coco_scanner.h"

#include <algorithm>
#include <cstring>
#include <string_view>

#include "stats/readers/number_scan.h"

namespace autoscale {

namespace {

// Numbers longer than this are refused (no real one comes close).
constexpr size_t kNumberWindow = 512;
// Deepest nesting skipped values may have.
constexpr size_t kMaxDepth = 4096;

bool IsSpace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

class Scanner {
 public:
  Scanner(ByteStream* in, size_t buffer_bytes)
      : in_(in), buf_(std::max<size_t>(buffer_bytes, 1024)) {}

  const Status& status() const { return status_; }
  bool failed() const { return !status_.ok(); }

  // The next byte that is not white space, not consumed; 0 at the end.
  char Peek() {
    for (;;) {
      while (pos_ < end_ && IsSpace(buf_[pos_])) ++pos_;
      if (pos_ < end_) return buf_[pos_];
      if (!Fill()) return 0;
    }
  }

  bool Expect(char c) {
    if (Peek() != c) return Fail(std::string("expected '") + c + "'");
    ++pos_;
    return true;
  }

  // After Peek() == '"': reads a string, keeping its first `keep` raw bytes
  // (escapes as written) in *out when out is set.
  bool String(std::string* out, size_t keep) {
    ++pos_;  // the opening quote
    if (out) out->clear();
    for (;;) {
      if (pos_ == end_ && !Fill()) return Fail("unterminated string");
      const char* p = buf_.data() + pos_;
      const char* e = buf_.data() + end_;
      const char* q = p;
      while (q < e && *q != '"' && *q != '\\' && static_cast<unsigned char>(*q) >= 0x20) ++q;
      if (out && out->size() < keep)
        out->append(p, std::min<size_t>(static_cast<size_t>(q - p), keep - out->size()));
      pos_ += static_cast<size_t>(q - p);
      if (q == e) continue;
      if (*q == '"') {
        ++pos_;
        return true;
      }
      if (*q != '\\') return Fail("control character in a string");
      // An escape: the backslash and the next byte (\uXXXX's digits follow as
      // plain bytes).
      if (out && out->size() < keep) out->push_back('\\');
      ++pos_;
      if (pos_ == end_ && !Fill()) return Fail("unterminated string");
      const char c = buf_[pos_];
      if (std::strchr("\"\\/bfnrtu", c) == nullptr || c == 0) return Fail("bad escape in a string");
      if (out && out->size() < keep) out->push_back(c);
      ++pos_;
    }
  }

  // A number at the next byte.
  bool Number(double* value) {
    Peek();
    if (end_ - pos_ < kNumberWindow && !eof_) Compact(kNumberWindow);
    const char* p = buf_.data() + pos_;
    const char* e = buf_.data() + end_;
    if (p == e || !(*p == '-' || (*p >= '0' && *p <= '9'))) return Fail("expected a number");
    const char* after = ScanNumber(p, e, value);
    if (after == nullptr) return Fail("expected a number");
    if (after == e && !eof_)
      return Fail("a number longer than " + std::to_string(kNumberWindow) + " bytes");
    if (after < e && !IsSpace(*after) && *after != ',' && *after != ']' && *after != '}')
      return Fail("malformed number");
    pos_ += static_cast<size_t>(after - p);
    return true;
  }

  // Skips a number: the bytes a number may hold, checked to make one.
  bool SkipNumber() {
    Peek();
    if (end_ - pos_ < kNumberWindow && !eof_) Compact(kNumberWindow);
    const char* p = buf_.data() + pos_;
    const char* e = buf_.data() + end_;
    if (p == e || !(*p == '-' || (*p >= '0' && *p <= '9'))) return Fail("expected a value");
    const char* q = p + 1;
    while (q < e && ((*q >= '0' && *q <= '9') || *q == '.' || *q == 'e' || *q == 'E' || *q == '-' ||
                     *q == '+'))
      ++q;
    if (q == e && !eof_)
      return Fail("a number longer than " + std::to_string(kNumberWindow) + " bytes");
    double ignored;
    if ((q < e && !IsSpace(*q) && *q != ',' && *q != ']' && *q != '}') ||
        ScanNumber(p, q, &ignored) != q)
      return Fail("malformed number");
    pos_ += static_cast<size_t>(q - p);
    return true;
  }

  // Skips one value of any kind, checking it is well-formed.
  bool SkipValue() {
    open_.clear();
    std::vector<char>& open = open_;  // the brackets still open
    for (;;) {
      const char c = Peek();
      switch (c) {
        case '{':
        case '[':
          if (open.size() == kMaxDepth) return Fail("nesting deeper than 4096");
          open.push_back(c == '{' ? '}' : ']');
          ++pos_;
          if (Peek() == open.back()) {
            ++pos_;
            open.pop_back();
            break;
          }
          if (c == '{' && !Key(nullptr)) return false;
          continue;
        case '"':
          if (!String(nullptr, 0)) return false;
          break;
        case 't':
          if (!Word("true")) return false;
          break;
        case 'f':
          if (!Word("false")) return false;
          break;
        case 'n':
          if (!Word("null")) return false;
          break;
        case 0:
          return Fail("unexpected end of the file");
        default:
          if (!SkipNumber()) return false;
      }
      // After a value: a separator, or the end of the lists and objects it closes.
      for (;;) {
        if (open.empty()) return true;
        const char d = Peek();
        if (d == ',') {
          ++pos_;
          if (open.back() == '}' && !Key(nullptr)) return false;
          break;
        }
        if (d != open.back()) return Fail(std::string("expected ',' or '") + open.back() + "'");
        ++pos_;
        open.pop_back();
      }
    }
  }

  // An object key and its colon; the key's first 32 bytes into *key.
  bool Key(std::string* key) {
    if (Peek() != '"') return Fail("expected a key");
    if (!String(key, 32)) return false;
    return Expect(':');
  }

  // The members of an object after its '{': calls member(key) for each,
  // which must read its value.
  template <typename F>
  bool Object(F member) {
    if (!Expect('{')) return false;
    if (Peek() == '}') {
      ++pos_;
      return true;
    }
    std::string key;
    for (;;) {
      if (!Key(&key) || !member(key)) return false;
      const char c = Peek();
      ++pos_;
      if (c == '}') return true;
      if (c != ',') {
        --pos_;
        return Fail("expected ',' or '}'");
      }
    }
  }

  // The entries of a list: calls entry() for each, which must read it.
  template <typename F>
  bool List(F entry) {
    if (!Expect('[')) return false;
    if (Peek() == ']') {
      ++pos_;
      return true;
    }
    for (;;) {
      if (!entry()) return false;
      const char c = Peek();
      ++pos_;
      if (c == ']') return true;
      if (c != ',') {
        --pos_;
        return Fail("expected ',' or ']'");
      }
    }
  }

  // A number, or any other value skipped (then *set stays false).
  bool NumberOrSkip(double* value, bool* set) {
    const char c = Peek();
    if (c == '-' || (c >= '0' && c <= '9')) {
      *set = true;
      return Number(value);
    }
    return SkipValue();
  }

  bool Fail(const std::string& why) {
    if (status_.ok()) {
      const std::string read_error = in_->error();
      status_ =
          Status::Error(read_error.empty() ? "byte " + std::to_string(consumed_ + pos_) + ": " + why
                                           : read_error);
    }
    end_ = pos_;  // nothing more is read
    eof_ = true;
    return false;
  }

  bool AtEnd() { return Peek() == 0 && in_->error().empty(); }

 private:
  bool Word(const char* word) {
    const size_t n = std::strlen(word);
    if (end_ - pos_ < n && !eof_) Compact(n);
    if (end_ - pos_ < n || std::memcmp(buf_.data() + pos_, word, n) != 0)
      return Fail(std::string("expected ") + word);
    pos_ += n;
    return true;
  }

  // Moves the unread bytes to the front and reads until at least `want` are
  // there or the stream ends.
  void Compact(size_t want) {
    const size_t left = end_ - pos_;
    std::memmove(buf_.data(), buf_.data() + pos_, left);
    consumed_ += pos_;
    pos_ = 0;
    end_ = left;
    while (!eof_ && end_ < want) Read();
  }

  // Replaces the consumed buffer with new bytes; false at the end.
  bool Fill() {
    if (eof_) return false;
    consumed_ += end_;
    pos_ = end_ = 0;
    while (!eof_ && end_ == 0) Read();
    return end_ > 0;
  }

  void Read() {
    const size_t got = in_->Read(buf_.data() + end_, buf_.size() - end_);
    if (got == 0) eof_ = true;
    end_ += got;
  }

  ByteStream* in_;
  std::vector<char> buf_;
  std::vector<char> open_;  // SkipValue's stack, kept to save allocations
  size_t pos_ = 0, end_ = 0;
  uint64_t consumed_ = 0;  // stream bytes before buf_[0]
  bool eof_ = false;
  Status status_;
};

bool ParseImage(Scanner& s, CocoImage* image) {
  return s.Object([&](const std::string& key) {
    if (key == std::string_view("id")) return s.NumberOrSkip(&image->id, &image->has_id);
    if (key == std::string_view("width")) return s.NumberOrSkip(&image->width, &image->has_width);
    if (key == std::string_view("height"))
      return s.NumberOrSkip(&image->height, &image->has_height);
    return s.SkipValue();
  });
}

// "segmentation": a list of polygons [[x, y, ...], ...] (the first kept), or
// an RLE object (skipped).
bool ParseSegmentation(Scanner& s, CocoAnnotation* a) {
  if (s.Peek() != '[') return s.SkipValue();
  return s.List([&] {
    if (s.Peek() != '[') return s.SkipValue();  // an uncompressed RLE's counts
    const bool keep = a->polygons == 0;
    ++a->polygons;
    size_t numbers = 0;
    double x = 0;
    bool ok = s.List([&] {
      double v;
      if (!s.Number(&v)) return false;
      if (keep) {
        if (numbers % 2 == 0)
          x = v;
        else
          a->polygon.push_back(Point{x, v});
      }
      ++numbers;
      return true;
    });
    if (numbers % 2 != 0 && keep) a->odd_polygon = true;
    return ok;
  });
}

bool ParseAnnotation(Scanner& s, CocoAnnotation* a) {
  return s.Object([&](const std::string& key) {
    if (key == std::string_view("image_id")) return s.NumberOrSkip(&a->image_id, &a->has_image_id);
    if (key == std::string_view("bbox")) {
      if (s.Peek() != '[') return s.SkipValue();
      a->has_bbox = true;
      return s.List([&] {
        double v;
        if (!s.Number(&v)) return false;
        if (a->bbox_numbers < 4) a->bbox[a->bbox_numbers] = v;
        ++a->bbox_numbers;
        return true;
      });
    }
    if (key == std::string_view("segmentation")) return ParseSegmentation(s, a);
    return s.SkipValue();
  });
}

}  // namespace

size_t MemoryByteStream::Read(char* out, size_t n) {
  n = std::min(n, size_ - pos_);
  if (n > 0) std::memcpy(out, data_ + pos_, n);
  pos_ += n;
  return n;
}

Status ScanCoco(ByteStream* in, const CocoScanOptions& options,
                const std::function<bool(const CocoImage&)>& on_image,
                const std::function<bool(const CocoAnnotation&)>& on_annotation) {
  Scanner s(in, options.buffer_bytes);
  CocoImage image;
  CocoAnnotation annotation;
  uint64_t images = 0, annotations = 0;
  bool stopped = false;
  const bool ok = s.Object([&](const std::string& key) {
    if (key == std::string_view("images") && s.Peek() == '[') {
      return s.List([&] {
        if (s.Peek() != '{')
          return s.Fail("images[" + std::to_string(images) + "] is not an object");
        image = CocoImage{};
        image.index = images++;
        if (!ParseImage(s, &image)) return false;
        if (on_image(image)) return true;
        stopped = true;
        return false;
      });
    }
    if (key == std::string_view("annotations") && options.annotations && s.Peek() == '[') {
      return s.List([&] {
        if (s.Peek() != '{')
          return s.Fail("annotations[" + std::to_string(annotations) + "] is not an object");
        annotation.index = annotations++;
        annotation.has_image_id = annotation.has_bbox = annotation.odd_polygon = false;
        annotation.bbox_numbers = annotation.polygons = 0;
        annotation.polygon.clear();  // keeps its capacity
        if (!ParseAnnotation(s, &annotation)) return false;
        if (on_annotation(annotation)) return true;
        stopped = true;
        return false;
      });
    }
    return s.SkipValue();
  });
  if (stopped) return Status::Error("stopped");
  if (!ok) return s.status();
  if (!s.AtEnd()) {
    if (s.failed()) return s.status();
    s.Fail("data after the top-level object");
    return s.status();
  }
  return Status::Ok();
}

}  // namespace autoscale
