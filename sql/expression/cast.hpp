#pragma once
// Casts between column types, vectorized, with Spark's non-ANSI results: a
// value that does not convert becomes null, never an error.

#include "sql/types/column_vector.hpp"

namespace ember::sql {

/// Whether CAST(from AS to) is allowed (Spark refuses, e.g., INT to DATE).
bool canCast(DataType from, DataType to);

/// `in` converted to `to`; REQUIRES canCast(in.type(), to).
ColumnPtr castColumn(const ColumnPtr& in, DataType to);

}  // namespace ember::sql
