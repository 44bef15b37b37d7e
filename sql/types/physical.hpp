#pragma once
// How each SQL type is held in a column vector.

#include <cstdint>
#include <type_traits>

#include "sql/types/data_type.hpp"

namespace ember::sql {

__extension__ typedef __int128 Int128;  // wide DECIMAL values, unscaled
__extension__ typedef unsigned __int128 UInt128;

/// The C++ type of one value of a fixed-width physical layout.
enum class Physical : uint8_t { kNone, kBool, kInt32, kInt64, kInt128, kDouble, kString, kArray };

constexpr Physical physicalOf(DataType type) {
  switch (type.id()) {
    case TypeId::kNull:
      return Physical::kNone;
    case TypeId::kBoolean:
      return Physical::kBool;
    case TypeId::kInt:
    case TypeId::kDate:
      return Physical::kInt32;
    case TypeId::kBigInt:
    case TypeId::kTimestamp:
      return Physical::kInt64;
    case TypeId::kDecimal:
      return type.isWideDecimal() ? Physical::kInt128 : Physical::kInt64;
    case TypeId::kDouble:
      return Physical::kDouble;
    case TypeId::kString:
      return Physical::kString;
    case TypeId::kArray:
      return Physical::kArray;
  }
  return Physical::kNone;
}

/// Bytes of one value (0 for strings and arrays, whose values live apart).
constexpr size_t widthOf(Physical p) {
  switch (p) {
    case Physical::kBool:
      return 1;
    case Physical::kInt32:
      return 4;
    case Physical::kInt64:
    case Physical::kDouble:
      return 8;
    case Physical::kInt128:
      return 16;
    default:
      return 0;
  }
}

/// Calls f with a value of the C++ type a fixed-width layout holds
/// (f(uint8_t{}), f(int32_t{}), ...): one switch per batch, then typed loops.
template <class F>
decltype(auto) dispatchFixed(Physical p, F&& f) {
  switch (p) {
    case Physical::kBool:
      return f(uint8_t{});
    case Physical::kInt32:
      return f(int32_t{});
    case Physical::kInt64:
      return f(int64_t{});
    case Physical::kInt128:
      return f(Int128{});
    case Physical::kDouble:
      return f(double{});
    default:
      return f(uint8_t{});  // callers handle strings, arrays and NULL before
  }
}

}  // namespace ember::sql
