#pragma once
// Conditions as lists of ANDed parts, and the sides of a join an
// expression reads: what predicate pushdown and join planning take apart.

#include <cstddef>
#include <vector>

#include "sql/expression/expression.hpp"

namespace ember::sql {

/// The parts of `e` joined by AND, appended to `out`.
void splitConjuncts(const ExprPtr& e, std::vector<ExprPtr>& out);
/// The parts ANDed together (resolved, as the parts are); null when there
/// are none.
ExprPtr conjunction(const std::vector<ExprPtr>& parts);
/// The parts of `e` joined by OR, appended to `out`.
void splitDisjuncts(const ExprPtr& e, std::vector<ExprPtr>& out);
/// The parts ORed together, as conjunction.
ExprPtr disjunction(const std::vector<ExprPtr>& parts);

/// Bits of the sides of a joined row `e` reads: 1 the left (columns below
/// `leftWidth`), 2 the right; 0 for an expression of no column.
int sidesRead(const Expr& e, size_t leftWidth);
/// `e` with every bound column moved `by` places down: an expression over
/// the right side of a joined row, rebound on the right side's own columns.
ExprPtr shiftColumns(const ExprPtr& e, int by);

}  // namespace ember::sql
