#pragma once
// StructType: a DataFrame's schema, its columns in order.

#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "sql/types/struct_field.hpp"

namespace ember {

/// Spark's StructType: the fields of a row, in order. A value type.
class StructType {
 public:
  StructType() = default;
  StructType(std::initializer_list<StructField> fields) : fields_(fields) {}
  explicit StructType(std::vector<StructField> fields) : fields_(std::move(fields)) {}

  /// Parses a DDL schema as spark.read().schema(...) takes it:
  /// "id BIGINT, name STRING NOT NULL, price DECIMAL(10,2)", names optionally
  /// in backquotes. Throws ParseException naming the part that is wrong.
  static StructType fromDDL(const std::string& ddl);

  /// A copy with one more field (Spark's StructType.add).
  StructType add(std::string name, DataType type, bool nullable = true) const;

  size_t size() const { return fields_.size(); }
  const StructField& operator[](size_t i) const { return fields_[i]; }
  const std::vector<StructField>& fields() const { return fields_; }
  std::vector<std::string> fieldNames() const;

  /// The position of the field named `name`, compared case-insensitively as
  /// Spark does by default; nullopt when there is none.
  std::optional<size_t> find(const std::string& name) const;

  /// printSchema()'s text: "root" and one " |-- name: type (nullable = ...)"
  /// line per field.
  std::string treeString() const;
  /// The DDL form: "id BIGINT,name STRING".
  std::string toDDL() const;
  /// As Spark's simpleString: struct<id:bigint,name:string>.
  std::string simpleString() const;

  friend bool operator==(const StructType&, const StructType&) = default;

 private:
  std::vector<StructField> fields_;
};

}  // namespace ember
