#pragma once
// RecordBuilder: the columns a reader parses records into, a batch at a
// time, with Spark's handling of malformed records.

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "sql/io/read_options.hpp"
#include "sql/types/batch.hpp"

namespace ember::sql {

/// Builds batches of the scan's columns from field texts: fixed-width
/// values are parsed straight into their column's slot for the row;
/// strings wait (as views) until the row is kept, so that a dropped row
/// costs nothing to undo. No allocation per field once the columns have
/// grown.
///
/// A row: set() or setNull() each column at most once (a column left
/// unset is null), then keep() or drop(). Views passed to set() must stay
/// valid until then.
class RecordBuilder {
 public:
  /// `corruptColumn`: the position in `columns` of the STRING column that
  /// holds a malformed record's text, or -1.
  RecordBuilder(const StructType& columns, const ReadOptions& options, int corruptColumn);

  size_t width() const { return types_.size(); }
  DataType type(size_t column) const { return types_[column]; }

  /// Converts `text` to the column's type; false (the column null) when
  /// it is not a value of that type.
  bool set(size_t column, std::string_view text);
  void setNull(size_t column) { state_[column] = kNull; }

  /// Ends the row and keeps it; `raw` goes to the corrupt-record column
  /// when the row is malformed.
  void keep(bool malformed, std::string_view raw);
  /// Ends the row without keeping it.
  void drop();

  size_t rows() const { return rows_; }
  bool full() const { return rows_ >= capacity_; }
  /// The rows so far; the builder starts an empty batch.
  Batch finish();

 private:
  enum : uint8_t { kUnset, kNull, kValue };
  bool parseFixed(size_t column, std::string_view text);
  void startColumns();

  std::vector<DataType> types_;
  const ReadOptions& options_;
  int corruptColumn_;
  size_t capacity_ = kBatchRows;
  size_t rows_ = 0;
  std::vector<std::shared_ptr<ColumnVector>> columns_;
  std::vector<uint8_t> state_;             ///< of each column, for the row being built
  std::vector<std::string_view> pending_;  ///< strings of the row being built
};

}  // namespace ember::sql
