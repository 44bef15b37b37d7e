#pragma once
// WindowSpec: the partitioning, ordering and frame of a window, as
// pyspark's WindowSpec (built by Window's static methods, then chained).

#include <cstdint>
#include <string>
#include <vector>

#include "sql/column.hpp"
#include "sql/expression/window_frame.hpp"
#include "sql/functions.hpp"

namespace ember {

/// A value: each method returns a new spec. `Column::over(spec)` puts a
/// ranking, offset or aggregate function over it. Columns are resolved
/// when a DataFrame's select() or withColumn() uses the window.
class WindowSpec {
 public:
  WindowSpec() = default;

  /// Rows with equal values of `columns` (null equal to null) form a window partition.
  WindowSpec partitionBy(const std::vector<Column>& columns) const;
  WindowSpec partitionBy(const std::vector<std::string>& names) const;
  template <ColumnOrName... Cs>
  requires(sizeof...(Cs) > 0) WindowSpec partitionBy(const Cs&... columns)
  const { return partitionBy(std::vector<Column>{functions::asColumn(columns)...}); }

  /// The order within a partition (ascending, nulls first, unless a
  /// column says otherwise: F::col("t").desc()).
  WindowSpec orderBy(const std::vector<Column>& columns) const;
  WindowSpec orderBy(const std::vector<std::string>& names) const;
  template <ColumnOrName... Cs>
  requires(sizeof...(Cs) > 0) WindowSpec orderBy(const Cs&... columns)
  const { return orderBy(std::vector<Column>{functions::asColumn(columns)...}); }

  /// A frame of rows `start` to `end` from the current row (negative:
  /// before it), Window::unboundedPreceding, currentRow or unboundedFollowing.
  WindowSpec rowsBetween(int64_t start, int64_t end) const;
  /// A frame of the rows whose order key lies within [key + start, key +
  /// end] of the current row's (one numeric or date order key), or the
  /// unbounded ends and the current row's peers.
  WindowSpec rangeBetween(int64_t start, int64_t end) const;

  const std::vector<sql::ExprPtr>& partitionExprs() const { return partition_; }
  const std::vector<sql::ExprPtr>& orderExprs() const { return orders_; }
  const sql::WindowFrame& frame() const { return frame_; }

 private:
  WindowSpec framed(sql::WindowFrame::Type type, int64_t start, int64_t end) const;

  std::vector<sql::ExprPtr> partition_;
  std::vector<sql::ExprPtr> orders_;
  sql::WindowFrame frame_;
};

}  // namespace ember
