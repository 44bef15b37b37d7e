#pragma once
// Row: one row of a collected DataFrame, as pyspark's Row.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sql/types/struct_type.hpp"
#include "sql/types/value.hpp"
#include "storage/serializer.hpp"

namespace ember {

/// A row's values with its schema. Getters take the position (or name) of
/// a field and throw Error when the field is null or of another type: ask
/// isNullAt first for nullable fields. Dates are days since 1970-01-01,
/// timestamps microseconds since 1970-01-01 00:00:00 UTC; arrays lists of
/// Values.
class Row {
 public:
  Row() = default;
  Row(std::vector<sql::Value> values, std::shared_ptr<const StructType> schema)
      : values_(std::move(values)), schema_(std::move(schema)) {}

  size_t size() const { return values_.size(); }
  size_t length() const { return size(); }
  const StructType& schema() const { return *schema_; }

  bool isNullAt(size_t i) const { return values_.at(i).isNull(); }
  bool getBool(size_t i) const { return get<bool>(i, TypeId::kBoolean); }
  int32_t getInt(size_t i) const { return get<int32_t>(i, TypeId::kInt); }
  /// A BIGINT, or an INT widened.
  int64_t getLong(size_t i) const;
  /// A DOUBLE, or any number converted (decimals included).
  double getDouble(size_t i) const;
  /// A STRING, or any value as show() prints it.
  std::string getString(size_t i) const;
  int32_t getDate(size_t i) const { return get<int32_t>(i, TypeId::kDate); }
  int64_t getTimestamp(size_t i) const { return get<int64_t>(i, TypeId::kTimestamp); }
  /// A DECIMAL's digits: "12.30".
  std::string getDecimal(size_t i) const;
  /// An ARRAY's elements (Spark's getList and getSeq), each a Value of the
  /// element type, null or not.
  const std::vector<sql::Value>& getList(size_t i) const;

  /// The field named `name`, as T (bool, int32_t, int64_t, double, std::string).
  template <class T>
  T getAs(const std::string& name) const;
  size_t fieldIndex(const std::string& name) const;

  const sql::Value& value(size_t i) const { return values_.at(i); }
  /// As Spark prints a Row: "[1,alice,null,[a, b]]".
  std::string toString() const;

  friend bool operator==(const Row& a, const Row& b) { return a.values_ == b.values_; }

  /// For the RDD engine (rdd() across processes): the schema, then the values.
  void writeTo(ByteWriter& w) const;
  void readFrom(ByteReader& r);

 private:
  template <class T>
  T get(size_t i, TypeId expected) const;
  [[noreturn]] void wrongType(size_t i, const char* wanted) const;

  std::vector<sql::Value> values_;
  std::shared_ptr<const StructType> schema_;
};

template <class T>
T Row::get(size_t i, TypeId expected) const {
  const sql::Value& v = values_.at(i);
  if (v.isNull() || v.type.id() != expected || !std::holds_alternative<T>(v.v))
    wrongType(i, DataType(expected).sqlName().c_str());
  return std::get<T>(v.v);
}

template <class T>
T Row::getAs(const std::string& name) const {
  const size_t i = fieldIndex(name);
  if constexpr (std::is_same_v<T, bool>) {
    return getBool(i);
  } else if constexpr (std::is_same_v<T, int32_t>) {
    return getInt(i);
  } else if constexpr (std::is_same_v<T, int64_t>) {
    return getLong(i);
  } else if constexpr (std::is_same_v<T, double>) {
    return getDouble(i);
  } else {
    static_assert(std::is_same_v<T, std::string>,
                  "Row::getAs<T>: T is bool, int32_t, int64_t, double or std::string");
    return getString(i);
  }
}

}  // namespace ember
