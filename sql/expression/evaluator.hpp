#pragma once
// Vectorized evaluation: a resolved expression computed for every row of a
// batch at once, one typed loop per operator (no per-row dispatch).

#include "sql/expression/expression.hpp"
#include "sql/types/batch.hpp"

namespace ember::sql {

/// The values of resolved expression `e` for the rows of `in`: a column of
/// `in.numRows()` rows of type e.type. A bound column is returned as is.
ColumnPtr evaluate(const Expr& e, const Batch& in);

/// A column of `rows` copies of `v`.
ColumnPtr constantColumn(const Value& v, size_t rows);

/// The rows of `in` where resolved boolean `predicate` is true (not false,
/// not null), as indexes.
std::vector<uint32_t> selectRows(const Expr& predicate, const Batch& in);

}  // namespace ember::sql
