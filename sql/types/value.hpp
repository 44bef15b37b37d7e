#pragma once
// Value: one nullable SQL value, for literals and rows (never for batches).

#include <cstdint>
#include <string>
#include <variant>

#include "sql/types/data_type.hpp"
#include "sql/types/physical.hpp"

namespace ember::sql {

/// A typed scalar: a literal in a plan, a field of a collected Row. The
/// alternative held follows the type's physical layout (physical.hpp);
/// monostate is NULL.
struct Value {
  using Storage = std::variant<std::monostate, bool, int32_t, int64_t, double, Int128, std::string>;

  DataType type;
  Storage v;

  bool isNull() const { return std::holds_alternative<std::monostate>(v); }

  static Value null(DataType type = DataType::null()) { return Value{type, std::monostate{}}; }
  static Value boolean(bool b) { return Value{DataType::boolean(), b}; }
  static Value integer(int32_t x) { return Value{DataType::integer(), x}; }
  static Value bigint(int64_t x) { return Value{DataType::bigint(), x}; }
  static Value float64(double x) { return Value{DataType::float64(), x}; }
  static Value string(std::string s) { return Value{DataType::string(), std::move(s)}; }
  static Value date(int32_t days) { return Value{DataType::date(), days}; }
  static Value timestamp(int64_t micros) { return Value{DataType::timestamp(), micros}; }
  /// A decimal of `type` whose unscaled value is `unscaled`.
  static Value decimal(DataType type, Int128 unscaled);

  /// As show() and Row::toString print it: "null", "1.5", "2024-07-01", ...
  std::string toString() const;

  friend bool operator==(const Value&, const Value&) = default;
};

/// A double as Spark (Java's Double.toString) prints it: "1.0", "0.001",
/// "1.0E7", "1.2345E-5", "NaN", "Infinity".
std::string formatDouble(double x);
/// An unscaled decimal with `scale` digits after the point: "12.30".
std::string formatDecimal(Int128 unscaled, int scale);

}  // namespace ember::sql
