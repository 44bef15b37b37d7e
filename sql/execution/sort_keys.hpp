#pragma once
// SortKeys: each row's sort key as bytes that compare as the sort orders
// say, so that sorting, merging and range partitioning compare keys of any
// types with one memcmp.

#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "sql/expression/expression.hpp"
#include "sql/types/batch.hpp"

namespace ember::sql {

/// The normalized keys of one batch's rows, DuckDB's and Spark's
/// "prefix" idea taken to the whole key: per sort order a null byte (its
/// value placing nulls first or last), then the value big-endian with the
/// sign flipped (doubles: their bits as a total order, NaN greatest and
/// -0.0 as 0.0, as Spark), strings with 0x00 escaped and a terminator;
/// descending orders invert the value bytes.
class SortKeys {
 public:
  /// Encodes the keys of `b`'s rows: `orders` are resolved kSortOrder
  /// expressions over b's columns.
  void encode(const std::vector<ExprPtr>& orders, const Batch& b);

  size_t size() const { return offsets_.size() - 1; }
  /// Bytes the keys take, for memory budgets.
  int64_t bytes() const {
    return static_cast<int64_t>(bytes_.capacity() + offsets_.capacity() * 4);
  }
  std::string_view key(size_t i) const {
    return {reinterpret_cast<const char*>(bytes_.data()) + offsets_[i],
            offsets_[i + 1] - offsets_[i]};
  }
  /// The key's first 8 bytes as a big-endian number (zero padded): most
  /// comparisons end here.
  uint64_t prefix(size_t i) const;

 private:
  std::vector<unsigned char> bytes_;
  std::vector<uint32_t> offsets_{0};
};

/// memcmp order, shorter first on a tie: the order of normalized keys.
inline int compareKeys(std::string_view a, std::string_view b) {
  const int c = std::memcmp(a.data(), b.data(), std::min(a.size(), b.size()));
  if (c != 0) return c;
  return a.size() < b.size() ? -1 : (a.size() > b.size() ? 1 : 0);
}

}  // namespace ember::sql
