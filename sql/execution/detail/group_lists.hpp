#pragma once
// GroupLists: the values each group of an aggregation collects
// (collect_list, collect_set).

#include <cstdint>
#include <string>
#include <vector>

#include <boost/unordered/unordered_flat_set.hpp>

#include "sql/types/column_vector.hpp"

namespace ember::sql {

/// Every group's values in one element vector, each group's chained in the
/// order added: no allocation per group or value (but a distinct value's
/// key, for a set), and bytes that grow with the values, so that the
/// aggregator's memory budget sees them and flushes or spills.
///
/// Not thread-safe: one per aggregation table.
class GroupLists {
 public:
  GroupLists(DataType element, bool distinct);

  /// Makes room for groups [0, groups).
  void grow(size_t groups);
  /// Adds row i of `values` (not null, of the element type) to group g's
  /// list; to a set, only when the group does not hold it yet.
  void add(uint32_t g, const ColumnVector& values, size_t i);
  /// Groups [from, from + n) as an ARRAY column (an empty array for a
  /// group without values).
  ColumnPtr arrays(DataType arrayType, size_t from, size_t n) const;
  int64_t bytes() const;

 private:
  static constexpr uint32_t kEnd = UINT32_MAX;

  bool distinct_;
  ColumnVector elements_;
  std::vector<uint32_t> next_;  ///< per element: the next of its group's
  std::vector<uint32_t> head_;  ///< per group: its first element
  std::vector<uint32_t> tail_;  ///< per group: its last element
  /// A set's (group, value) pairs, as key bytes.
  boost::unordered_flat_set<std::string> seen_;
  std::string key_;
};

}  // namespace ember::sql
