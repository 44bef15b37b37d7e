#pragma once
// DataType: the SQL type of a column, as Spark names and prints it.

#include <cstdint>
#include <string>

namespace ember {

/// The types a column can hold. Every one is nullable.
enum class TypeId : uint8_t {
  kNull,  ///< the type of a NULL literal, before it meets another type
  kBoolean,
  kInt,
  kBigInt,
  kDouble,
  kDecimal,
  kString,
  kDate,       ///< days since 1970-01-01
  kTimestamp,  ///< microseconds since 1970-01-01 00:00:00 UTC
  kArray,      ///< a list of values of one element type (not itself an array)
};

/// A column's type: Spark's BooleanType, IntegerType, LongType, DoubleType,
/// DecimalType(p, s), StringType, DateType, TimestampType and ArrayType of
/// one of those. A value type, cheap to copy and compare: an array keeps
/// its element's id (and a decimal element's precision and scale) beside
/// its own, so that nesting stops at one level. Arrays may hold nulls
/// (Spark's containsNull = true), whatever made them.
class DataType {
 public:
  /// Spark's largest decimal precision.
  static constexpr int kMaxPrecision = 38;
  /// Decimals up to this precision are held in 64 bits, larger ones in 128.
  static constexpr int kMaxLongPrecision = 18;

  constexpr DataType() = default;
  constexpr explicit DataType(TypeId id) : id_(id) {}

  static constexpr DataType null() { return DataType(TypeId::kNull); }
  static constexpr DataType boolean() { return DataType(TypeId::kBoolean); }
  static constexpr DataType integer() { return DataType(TypeId::kInt); }
  static constexpr DataType bigint() { return DataType(TypeId::kBigInt); }
  static constexpr DataType float64() { return DataType(TypeId::kDouble); }
  static constexpr DataType string() { return DataType(TypeId::kString); }
  static constexpr DataType date() { return DataType(TypeId::kDate); }
  static constexpr DataType timestamp() { return DataType(TypeId::kTimestamp); }
  /// DECIMAL(precision, scale); throws AnalysisException unless
  /// 1 <= precision <= 38 and 0 <= scale <= precision.
  static DataType decimal(int precision, int scale);
  /// ARRAY<element>; throws AnalysisException for an array of arrays,
  /// which ember does not hold.
  static DataType array(DataType element);

  /// Parses a type as Spark's DDL writes it ("bigint", "DECIMAL(10,2)",
  /// "long", "string", "array<string>", ...); throws ParseException naming
  /// the text.
  static DataType fromString(const std::string& text);

  constexpr TypeId id() const { return id_; }
  constexpr int precision() const { return precision_; }
  constexpr int scale() const { return scale_; }
  constexpr bool isArray() const { return id_ == TypeId::kArray; }
  /// An array's element type (null() for other types).
  constexpr DataType elementType() const {
    return isArray() ? DataType(element_, precision_, scale_) : DataType();
  }

  constexpr bool isNumeric() const {
    return id_ == TypeId::kInt || id_ == TypeId::kBigInt || id_ == TypeId::kDouble ||
           id_ == TypeId::kDecimal;
  }
  constexpr bool isIntegral() const { return id_ == TypeId::kInt || id_ == TypeId::kBigInt; }
  /// A DECIMAL held in 128 bits.
  constexpr bool isWideDecimal() const {
    return id_ == TypeId::kDecimal && precision_ > kMaxLongPrecision;
  }

  /// Spark's simpleString, as dtypes() and DDL show it: int, bigint,
  /// double, decimal(10,2), string, boolean, date, timestamp, array<string>.
  std::string simpleString() const;
  /// Spark's typeName, as printSchema shows it: integer, long, double,
  /// decimal(10,2), string, boolean, date, timestamp, array.
  std::string typeName() const;
  /// The SQL name explain() and errors use: INT, BIGINT, DECIMAL(10,2),
  /// ARRAY<STRING>, ...
  std::string sqlName() const;

  friend constexpr bool operator==(const DataType&, const DataType&) = default;

 private:
  constexpr DataType(TypeId id, int precision, int scale)
      : id_(id), precision_(static_cast<uint8_t>(precision)), scale_(static_cast<uint8_t>(scale)) {}
  constexpr DataType(TypeId id, TypeId element, int precision, int scale)
      : DataType(id, precision, scale) {
    element_ = element;
  }

  TypeId id_ = TypeId::kNull;
  TypeId element_ = TypeId::kNull;  ///< kArray: the element's id
  uint8_t precision_ = 0;
  uint8_t scale_ = 0;
};

/// The decimal type an integral or decimal type converts to without loss
/// (Spark's DecimalType.forType): INT is DECIMAL(10,0), BIGINT DECIMAL(20,0).
DataType decimalFor(DataType type);

}  // namespace ember
