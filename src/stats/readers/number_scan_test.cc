#include "stats/readers/number_scan.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <string>

namespace autoscale {
namespace {

TEST_CASE("numbers are read as Python reads them", "[det_labels]") {
  auto scan = [](const std::string& s, double* v) {
    const char* end = ScanNumber(s.data(), s.data() + s.size(), v);
    return end ? static_cast<size_t>(end - s.data()) : std::string::npos;
  };
  double v = 0;
  CHECK(scan("377", &v) == 3);
  CHECK(v == 377);
  CHECK(scan("-12.5,", &v) == 5);
  CHECK(v == -12.5);
  CHECK(scan("+3e2]", &v) == 4);
  CHECK(v == 300);
  CHECK(scan(".5", &v) == 2);
  CHECK(v == 0.5);
  CHECK(scan("-.25", &v) == 4);
  CHECK(v == -0.25);
  CHECK(scan("7.", &v) == 2);
  CHECK(v == 7);
  CHECK(scan("123456789012345678901", &v) == 21);
  CHECK(v == Approx(1.2345678901234568e20));
  CHECK(scan("1e400", &v) == 5);
  CHECK(std::isinf(v));
  CHECK(scan("1e-400", &v) == 6);
  CHECK(v == 0);
  CHECK(scan("NaN", &v) == 3);
  CHECK(std::isnan(v));
  CHECK(scan("-Infinity", &v) == 9);
  CHECK((std::isinf(v) && v < 0));
  CHECK(scan("2e", &v) == 1);  // the 'e' is not part of it
  CHECK(scan("", &v) == std::string::npos);
  CHECK(scan("-", &v) == std::string::npos);
  CHECK(scan(".", &v) == std::string::npos);
  CHECK(scan("x1", &v) == std::string::npos);
}

}  // namespace
}  // namespace autoscale
