#pragma once
// The order in which Spark widens numeric types, shared by type coercion
// (expression_resolver) and schema inference (io/field_parsing).

#include "sql/types/data_type.hpp"

namespace ember::sql {

/// INT 1, BIGINT 2, DECIMAL 3, DOUBLE 4: a pair of numbers widens towards
/// the higher rank. 0 for a type that is not numeric.
constexpr int numericRank(DataType t) {
  switch (t.id()) {
    case TypeId::kInt:
      return 1;
    case TypeId::kBigInt:
      return 2;
    case TypeId::kDecimal:
      return 3;
    case TypeId::kDouble:
      return 4;
    default:
      return 0;
  }
}

}  // namespace ember::sql
