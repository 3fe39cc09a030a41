#include "stats/core/histogram.h"

#include <cmath>

namespace autoscale {

void Histogram::Add(int64_t value, uint64_t n) {
  if (n == 0) return;
  counts_[value] += n;
  count_ += n;
}

void Histogram::Merge(const Histogram& other) {
  for (const auto& [v, n] : other.counts_) Add(v, n);
}

long double Histogram::Sum() const {
  long double s = 0;
  for (const auto& [v, n] : counts_) s += static_cast<long double>(v) * n;
  return s;
}

long double Histogram::SumOfSquares() const {
  long double s = 0;
  for (const auto& [v, n] : counts_) s += static_cast<long double>(v) * v * n;
  return s;
}

double Histogram::Mean() const { return count_ ? static_cast<double>(Sum() / count_) : 0.0; }

double Histogram::Std() const {
  if (count_ == 0) return 0.0;
  // Two-pass over the distinct values: exact enough and immune to cancellation.
  long double mean = Sum() / count_;
  long double acc = 0;
  for (const auto& [v, n] : counts_) {
    long double d = v - mean;
    acc += d * d * n;
  }
  return static_cast<double>(std::sqrt(acc / count_));
}

nlohmann::json Histogram::ToJson() const {
  nlohmann::json values = nlohmann::json::array();
  for (const auto& [v, n] : counts_) values.push_back({v, n});
  return {{"count", count_},
          {"sum", static_cast<double>(Sum())},
          {"sum_sq", static_cast<double>(SumOfSquares())},
          {"min", Min()},
          {"max", Max()},
          {"mean", Mean()},
          {"std", Std()},
          {"values", values}};
}

}  // namespace autoscale
