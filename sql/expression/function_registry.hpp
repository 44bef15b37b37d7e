#pragma once
// The scalar functions of ember::functions by name: how each resolves
// (argument types, implicit casts, result type) and how it computes, over
// whole columns.

#include <memory>
#include <string>
#include <vector>

#include "sql/expression/expression.hpp"
#include "sql/types/column_vector.hpp"

namespace ember::sql {

/// Types function call `e` (its children resolved), inserting the casts
/// its arguments need; throws AnalysisException for an unknown function or
/// an argument of the wrong type, naming the expression.
ExprPtr resolveFunction(std::shared_ptr<Expr> e);

/// The call of `args` named `name` as SQL text names it (any case): an
/// aggregate (sum, ..., first_value, last_value), a ranking or offset
/// window function (row_number, ..., lag, lead, nth_value; lag's and
/// lead's offset and default filled in), or else a scalar function.
ExprPtr callByName(const std::string& name, std::vector<ExprPtr> args);

/// The values of resolved call `e` given its arguments' values.
ColumnPtr evaluateFunction(const Expr& e, const std::vector<ColumnPtr>& args, size_t rows);

}  // namespace ember::sql
