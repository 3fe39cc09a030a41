#include "stats/readers/box_geometry.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <random>
#include <vector>

namespace autoscale {
namespace {

// A rectangle of `length` along the direction `degrees` from the x axis and
// `thickness` across it, corners listed clockwise on screen from `origin`.
std::vector<Point> RotatedRect(Point origin, double length, double thickness, double degrees) {
  const double t = degrees * M_PI / 180.0;
  const double ax = length * std::cos(t), ay = length * std::sin(t);
  const double bx = -thickness * std::sin(t), by = thickness * std::cos(t);
  return {origin,
          {origin.x + ax, origin.y + ay},
          {origin.x + ax + bx, origin.y + ay + by},
          {origin.x + bx, origin.y + by}};
}

// The same rectangle with every side's midpoint added: a polygon of 8 points.
std::vector<Point> WithMidpoints(const std::vector<Point>& quad) {
  std::vector<Point> out;
  for (size_t i = 0; i < quad.size(); ++i) {
    const Point& a = quad[i];
    const Point& b = quad[(i + 1) % quad.size()];
    out.push_back(a);
    out.push_back({(a.x + b.x) / 2, (a.y + b.y) / 2});
  }
  return out;
}

double RectArea(const std::array<Point, 4>& r) {
  return std::hypot(r[1].x - r[0].x, r[1].y - r[0].y) * std::hypot(r[3].x - r[0].x, r[3].y - r[0].y);
}

// The smallest enclosing rectangle over every direction through two points:
// quadratic, but obviously right.
double BruteForceMinArea(const std::vector<Point>& pts) {
  double best = INFINITY;
  for (size_t i = 0; i < pts.size(); ++i) {
    for (size_t j = 0; j < pts.size(); ++j) {
      double dx = pts[j].x - pts[i].x, dy = pts[j].y - pts[i].y;
      double len = std::hypot(dx, dy);
      if (len == 0) continue;
      double ux = dx / len, uy = dy / len;
      double lo_u = INFINITY, hi_u = -INFINITY, lo_v = INFINITY, hi_v = -INFINITY;
      for (const Point& p : pts) {
        double u = p.x * ux + p.y * uy, v = -p.x * uy + p.y * ux;
        lo_u = std::min(lo_u, u), hi_u = std::max(hi_u, u);
        lo_v = std::min(lo_v, v), hi_v = std::max(hi_v, v);
      }
      best = std::min(best, (hi_u - lo_u) * (hi_v - lo_v));
    }
  }
  return best;
}

TEST_CASE("axis-aligned box crops to its sides", "[box_geometry]") {
  std::vector<Point> q{{10, 20}, {110, 20}, {110, 50}, {10, 50}};
  BoxMeasure m = MeasureBox(q.data(), q.size());
  REQUIRE(m.ok());
  CHECK(m.size.width == Approx(100));
  CHECK(m.size.height == Approx(30));
}

TEST_CASE("perspective quad takes the longer of each pair of sides", "[box_geometry]") {
  // |p0p1| = 100, |p2p3| = hypot(80, 10); |p0p3| = hypot(10, 30), |p1p2| = hypot(10, 40).
  std::vector<Point> q{{0, 0}, {100, 0}, {90, 40}, {10, 30}};
  BoxSize s = QuadCropSize(q.data());
  CHECK(s.width == Approx(100));
  CHECK(s.height == Approx(std::sqrt(1700.0)));
}

TEST_CASE("rotated rectangle crops to its own length and thickness", "[box_geometry]") {
  std::vector<Point> q = RotatedRect({50, 60}, 100, 20, 30);
  BoxMeasure m = MeasureBox(q.data(), q.size());
  REQUIRE(m.ok());
  CHECK(m.size.width == Approx(100));
  CHECK(m.size.height == Approx(20));
}

TEST_CASE("polygon goes through its minimum-area rectangle", "[box_geometry]") {
  SECTION("an axis-aligned rectangle with edge midpoints") {
    std::vector<Point> p = WithMidpoints({{0, 0}, {100, 0}, {100, 30}, {0, 30}});
    BoxMeasure m = MeasureBox(p.data(), p.size());
    REQUIRE(m.ok());
    CHECK(m.size.width == Approx(100));
    CHECK(m.size.height == Approx(30));
  }
  SECTION("far from the origin the size stays exact") {
    std::vector<Point> p = WithMidpoints(RotatedRect({3e9, -2e9}, 100, 30, 10));
    BoxMeasure m = MeasureBox(p.data(), p.size());
    REQUIRE(m.ok());
    CHECK(m.size.width == Approx(100).epsilon(1e-5));
    CHECK(m.size.height == Approx(30).epsilon(1e-5));
  }
  SECTION("a curved band: the bulge widens the rectangle, the dent does not") {
    // Hull (0,0) (50,-10) (100,0) (100,30) (0,30); (50,20) lies inside.
    std::vector<Point> p{{0, 0}, {50, -10}, {100, 0}, {100, 30}, {50, 20}, {0, 30}};
    BoxMeasure m = MeasureBox(p.data(), p.size());
    REQUIRE(m.ok());
    CHECK(m.size.width == Approx(100));
    CHECK(m.size.height == Approx(40));
  }
  SECTION("a rectangle tilted 60 degrees keeps its length as the width") {
    // The left pair of corners (smallest x) spans the 20 px side while
    // 100 cos 60 > 20 sin 60, so the crop is 100 wide.
    std::vector<Point> p = WithMidpoints(RotatedRect({300, 100}, 100, 20, 60));
    BoxMeasure m = MeasureBox(p.data(), p.size());
    REQUIRE(m.ok());
    CHECK(m.size.width == Approx(100));
    CHECK(m.size.height == Approx(20));
  }
  SECTION("a rectangle tilted 80 degrees is cropped standing up") {
    // 100 cos 80 = 17.4 < 20 sin 80 = 19.7: the 20 px side is the width.
    std::vector<Point> p = WithMidpoints(RotatedRect({300, 100}, 100, 20, 80));
    BoxMeasure m = MeasureBox(p.data(), p.size());
    REQUIRE(m.ok());
    CHECK(m.size.width == Approx(20));
    CHECK(m.size.height == Approx(100));
  }
}

TEST_CASE("minimum-area rectangle matches a brute-force search", "[box_geometry]") {
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> coord(-500, 500);
  std::uniform_int_distribution<int> count(5, 40);
  for (int round = 0; round < 300; ++round) {
    std::vector<Point> pts(static_cast<size_t>(count(rng)));
    for (Point& p : pts) p = {coord(rng), coord(rng) * 0.3};
    std::array<Point, 4> r = MinAreaRect(pts.data(), pts.size());
    INFO("round " << round);
    CHECK(RectArea(r) == Approx(BruteForceMinArea(pts)).epsilon(1e-9));
    // Every point lies inside the rectangle (within rounding).
    double ux = r[1].x - r[0].x, uy = r[1].y - r[0].y;
    double vx = r[3].x - r[0].x, vy = r[3].y - r[0].y;
    double uu = ux * ux + uy * uy, vv = vx * vx + vy * vy;
    for (const Point& p : pts) {
      double su = ((p.x - r[0].x) * ux + (p.y - r[0].y) * uy) / uu;
      double sv = ((p.x - r[0].x) * vx + (p.y - r[0].y) * vy) / vv;
      CHECK(su >= -1e-9);
      CHECK(su <= 1 + 1e-9);
      CHECK(sv >= -1e-9);
      CHECK(sv <= 1 + 1e-9);
    }
  }
}

TEST_CASE("minimum-area rectangle of many points on a circle stays fast", "[box_geometry]") {
  // A quadratic search would take minutes here.
  std::vector<Point> pts;
  const int n = 200000;
  for (int i = 0; i < n; ++i) {
    double t = 2 * M_PI * i / n;
    pts.push_back({1000 + 400 * std::cos(t), 1000 + 400 * std::sin(t)});
  }
  BoxMeasure m = MeasureBox(pts.data(), pts.size());
  REQUIRE(m.ok());
  CHECK(m.size.width == Approx(800).epsilon(1e-6));
  CHECK(m.size.height == Approx(800).epsilon(1e-6));
}

TEST_CASE("bad boxes are rejected with the reason", "[box_geometry]") {
  SECTION("a side under 1 px") {
    std::vector<Point> q{{0, 0}, {100, 0}, {100, 0.5}, {0, 0.5}};
    BoxMeasure m = MeasureBox(q.data(), q.size());
    CHECK(m.problem == BoxProblem::kDegenerate);
    CHECK(m.size.height == Approx(0.5));
    CHECK(DescribeBoxProblem(m, 4) == "crop 100 x 0.5 px (w x h) has a side under 1 px");
  }
  SECTION("all points on one line") {
    std::vector<Point> p{{0, 0}, {10, 10}, {20, 20}, {30, 30}, {40, 40}};
    CHECK(MeasureBox(p.data(), p.size()).problem == BoxProblem::kDegenerate);
  }
  SECTION("one point repeated") {
    std::vector<Point> p(6, Point{5, 5});
    CHECK(MeasureBox(p.data(), p.size()).problem == BoxProblem::kDegenerate);
  }
  SECTION("fewer than 4 points") {
    std::vector<Point> p{{0, 0}, {10, 0}, {10, 10}};
    BoxMeasure m = MeasureBox(p.data(), p.size());
    CHECK(m.problem == BoxProblem::kTooFewPoints);
    CHECK(DescribeBoxProblem(m, 3) == "3 points, a box needs at least 4");
    CHECK(DescribeBoxProblem(MeasureBox(p.data(), 1), 1) == "1 point, a box needs at least 4");
  }
  SECTION("a NaN or infinite coordinate") {
    std::vector<Point> p{{0, 0}, {10, 0}, {10, NAN}, {0, 10}};
    CHECK(MeasureBox(p.data(), p.size()).problem == BoxProblem::kNonFinite);
    p[2].y = INFINITY;
    CHECK(MeasureBox(p.data(), p.size()).problem == BoxProblem::kNonFinite);
    CHECK(DescribeBoxProblem(MeasureBox(p.data(), p.size()), 4) ==
          "a coordinate is not a finite number");
  }
  SECTION("a side too large to be a real box, or overflowing") {
    std::vector<Point> p{{0, 0}, {2e7, 0}, {2e7, 10}, {0, 10}};
    CHECK(MeasureBox(p.data(), p.size()).problem == BoxProblem::kTooLarge);
    std::vector<Point> huge{{-1.7e308, 0}, {1.7e308, 0}, {1.7e308, 10}, {-1.7e308, 10}};
    CHECK(MeasureBox(huge.data(), huge.size()).problem == BoxProblem::kTooLarge);
    std::vector<Point> poly{{-1.7e308, 0}, {0, -1e308}, {1.7e308, 0}, {1.7e308, 10}, {0, 1e308}};
    CHECK(MeasureBox(poly.data(), poly.size()).problem == BoxProblem::kTooLarge);
  }
}

}  // namespace
}  // namespace autoscale
