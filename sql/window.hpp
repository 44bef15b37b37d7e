#pragma once
// Window: where window specs start, as pyspark's Window
// (`Window::partitionBy("k").orderBy("t").rowsBetween(-1, 1)`).

#include <cstdint>
#include <string>
#include <vector>

#include "sql/window_spec.hpp"

namespace ember {

/// Static only: each method is an empty WindowSpec's.
class Window {
 public:
  Window() = delete;

  static constexpr int64_t unboundedPreceding = sql::WindowFrame::kUnboundedPreceding;
  static constexpr int64_t unboundedFollowing = sql::WindowFrame::kUnboundedFollowing;
  static constexpr int64_t currentRow = sql::WindowFrame::kCurrentRow;

  static WindowSpec partitionBy(const std::vector<Column>& columns) {
    return WindowSpec().partitionBy(columns);
  }
  static WindowSpec partitionBy(const std::vector<std::string>& names) {
    return WindowSpec().partitionBy(names);
  }
  template <ColumnOrName... Cs>
  requires(sizeof...(Cs) > 0) static WindowSpec partitionBy(const Cs&... columns) {
    return WindowSpec().partitionBy(columns...);
  }
  static WindowSpec orderBy(const std::vector<Column>& columns) {
    return WindowSpec().orderBy(columns);
  }
  static WindowSpec orderBy(const std::vector<std::string>& names) {
    return WindowSpec().orderBy(names);
  }
  template <ColumnOrName... Cs>
  requires(sizeof...(Cs) > 0) static WindowSpec orderBy(const Cs&... columns) {
    return WindowSpec().orderBy(columns...);
  }
  static WindowSpec rowsBetween(int64_t start, int64_t end) {
    return WindowSpec().rowsBetween(start, end);
  }
  static WindowSpec rangeBetween(int64_t start, int64_t end) {
    return WindowSpec().rangeBetween(start, end);
  }
};

}  // namespace ember
