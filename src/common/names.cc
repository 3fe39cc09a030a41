#include "common/names.h"

namespace autoscale {

std::string JoinNames(const std::vector<std::string>& names, const std::string& separator) {
  return JoinNames(names, separator, separator);
}

std::string JoinNames(const std::vector<std::string>& names, const std::string& separator,
                      const std::string& last_separator) {
  std::string joined;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) joined += i + 1 == names.size() ? last_separator : separator;
    joined += names[i];
  }
  return joined;
}

}  // namespace autoscale
