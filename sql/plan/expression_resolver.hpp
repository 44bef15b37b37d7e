#pragma once
// Resolving expressions: names bound to input columns, types inferred, and
// Spark's implicit casts inserted, so that execution sees operands of the
// types its kernels take.

#include <string>

#include <vector>

#include "sql/expression/expression.hpp"
#include "sql/plan/logical_plan.hpp"
#include "sql/types/struct_type.hpp"

namespace ember::sql {

/// Columns [begin, end) of an input that joins several plans come from
/// `plan`: a column taken as df["x"] from a DataFrame whose plan is under
/// it is looked up there (so that both sides of a join may have an "id").
struct InputScope {
  PlanPtr plan;
  size_t begin = 0, end = 0;
};

/// Resolves `expr` against the columns of `input`; throws AnalysisException
/// naming an unknown column (with the closest name and the input's
/// columns), an ambiguous one, or an operand of a type the operation does
/// not take.
ExprPtr resolveExpression(const ExprPtr& expr, const StructType& input,
                          const std::vector<InputScope>& scopes = {});

/// Resolved `e` under the name `name`: an alias of e's type and nullability.
ExprPtr aliasAs(const ExprPtr& e, const std::string& name);

/// Column `i` of `input`, resolved (by position, so duplicate names are fine).
ExprPtr boundColumn(const StructType& input, size_t i);

/// The input's column names, as errors list them: [`a`, `b`].
std::string quotedNames(const StructType& input);

/// The closest of `input`'s names to `name` (edit distance), for errors.
std::string closestName(const std::string& name, const StructType& input);

/// The type both sides of a comparison or a CASE's branches convert to;
/// throws AnalysisException, mentioning `context`, when there is none.
DataType commonType(DataType a, DataType b, const std::string& context);

/// `e` converted to `type` (itself when it has that type already).
ExprPtr castTo(const ExprPtr& e, DataType type);

}  // namespace ember::sql
