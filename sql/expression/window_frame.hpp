#pragma once
// WindowFrame and WindowDefinition: the shape of a window expression's
// spec (Spark's WindowSpecDefinition), which its Expr's children do not
// say: how many of them are partition keys, and the frame.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>

namespace ember::sql {

/// The rows of a partition each row's function sees, as Spark's
/// SpecifiedWindowFrame: ROWS counts rows from the current one, RANGE
/// compares the order key's value with the current row's (0 is the
/// current row's peers). The bounds are Window's constants.
struct WindowFrame {
  static constexpr int64_t kUnboundedPreceding = std::numeric_limits<int64_t>::min();
  static constexpr int64_t kUnboundedFollowing = std::numeric_limits<int64_t>::max();
  static constexpr int64_t kCurrentRow = 0;

  enum class Type : uint8_t { kRows, kRange };
  Type type = Type::kRange;
  int64_t lower = kUnboundedPreceding;
  int64_t upper = kCurrentRow;
  /// Given by rowsBetween or rangeBetween (else the analyzer picks Spark's default).
  bool specified = false;

  bool operator==(const WindowFrame& o) const {
    return type == o.type && lower == o.lower && upper == o.upper;
  }
  /// As Spark's plans print it: "specifiedwindowframe(RangeFrame,
  /// unboundedpreceding$(), currentrow$())".
  std::string planString() const;
  /// As Spark names a column: "RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW".
  std::string sqlString() const;
};

/// The shape of a kWindow expression: children[0] is the function, the
/// next `partitionCount` the partition keys, the rest the sort orders.
struct WindowDefinition {
  size_t partitionCount = 0;
  WindowFrame frame;
};

}  // namespace ember::sql
