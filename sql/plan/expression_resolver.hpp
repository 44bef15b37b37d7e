#pragma once
// Resolving expressions: names bound to input columns, types inferred, and
// Spark's implicit casts inserted, so that execution sees operands of the
// types its kernels take.

#include <string>

#include "sql/expression/expression.hpp"
#include "sql/types/struct_type.hpp"

namespace ember::sql {

/// Resolves `expr` against the columns of `input`; throws AnalysisException
/// naming an unknown column (with the closest name and the input's
/// columns) or an operand of a type the operation does not take.
ExprPtr resolveExpression(const ExprPtr& expr, const StructType& input);

/// The closest of `input`'s names to `name` (edit distance), for errors.
std::string closestName(const std::string& name, const StructType& input);

/// The type both sides of a comparison or a CASE's branches convert to;
/// throws AnalysisException, mentioning `context`, when there is none.
DataType commonType(DataType a, DataType b, const std::string& context);

/// `e` converted to `type` (itself when it has that type already).
ExprPtr castTo(const ExprPtr& e, DataType type);

}  // namespace ember::sql
