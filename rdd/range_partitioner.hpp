#pragma once
// RangePartitioner: sends keys to partitions by sorted ranges of keys.

#include <algorithm>
#include <functional>
#include <source_location>
#include <string>
#include <utility>
#include <vector>

#include "rdd/partitioner.hpp"

namespace ember {

template <class T>
class Rdd;

namespace detail {
template <class K, class V, class Compare>
std::vector<K> sampleRangeBounds(const Rdd<std::pair<K, V>>& rdd, int partitions,
                                 const Compare& comp, const std::source_location& loc);
}  // namespace detail

/// As Spark's RangePartitioner: partition i holds the keys between bound
/// i-1 (exclusive) and bound i (inclusive), so partitions are sorted among
/// themselves, in descending order when `ascending` is false. sortByKey
/// builds one by sampling the keys; there may be fewer partitions than asked
/// for when there are few distinct keys.
template <class K, class Compare = std::less<>>
class RangePartitioner final : public Partitioner {
 public:
  /// From explicit bounds, sorted by `comp`.
  explicit RangePartitioner(std::vector<K> bounds, bool ascending = true, Compare comp = {})
      : bounds_(std::move(bounds)), ascending_(ascending), comp_(std::move(comp)) {}

  /// Samples the keys of `rdd` (a job) for bounds that cut it into about
  /// `partitions` equal parts.
  template <class V>
  RangePartitioner(int partitions, const Rdd<std::pair<K, V>>& rdd, bool ascending = true,
                   Compare comp = {}, std::source_location loc = std::source_location::current())
      : RangePartitioner(detail::sampleRangeBounds(rdd, partitions, comp, loc), ascending, comp) {}

  int numPartitions() const override { return static_cast<int>(bounds_.size()) + 1; }

  int getPartition(const K& key) const {
    const auto n = static_cast<int>(std::lower_bound(bounds_.begin(), bounds_.end(), key, comp_) -
                                    bounds_.begin());
    return ascending_ ? n : static_cast<int>(bounds_.size()) - n;
  }

  const std::vector<K>& bounds() const { return bounds_; }
  bool ascending() const { return ascending_; }

  bool equals(const Partitioner& other) const override {
    const auto* range = dynamic_cast<const RangePartitioner*>(&other);
    if (!range || range->ascending_ != ascending_ || range->bounds_.size() != bounds_.size())
      return false;
    for (size_t i = 0; i < bounds_.size(); ++i) {
      if (comp_(bounds_[i], range->bounds_[i]) || comp_(range->bounds_[i], bounds_[i]))
        return false;
    }
    return true;
  }

  std::string describe() const override {
    return "RangePartitioner(" + std::to_string(numPartitions()) + ")";
  }

 private:
  std::vector<K> bounds_;
  bool ascending_;
  Compare comp_;
};

}  // namespace ember
