#pragma once
// Value: one nullable SQL value, for literals and rows (never for batches).

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "sql/types/data_type.hpp"
#include "sql/types/physical.hpp"
#include "storage/serializer.hpp"

namespace ember::sql {

/// A typed value: a literal in a plan, a field of a collected Row. The
/// alternative held follows the type's physical layout (physical.hpp); an
/// array's is its elements (each typed as the element type, null or not);
/// monostate is NULL.
struct Value {
  using List = std::vector<Value>;
  using Storage =
      std::variant<std::monostate, bool, int32_t, int64_t, double, Int128, std::string, List>;

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
  /// An ARRAY<element> of `elements`.
  static Value list(DataType element, List elements);

  /// As show() and Row::toString print it: "null", "1.5", "2024-07-01",
  /// "[a, null, c]", ...
  std::string toString() const;

  friend bool operator==(const Value&, const Value&) = default;

  /// For rows that cross processes (Row::writeTo): the type, then the value.
  void writeTo(ByteWriter& w) const;
  /// Throws CorruptBlockError on bytes that hold no value.
  void readFrom(ByteReader& r);
};

/// A double as Spark (Java's Double.toString) prints it: "1.0", "0.001",
/// "1.0E7", "1.2345E-5", "NaN", "Infinity".
std::string formatDouble(double x);
/// An unscaled decimal with `scale` digits after the point: "12.30".
std::string formatDecimal(Int128 unscaled, int scale);

/// A type as batches and rows write it: its id, precision and scale, and
/// an array's element id. readDataType throws CorruptBlockError on bytes
/// that name no type.
void writeDataType(ByteWriter& w, DataType type);
DataType readDataType(ByteReader& r);

}  // namespace ember::sql
