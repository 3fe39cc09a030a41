#include "runtime/cost_model.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <set>
#include <tuple>
#include <utility>

namespace autoscale {
namespace runtime {

namespace {

constexpr int kCoefficients = 3;

std::array<double, kCoefficients> Features(const CostRow& r) {
  const double n = static_cast<double>(r.batch);
  return {1.0, n, n * static_cast<double>(r.height) * static_cast<double>(r.width)};
}

// Solves the k x k system m * x = v in place by Gaussian elimination with
// partial pivoting; false when it is singular.
bool Solve(int k, double m[kCoefficients][kCoefficients], double v[kCoefficients],
           double x[kCoefficients]) {
  for (int col = 0; col < k; ++col) {
    int pivot = col;
    for (int r = col + 1; r < k; ++r)
      if (std::fabs(m[r][col]) > std::fabs(m[pivot][col])) pivot = r;
    if (std::fabs(m[pivot][col]) < 1e-12) return false;
    std::swap(m[col], m[pivot]);
    std::swap(v[col], v[pivot]);
    for (int r = col + 1; r < k; ++r) {
      const double f = m[r][col] / m[col][col];
      for (int c = col; c < k; ++c) m[r][c] -= f * m[col][c];
      v[r] -= f * v[col];
    }
  }
  for (int r = k - 1; r >= 0; --r) {
    double s = v[r];
    for (int c = r + 1; c < k; ++c) s -= m[r][c] * x[c];
    x[r] = s / m[r][r];
  }
  return true;
}

double FitValue(const CostFit& f, const CostRow& r) {
  const auto x = Features(r);
  return f.a * x[0] + f.b * x[1] + f.c * x[2];
}

}  // namespace

Status CheckFitRows(const std::vector<CostRow>& rows, const std::string& where) {
  std::set<std::pair<int64_t, int64_t>> points;
  for (const CostRow& r : rows) {
    if (r.batch <= 0 || r.height <= 0 || r.width <= 0 || !(r.ms > 0) || !std::isfinite(r.ms))
      return Status::Error(where + ": a cost row needs a positive batch, height, width and ms");
    points.insert({r.batch, r.batch * r.height * r.width});
  }
  if (points.size() >= kCoefficients) return Status::Ok();
  return Status::Error(where +
                       ": the fit needs rows of at least 3 distinct (batch, "
                       "batch*height*width), got " +
                       std::to_string(points.size()));
}

Result<CostFit> FitCostRows(const std::vector<CostRow>& rows, const std::string& where) {
  Status s = CheckFitRows(rows, where);
  if (!s.ok()) return s;
  // Columns and ms are scaled to a largest magnitude of 1 to keep the normal
  // equations well conditioned.
  std::array<double, kCoefficients> scale{0, 0, 0};
  double y_scale = 0;
  for (const CostRow& r : rows) {
    const auto x = Features(r);
    for (int k = 0; k < kCoefficients; ++k) scale[k] = std::max(scale[k], std::fabs(x[k]));
    y_scale = std::max(y_scale, std::fabs(r.ms));
  }
  if (y_scale == 0) y_scale = 1;
  CostFit best;
  double best_sse = std::numeric_limits<double>::infinity();
  // Every subset of the coefficients, smallest first, so an exact tie keeps
  // the simpler fit.
  std::vector<unsigned> masks;
  for (unsigned mask = 0; mask < (1u << kCoefficients); ++mask) masks.push_back(mask);
  std::stable_sort(masks.begin(), masks.end(), [](unsigned x, unsigned y) {
    return __builtin_popcount(x) < __builtin_popcount(y);
  });
  for (unsigned mask : masks) {
    int idx[kCoefficients];
    int k = 0;
    for (int c = 0; c < kCoefficients; ++c)
      if (mask & (1u << c)) idx[k++] = c;
    double m[kCoefficients][kCoefficients] = {};
    double v[kCoefficients] = {};
    double beta[kCoefficients] = {};
    for (const CostRow& r : rows) {
      // Each row weighs 1/ms: the residuals are relative.
      const auto x = Features(r);
      const double y = r.ms / y_scale, w = 1 / y;
      for (int p = 0; p < k; ++p) {
        const double xp = x[idx[p]] / scale[idx[p]] * w;
        v[p] += xp * y * w;
        for (int q = 0; q < k; ++q) m[p][q] += xp * x[idx[q]] / scale[idx[q]] * w;
      }
    }
    if (k > 0 && !Solve(k, m, v, beta)) continue;
    bool feasible = true;
    std::array<double, kCoefficients> coef{0, 0, 0};
    for (int p = 0; p < k; ++p) {
      if (beta[p] < -1e-9) feasible = false;
      coef[idx[p]] = std::max(0.0, beta[p]) * y_scale / scale[idx[p]];
    }
    if (!feasible) continue;
    CostFit fit{coef[0], coef[1], coef[2], 0};
    double sse = 0;
    for (const CostRow& r : rows) {
      const double d = (FitValue(fit, r) - r.ms) / r.ms;
      sse += d * d;
    }
    if (sse < best_sse) {
      best_sse = sse;
      best = fit;
    }
  }
  for (const CostRow& r : rows) {
    const double err = std::fabs(FitValue(best, r) - r.ms) / r.ms;
    best.max_relative_error = std::max(best.max_relative_error, err);
  }
  return best;
}

CostModel CostModel::Pixels(double call_overhead) {
  CostModel m;
  m.kind_ = Kind::kPixels;
  m.call_overhead_ = call_overhead;
  return m;
}

Result<CostModel> CostModel::Table(std::vector<CostRow> rows, const std::string& where) {
  auto fit = FitCostRows(rows, where);
  if (!fit.ok()) return fit.status();
  CostModel m;
  m.kind_ = Kind::kTable;
  m.call_overhead_ = 0;
  m.rows_ = std::move(rows);
  m.fit_ = *fit;
  m.BuildMeasured();
  return m;
}

void CostModel::BuildMeasured() {
  std::vector<CostRow> sorted = rows_;
  std::sort(sorted.begin(), sorted.end(), [](const CostRow& x, const CostRow& y) {
    return std::tie(x.batch, x.height, x.width, x.ms) < std::tie(y.batch, y.height, y.width, y.ms);
  });
  measured_.clear();
  for (size_t i = 0; i < sorted.size();) {
    size_t j = i;
    while (j < sorted.size() && sorted[j].batch == sorted[i].batch &&
           sorted[j].height == sorted[i].height && sorted[j].width == sorted[i].width)
      ++j;
    const size_t count = j - i, mid = i + count / 2;
    const double median =
        count % 2 == 1 ? sorted[mid].ms : (sorted[mid - 1].ms + sorted[mid].ms) / 2;
    measured_.push_back({sorted[i].batch, sorted[i].height, sorted[i].width, median});
    i = j;
  }
}

double CostModel::Cost(int64_t n, int64_t h, int64_t w) const {
  if (kind_ == Kind::kPixels)
    return call_overhead_ +
           static_cast<double>(n) * static_cast<double>(h) * static_cast<double>(w);
  auto it = std::lower_bound(measured_.begin(), measured_.end(), Measured{n, h, w, 0},
                             [](const Measured& x, const Measured& y) {
                               return std::tie(x.n, x.h, x.w) < std::tie(y.n, y.h, y.w);
                             });
  if (it != measured_.end() && it->n == n && it->h == h && it->w == w) return it->ms;
  return FitValue(fit_, CostRow{n, h, w, 0});
}

std::string CostModel::unit() const { return kind_ == Kind::kPixels ? "px" : "ms"; }

nlohmann::json CostModel::ToJson() const {
  if (kind_ == Kind::kPixels) return {{"kind", "pixels"}, {"call_overhead", call_overhead_}};
  nlohmann::json rows = nlohmann::json::array();
  for (const CostRow& r : rows_) rows.push_back({r.batch, r.height, r.width, r.ms});
  return {{"kind", "table"},
          {"rows", rows},
          {"fit",
           {{"a", fit_.a},
            {"b", fit_.b},
            {"c", fit_.c},
            {"max_relative_error", fit_.max_relative_error}}}};
}

namespace {

Status KeyError(const std::string& where, const std::string& key, const std::string& what) {
  return Status::Error(where + ": '" + key + "' " + what);
}

// A number >= 0 under `key` of object `j`.
Result<double> NonNegative(const nlohmann::json& j, const std::string& key,
                           const std::string& where) {
  if (!j.contains(key)) return KeyError(where, key, "is missing");
  if (!j[key].is_number()) return KeyError(where, key, "must be a number");
  const double v = j[key].get<double>();
  if (!(v >= 0) || !std::isfinite(v)) return KeyError(where, key, "must be a number >= 0");
  return v;
}

}  // namespace

Result<CostModel> CostModel::FromJson(const nlohmann::json& j, const std::string& where) {
  if (!j.is_object()) return Status::Error(where + ": must be an object");
  if (!j.contains("kind") || !j["kind"].is_string())
    return KeyError(where, "kind", "must be \"pixels\" or \"table\"");
  const std::string kind = j["kind"].get<std::string>();
  if (kind == "pixels") {
    auto overhead = NonNegative(j, "call_overhead", where);
    if (!overhead.ok()) return overhead.status();
    return Pixels(*overhead);
  }
  if (kind != "table") return KeyError(where, "kind", "must be \"pixels\" or \"table\"");
  if (!j.contains("rows") || !j["rows"].is_array())
    return KeyError(where, "rows", "must be a list of [batch, height, width, ms]");
  std::vector<CostRow> rows;
  for (size_t i = 0; i < j["rows"].size(); ++i) {
    const nlohmann::json& r = j["rows"][i];
    const std::string key = "rows[" + std::to_string(i) + "]";
    bool ok = r.is_array() && r.size() == 4;
    for (size_t k = 0; ok && k < 3; ++k) ok = r[k].is_number_integer() && r[k].get<int64_t>() > 0;
    ok = ok && r[3].is_number() && r[3].get<double>() > 0;
    if (!ok) return KeyError(where, key, "must be [batch, height, width, ms], all positive");
    rows.push_back(
        {r[0].get<int64_t>(), r[1].get<int64_t>(), r[2].get<int64_t>(), r[3].get<double>()});
  }
  if (!j.contains("fit")) return Table(std::move(rows), where);
  Status s = CheckFitRows(rows, where);
  if (!s.ok()) return s;
  const nlohmann::json& f = j["fit"];
  if (!f.is_object()) return KeyError(where, "fit", "must be an object");
  CostFit fit;
  double* fields[] = {&fit.a, &fit.b, &fit.c, &fit.max_relative_error};
  const char* names[] = {"a", "b", "c", "max_relative_error"};
  for (int k = 0; k < 4; ++k) {
    auto v = NonNegative(f, names[k], where + ": fit");
    if (!v.ok()) return v.status();
    *fields[k] = *v;
  }
  CostModel m;
  m.kind_ = Kind::kTable;
  m.call_overhead_ = 0;
  m.rows_ = std::move(rows);
  m.fit_ = fit;
  m.BuildMeasured();
  return m;
}

}  // namespace runtime
}  // namespace autoscale
