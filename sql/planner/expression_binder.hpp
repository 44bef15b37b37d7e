#pragma once
// Binding a parsed SQL expression's names to the columns of the relation a
// clause reads: SQL's scoping rules (a qualified name t.x looks in table t
// only; an unqualified one must name one column of all of them), and, in a
// subquery, the enclosing query's columns for a correlated reference.

#include <cstddef>
#include <string>
#include <vector>

#include "sql/expression/expression.hpp"
#include "sql/planner/relation.hpp"

namespace ember::sql {

/// The column of `rel` that `name` ("x" or "t.x") refers to, or -1 when
/// none does; throws AnalysisException when several do.
int findColumn(const Scope& rel, const std::string& name);

/// `e` with each column name replaced by its column of `rel` (bound by
/// position); a name no column has throws AnalysisException naming the
/// closest column. Subqueries are left as they are.
ExprPtr bindNames(const ExprPtr& e, const Scope& rel);

/// As bind, over the row `outer` ++ `local` (a subquery's local columns
/// after the enclosing query's): names are looked up in `local` first, then
/// in `outer`. `usesOuter` tells whether any was found in `outer`.
ExprPtr bindCorrelated(const ExprPtr& e, const Scope& outer, const Scope& local, bool& usesOuter);

/// The select list's `*` and `t.*` items expanded to their columns.
std::vector<ExprPtr> expandStars(const std::vector<ExprPtr>& items, const Scope& rel);

}  // namespace ember::sql
