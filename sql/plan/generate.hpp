#pragma once
// The Generate node: a generator (explode, explode_outer) run over a
// plan's rows, as Spark plans `select(explode(...))`.

#include <string>

#include "sql/plan/logical_plan.hpp"

namespace ember::sql {

/// Generate of `generator` (resolved on `child`'s columns) over `child`,
/// passing every child column through and naming the elements' column
/// `name` (ColumnPruning narrows the columns passed to those used above).
PlanPtr generate(const PlanPtr& child, const ExprPtr& generator, const std::string& name);

/// Whether a generator keeps a row for a null or empty array (explode_outer).
bool isOuter(const Expr& generator);

/// Throws AnalysisException, as Spark's, when `e` holds a generator: a
/// filter, a sort or a grouping cannot make rows.
void refuseGenerator(const Expr& e);

/// As Spark's explain prints the node: "Generate explode(words), false, [word]".
std::string generateString(const LogicalPlan& p);

}  // namespace ember::sql
