#pragma once
// The functions of ember::functions that make or read arrays: split, size,
// array_contains and element_at, with Spark's types and null handling.

#include <memory>
#include <string>
#include <vector>

#include "sql/expression/expression.hpp"
#include "sql/types/column_vector.hpp"

namespace ember::sql {

/// Whether `name` is one of the array functions.
bool isArrayFunction(const std::string& name);

/// Types array function call `e` (its children resolved), as
/// resolveFunction does; throws AnalysisException naming the expression
/// for an argument of the wrong type.
void resolveArrayFunction(Expr& e);

/// The values of resolved array function call `e` given its arguments'.
ColumnPtr evaluateArrayFunction(const Expr& e, const std::vector<ColumnPtr>& args, size_t rows);

/// Explode's input type check: `g` (a generator whose child is resolved)
/// typed as its array's element; throws AnalysisException otherwise.
void resolveGenerator(Expr& g);

}  // namespace ember::sql
