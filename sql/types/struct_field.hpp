#pragma once
// StructField: one named, typed column of a schema.

#include <string>

#include "sql/types/data_type.hpp"

namespace ember {

/// Spark's StructField: a column's name, type and nullability.
struct StructField {
  std::string name;
  DataType dataType;
  bool nullable = true;

  friend bool operator==(const StructField&, const StructField&) = default;
};

}  // namespace ember
