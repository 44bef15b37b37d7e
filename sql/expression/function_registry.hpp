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

/// The values of resolved call `e` given its arguments' values.
ColumnPtr evaluateFunction(const Expr& e, const std::vector<ColumnPtr>& args, size_t rows);

}  // namespace ember::sql
