#pragma once
// KeyIndex: the key of a row (one or more columns) to a number, for the hash
// tables of aggregation (group ids) and joins (chain heads).

#include <cstdint>
#include <string>
#include <vector>

#include <boost/unordered/unordered_flat_map.hpp>

#include "sql/execution/detail/integer_map.hpp"
#include "sql/types/column_vector.hpp"

namespace ember::sql {

/// A single integer-like key (INT, BIGINT, DATE, TIMESTAMP, a decimal of up
/// to 18 digits) is looked up by its value; any other key by its bytes
/// (key_encoding.hpp). Null is a key like any other: a caller for which
/// null matches nothing checks before.
class KeyIndex {
 public:
  static constexpr uint32_t kMissing = UINT32_MAX;
  /// How many rows ahead a loop prefetches: enough to cover a miss to
  /// memory, few enough that the lines are still cached when reached.
  static constexpr size_t kPrefetchAhead = 16;

  explicit KeyIndex(const std::vector<DataType>& keyTypes);

  /// The number stored for row `i`'s key (`keys` are the key columns),
  /// `initial` when the key is new; valid until the next call. An
  /// `initial` of kMissing must be overwritten before the next call.
  uint32_t& slot(const std::vector<ColumnPtr>& keys, size_t i, uint32_t initial);
  /// The number stored for row `i`'s key, or kMissing. `scratch` holds a
  /// key's bytes, so that tasks sharing one index each bring their own.
  uint32_t find(const std::vector<ColumnPtr>& keys, size_t i, std::string& scratch) const;
  /// Asks the memory for where row `i`'s key would be, ahead of a slot()
  /// or find() of it (a no-op for keys looked up by bytes).
  void prefetch(const std::vector<ColumnPtr>& keys, size_t i) const;

 private:
  bool integer_ = false;
  bool hasNull_ = false;  ///< integer_: whether the null key has a slot
  uint32_t nullSlot_ = kMissing;
  IntegerMap byInteger_;
  boost::unordered_flat_map<std::string, uint32_t> byBytes_;
  std::string scratch_;
};

}  // namespace ember::sql
