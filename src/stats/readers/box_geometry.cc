#include "stats/readers/box_geometry.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

namespace autoscale {

namespace {

// Not std::hypot: several times slower, and its overflow protection buys
// nothing here (a distance that overflows is rejected as too large anyway).
double Distance(const Point& a, const Point& b) {
  const double dx = a.x - b.x, dy = a.y - b.y;
  return std::sqrt(dx * dx + dy * dy);
}

double Cross(const Point& o, const Point& a, const Point& b) {
  return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
}

double Dot(const Point& p, double ux, double uy) { return p.x * ux + p.y * uy; }

// Andrew's monotone chain; counter-clockwise in x-right/y-up terms, without
// collinear points. Returns 1 point for identical input, 2 for collinear.
std::vector<Point> ConvexHull(const Point* points, size_t count) {
  std::vector<Point> p(points, points + count);
  std::sort(p.begin(), p.end(),
            [](const Point& a, const Point& b) { return a.x < b.x || (a.x == b.x && a.y < b.y); });
  p.erase(std::unique(p.begin(), p.end(),
                      [](const Point& a, const Point& b) { return a.x == b.x && a.y == b.y; }),
          p.end());
  if (p.size() < 3) return p;
  std::vector<Point> hull(2 * p.size());
  size_t k = 0;
  for (size_t i = 0; i < p.size(); ++i) {
    while (k >= 2 && Cross(hull[k - 2], hull[k - 1], p[i]) <= 0) --k;
    hull[k++] = p[i];
  }
  for (size_t i = p.size() - 1, lower = k + 1; i-- > 0;) {
    while (k >= lower && Cross(hull[k - 2], hull[k - 1], p[i]) <= 0) --k;
    hull[k++] = p[i];
  }
  hull.resize(k - 1);  // the last point repeats the first
  return hull;
}

// Orders four corners as OCR pipelines do before the perspective crop: sort
// by x (stable), then the upper of the left pair is top-left and the upper of
// the right pair top-right.
std::array<Point, 4> OrderCorners(std::array<Point, 4> c) {
  std::stable_sort(c.begin(), c.end(), [](const Point& a, const Point& b) { return a.x < b.x; });
  const Point& tl = c[1].y > c[0].y ? c[0] : c[1];
  const Point& bl = c[1].y > c[0].y ? c[1] : c[0];
  const Point& tr = c[3].y > c[2].y ? c[2] : c[3];
  const Point& br = c[3].y > c[2].y ? c[3] : c[2];
  return {tl, tr, br, bl};
}

}  // namespace

BoxSize QuadCropSize(const Point* p) {
  BoxSize s;
  s.width = std::max(Distance(p[0], p[1]), Distance(p[2], p[3]));
  s.height = std::max(Distance(p[0], p[3]), Distance(p[1], p[2]));
  return s;
}

std::array<Point, 4> MinAreaRect(const Point* points, size_t count) {
  std::vector<Point> h = ConvexHull(points, count);
  if (h.size() == 1) return {h[0], h[0], h[0], h[0]};
  if (h.size() == 2) return OrderCorners({h[0], h[1], h[1], h[0]});

  // Work relative to one hull point: far from the origin, the products
  // below would lose the precision the box itself needs.
  const Point origin = h[0];
  for (Point& p : h) p = {p.x - origin.x, p.y - origin.y};

  // Rotating calipers: the best rectangle has a side on a hull edge. For each
  // edge direction u (and its inward normal v) track the hull points extreme
  // along u, -u and v; each only moves forward as the edge turns.
  const size_t n = h.size();
  auto advance = [&](size_t i, double ux, double uy, int sign) {
    for (size_t step = 0; step < n; ++step) {
      size_t next = (i + 1) % n;
      if (sign * (Dot(h[next], ux, uy) - Dot(h[i], ux, uy)) < 0) break;
      i = next;
    }
    return i;
  };
  size_t far_u = 0, far_v = 0, near_u = 0;
  double best_area = INFINITY;
  std::array<Point, 4> best{h[0], h[0], h[0], h[0]};
  for (size_t e = 0; e < n; ++e) {
    const Point& a = h[e];
    const Point& b = h[(e + 1) % n];
    double len = Distance(a, b);
    double ux = (b.x - a.x) / len, uy = (b.y - a.y) / len;
    double vx = -uy, vy = ux;
    if (e == 0) {
      for (size_t i = 1; i < n; ++i) {
        if (Dot(h[i], ux, uy) > Dot(h[far_u], ux, uy)) far_u = i;
        if (Dot(h[i], vx, vy) > Dot(h[far_v], vx, vy)) far_v = i;
        if (Dot(h[i], ux, uy) < Dot(h[near_u], ux, uy)) near_u = i;
      }
    } else {
      far_u = advance(far_u, ux, uy, +1);
      far_v = advance(far_v, vx, vy, +1);
      near_u = advance(near_u, ux, uy, -1);
    }
    double max_u = Dot(h[far_u], ux, uy), min_u = Dot(h[near_u], ux, uy);
    double min_v = Dot(a, vx, vy), max_v = Dot(h[far_v], vx, vy);
    double area = (max_u - min_u) * (max_v - min_v);
    if (area < best_area) {
      best_area = area;
      auto corner = [&](double su, double sv) {
        return Point{origin.x + su * ux + sv * vx, origin.y + su * uy + sv * vy};
      };
      best = {corner(min_u, min_v), corner(max_u, min_v), corner(max_u, max_v),
              corner(min_u, max_v)};
    }
  }
  return OrderCorners(best);
}

BoxMeasure MeasureBox(const Point* points, size_t count) {
  BoxMeasure m;
  if (count < 4) {
    m.problem = BoxProblem::kTooFewPoints;
    return m;
  }
  for (size_t i = 0; i < count; ++i) {
    if (!std::isfinite(points[i].x) || !std::isfinite(points[i].y)) {
      m.problem = BoxProblem::kNonFinite;
      return m;
    }
  }
  if (count == 4) {
    m.size = QuadCropSize(points);
  } else {
    // A rectangle with both sides within the limit spans at most
    // limit * sqrt(2) along x and y; anything wider cannot pass, and its
    // coordinates could overflow the rectangle search.
    double min_x = points[0].x, max_x = min_x, min_y = points[0].y, max_y = min_y;
    for (size_t i = 1; i < count; ++i) {
      min_x = std::min(min_x, points[i].x), max_x = std::max(max_x, points[i].x);
      min_y = std::min(min_y, points[i].y), max_y = std::max(max_y, points[i].y);
    }
    const double span = 1.5 * kMaxBoxSidePx;
    if (!(max_x - min_x <= span) || !(max_y - min_y <= span)) {
      m.size = {max_y - min_y, max_x - min_x};
      m.problem = BoxProblem::kTooLarge;
      return m;
    }
    std::array<Point, 4> rect = MinAreaRect(points, count);
    m.size = QuadCropSize(rect.data());
  }
  const double w = m.size.width, h = m.size.height;
  if (!std::isfinite(w) || !std::isfinite(h) || w > kMaxBoxSidePx || h > kMaxBoxSidePx)
    m.problem = BoxProblem::kTooLarge;
  else if (w < 1 || h < 1)
    m.problem = BoxProblem::kDegenerate;
  return m;
}

std::string DescribeBoxProblem(const BoxMeasure& m, size_t point_count) {
  char buf[160];
  switch (m.problem) {
    case BoxProblem::kNone:
      return std::string();
    case BoxProblem::kTooFewPoints:
      std::snprintf(buf, sizeof buf, "%zu point%s, a box needs at least 4", point_count,
                    point_count == 1 ? "" : "s");
      return buf;
    case BoxProblem::kNonFinite:
      return "a coordinate is not a finite number";
    case BoxProblem::kDegenerate:
      std::snprintf(buf, sizeof buf, "crop %.4g x %.4g px (w x h) has a side under 1 px",
                    m.size.width, m.size.height);
      return buf;
    case BoxProblem::kTooLarge:
      std::snprintf(buf, sizeof buf, "crop %.4g x %.4g px (w x h) has a side over %.0f px",
                    m.size.width, m.size.height, kMaxBoxSidePx);
      return buf;
  }
  return std::string();
}

}  // namespace autoscale
