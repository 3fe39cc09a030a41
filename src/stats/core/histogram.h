// Exact counts of each distinct integer value, with the moments the
// strategies need derived from them (so merging two histograms is exact).
#pragma once

#include <cstdint>
#include <map>
#include <utility>

#include <nlohmann/json.hpp>

namespace autoscale {

class Histogram {
 public:
  void Add(int64_t value, uint64_t n = 1);
  void Merge(const Histogram& other);

  const std::map<int64_t, uint64_t>& counts() const { return counts_; }
  bool empty() const { return count_ == 0; }
  uint64_t Count() const { return count_; }
  int64_t Min() const { return counts_.empty() ? 0 : counts_.begin()->first; }
  int64_t Max() const { return counts_.empty() ? 0 : counts_.rbegin()->first; }
  long double Sum() const;
  long double SumOfSquares() const;
  double Mean() const;
  // Population standard deviation, as numpy.std computes it.
  double Std() const;

  // {"count","sum","sum_sq","min","max","mean","std","values":[[v,n],...]}
  nlohmann::json ToJson() const;
  bool operator==(const Histogram& o) const { return counts_ == o.counts_; }

 private:
  std::map<int64_t, uint64_t> counts_;
  uint64_t count_ = 0;
};

// Exact counts of each distinct (h, w) pair.
using PairCounts = std::map<std::pair<int64_t, int64_t>, uint64_t>;

}  // namespace autoscale
