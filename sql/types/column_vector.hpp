#pragma once
// ColumnVector: the values of one column for the rows of a batch.

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sql/types/data_type.hpp"
#include "sql/types/physical.hpp"
#include "sql/types/value.hpp"
#include "storage/serializer.hpp"

namespace ember::sql {

/// A typed, nullable column of `size()` values, laid out for loops over the
/// whole vector: fixed-width values in one array; strings as offsets into
/// one buffer of bytes; arrays as offsets into one child vector of all
/// rows' elements (Arrow's list layout: the child has its own validity, so
/// an element may be null, and a null row has no elements); nulls as a
/// validity bitmap (bit i set: row i has a value), absent while every row
/// has one. The value under a null is unspecified but initialized, so
/// kernels may compute on it and mask.
///
/// Thread safety: a vector shared between threads (batches hold them as
/// shared_ptr<const ColumnVector>) is only read.
class ColumnVector {
 public:
  explicit ColumnVector(DataType type);
  /// `size` rows with zeroed values, all valid (fixed-width types).
  ColumnVector(DataType type, size_t size) : ColumnVector(type) { resize(size); }

  DataType type() const { return type_; }
  Physical physical() const { return physical_; }
  size_t size() const { return size_; }

  // ---- Values ----
  template <class P>
  P* values() {
    return reinterpret_cast<P*>(data_.data());
  }
  template <class P>
  const P* values() const {
    return reinterpret_cast<const P*>(data_.data());
  }
  template <class P>
  P value(size_t i) const {
    P v;
    std::memcpy(&v, data_.data() + i * sizeof(P), sizeof(P));
    return v;
  }
  /// Fixed-width types: `size` rows, new ones zeroed and valid.
  void resize(size_t size);

  // ---- Strings ----
  std::string_view stringAt(size_t i) const {
    return {chars_.data() + offsets_[i], offsets_[i + 1] - offsets_[i]};
  }
  const uint32_t* offsets() const { return offsets_.data(); }
  const char* chars() const { return chars_.data(); }
  size_t charBytes() const { return chars_.size(); }
  void reserveChars(size_t bytes) { chars_.reserve(bytes); }
  void appendString(std::string_view s);

  // ---- Arrays ----
  /// Every row's elements, one row after the other: row i's are
  /// [arrayBegin(i), arrayEnd(i)).
  const ColumnVector& elements() const { return *elements_; }
  /// For a builder: a row's elements are appended here, then endArray().
  ColumnVector& mutableElements() { return *elements_; }
  uint32_t arrayBegin(size_t i) const { return offsets_[i]; }
  uint32_t arrayEnd(size_t i) const { return offsets_[i + 1]; }
  /// Appends a row whose elements are those appended to mutableElements()
  /// since the previous row.
  void endArray();

  // ---- Nulls ----
  bool mayHaveNulls() const { return !validity_.empty(); }
  bool isNull(size_t i) const {
    return !validity_.empty() && ((validity_[i >> 6] >> (i & 63)) & 1) == 0;
  }
  /// The bitmap, or nullptr when every row has a value.
  const uint64_t* validity() const { return validity_.empty() ? nullptr : validity_.data(); }
  /// The bitmap, made (all valid) if absent, for a kernel to write.
  uint64_t* mutableValidity();
  void setNull(size_t i) { mutableValidity()[i >> 6] &= ~(uint64_t{1} << (i & 63)); }
  size_t nullCount() const;
  /// Drops the bitmap when it says every row has a value.
  void compactValidity();

  // ---- Building ----
  /// Appends row `i` of `other` (of the same type).
  void appendFrom(const ColumnVector& other, size_t i);
  void appendNull();
  /// Appends `count` rows of `other` from row `from`.
  void appendRange(const ColumnVector& other, size_t from, size_t count);
  /// The rows `rows[0..n)` of this vector, in that order.
  std::shared_ptr<ColumnVector> gather(const uint32_t* rows, size_t n) const;

  /// Bytes held, for memory budgets.
  int64_t bytes() const {
    return static_cast<int64_t>(data_.capacity() + chars_.capacity() + offsets_.capacity() * 4 +
                                validity_.capacity() * 8 + sizeof(*this)) +
           (elements_ ? elements_->bytes() : 0);
  }

  void writeTo(ByteWriter& w) const;
  /// Reads what writeTo wrote into this vector (of the type it was made
  /// with); throws CorruptBlockError on bytes that do not hold one.
  void readFrom(ByteReader& r);

 private:
  void growValidity(size_t size, bool valid);
  bool hasOffsets() const {
    return physical_ == Physical::kString || physical_ == Physical::kArray;
  }
  void gatherArrays(const uint32_t* rows, size_t n, ColumnVector& out) const;
  /// Fails `r` unless the offsets rise from 0 and stay within `limit`.
  void checkOffsets(const ByteReader& r, size_t limit, const char* what) const;

  DataType type_;
  Physical physical_;
  size_t size_ = 0;
  std::vector<unsigned char> data_;  ///< fixed-width values
  std::vector<uint32_t> offsets_;    ///< size_ + 1 offsets into chars_ or elements_
  std::string chars_;
  std::unique_ptr<ColumnVector> elements_;  ///< arrays
  std::vector<uint64_t> validity_;          ///< empty: no nulls
};

using ColumnPtr = std::shared_ptr<const ColumnVector>;

/// More rows than any batch holds: read from bytes, a damaged count.
inline constexpr uint64_t kMaxBatchRows = uint64_t{1} << 26;

/// Row `i` of `c` as a Value (for collected rows, never in a kernel).
Value valueAt(const ColumnVector& c, size_t i);
/// Row i of a vector of integers of any width (boolean, INT, BIGINT, DATE,
/// TIMESTAMP, DECIMAL) as an unscaled 128-bit value; 0 for other types.
Int128 integerAt(const ColumnVector& c, size_t i);
/// Appends `v` (of c's type, or NULL) to `c`.
void appendValue(ColumnVector& c, const Value& v);

}  // namespace ember::sql
