// Lists of names in messages and help texts ("expected one of a, b, c").
#pragma once

#include <string>
#include <vector>

namespace autoscale {

// The names with `separator` between them: JoinNames({"a", "b"}, ", ") is "a, b".
std::string JoinNames(const std::vector<std::string>& names, const std::string& separator);

// The same with `last_separator` before the last name:
// JoinNames({"a", "b", "c"}, ", ", " or ") is "a, b or c".
std::string JoinNames(const std::vector<std::string>& names, const std::string& separator,
                      const std::string& last_separator);

}  // namespace autoscale
