#include "sql/expression/window_frame.hpp"

namespace ember::sql {
namespace {

std::string planBound(int64_t b) {
  if (b == WindowFrame::kUnboundedPreceding) return "unboundedpreceding$()";
  if (b == WindowFrame::kUnboundedFollowing) return "unboundedfollowing$()";
  if (b == WindowFrame::kCurrentRow) return "currentrow$()";
  return std::to_string(b);
}

std::string sqlBound(int64_t b) {
  if (b == WindowFrame::kUnboundedPreceding) return "UNBOUNDED PRECEDING";
  if (b == WindowFrame::kUnboundedFollowing) return "UNBOUNDED FOLLOWING";
  if (b == WindowFrame::kCurrentRow) return "CURRENT ROW";
  // -b of a negative b that is not INT64_MIN (unbounded) cannot overflow.
  return b < 0 ? std::to_string(-b) + " PRECEDING" : std::to_string(b) + " FOLLOWING";
}

}  // namespace

std::string WindowFrame::planString() const {
  return std::string("specifiedwindowframe(") + (type == Type::kRows ? "RowFrame" : "RangeFrame") +
         ", " + planBound(lower) + ", " + planBound(upper) + ")";
}

std::string WindowFrame::sqlString() const {
  return std::string(type == Type::kRows ? "ROWS" : "RANGE") + " BETWEEN " + sqlBound(lower) +
         " AND " + sqlBound(upper);
}

}  // namespace ember::sql
