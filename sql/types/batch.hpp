#pragma once
// Batch: a few thousand rows of a DataFrame, one ColumnVector per column.

#include <cstdint>
#include <memory>
#include <vector>

#include "sql/types/column_vector.hpp"
#include "sql/types/struct_type.hpp"
#include "storage/serializer.hpp"
#include "storage/size_estimator.hpp"

namespace ember::sql {

/// Rows a batch holds, by default: enough that a kernel's loop dwarfs its
/// dispatch, few enough that a batch's columns stay in cache.
inline constexpr size_t kBatchRows = 4096;

/// The record of a DataFrame's RDDs: `numRows()` rows as columns, each
/// shared (a projection that keeps a column does not copy it). The schema
/// lives in the plan, not here; a batch read back from bytes is given the
/// column types to read.
///
/// Thread safety: batches are values; their columns are read-only once in
/// a batch.
class Batch {
 public:
  /// One batch is one record for the RDD engine's sinks: it is already
  /// thousands of rows.
  static constexpr size_t kRecordsPerPush = 1;

  Batch() = default;
  Batch(size_t rows, std::vector<ColumnPtr> columns) : rows_(rows), columns_(std::move(columns)) {}

  size_t numRows() const { return rows_; }
  size_t numColumns() const { return columns_.size(); }
  const ColumnVector& column(size_t i) const { return *columns_[i]; }
  const ColumnPtr& columnPtr(size_t i) const { return columns_[i]; }
  const std::vector<ColumnPtr>& columns() const { return columns_; }

  /// The rows `rows[0..n)`, in that order.
  Batch gather(const uint32_t* rows, size_t n) const;
  /// Bytes held, for memory budgets.
  int64_t bytes() const;

  /// Writes the column types too, so that readFrom needs no schema.
  void writeTo(ByteWriter& w) const;
  void readFrom(ByteReader& r);

 private:
  size_t rows_ = 0;
  std::vector<ColumnPtr> columns_;
};

/// Appends rows to growing columns and cuts a Batch when they are full.
class BatchBuilder {
 public:
  explicit BatchBuilder(const std::vector<DataType>& types, size_t capacity = kBatchRows);

  size_t rows() const { return rows_; }
  bool full() const { return rows_ >= capacity_; }
  ColumnVector& column(size_t i) { return *columns_[i]; }
  /// Appends row `row` of `batch` (whose columns have this builder's types).
  void appendRow(const Batch& batch, size_t row);
  /// Counts a row whose values the caller appended to every column.
  void rowAppended() { ++rows_; }
  /// The rows so far as a batch; the builder starts over, empty.
  Batch finish();

 private:
  std::vector<DataType> types_;
  size_t capacity_;
  size_t rows_ = 0;
  std::vector<std::shared_ptr<ColumnVector>> columns_;
};

}  // namespace ember::sql

namespace ember::detail {

template <>
struct SizeOf<sql::Batch> {
  static int64_t of(const sql::Batch& b) { return b.bytes(); }
};

}  // namespace ember::detail
