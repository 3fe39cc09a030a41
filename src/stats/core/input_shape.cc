#include "stats/core/input_shape.h"

#include <cerrno>
#include <cstdlib>
#include <vector>

namespace autoscale {

std::string InputShape::ToString() const {
  return std::to_string(dims[0]) + "," + std::to_string(dims[1]) + "," +
         std::to_string(dims[2]) + "," + std::to_string(dims[3]);
}

static std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t");
  size_t e = s.find_last_not_of(" \t");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

Result<InputShape> ParseInputShape(const std::string& text) {
  const std::string where = "--input_shape '" + text + "'";
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t comma = text.find(',', start);
    parts.push_back(Trim(text.substr(start, comma - start)));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  if (parts.size() != 4)
    return Status::Error(where + ": expected 4 comma-separated dims N,C,H,W, got " +
                         std::to_string(parts.size()));
  static const char* kNames[] = {"N", "C", "H", "W"};
  InputShape shape;
  for (int i = 0; i < 4; ++i) {
    const std::string& p = parts[i];
    char* end = nullptr;
    errno = 0;
    long long v = p.empty() ? 0 : std::strtoll(p.c_str(), &end, 10);
    if (p.empty() || *end != '\0' || errno == ERANGE)
      return Status::Error(where + ": dim " + kNames[i] + " '" + p + "' is not an integer");
    if (v == 0 || v < -1)
      return Status::Error(where + ": dim " + kNames[i] + " is " + p +
                           "; use a positive size or -1 for a dynamic dim");
    if (v > (1 << 20))
      return Status::Error(where + ": dim " + kNames[i] + " is " + p + ", larger than 1048576");
    shape.dims[i] = v;
  }
  if (shape.dims[kC] == -1)
    return Status::Error(where + ": the channel dim C cannot be dynamic");
  return shape;
}

}  // namespace autoscale
