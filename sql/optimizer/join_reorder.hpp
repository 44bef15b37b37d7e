#pragma once
// Join order, as Spark's ReorderJoin: a tree of inner and cross joins (a
// SQL FROM list with its join predicates in WHERE) is flattened into its
// relations and conditions, then rebuilt left-deep, each next relation the
// first of the FROM order that a condition connects to those joined so
// far, so that no cross product is formed where a join key exists.

#include "sql/plan/logical_plan.hpp"

namespace ember::sql {

/// The join tree rooted at `p` reordered, under a Project that restores
/// its columns' order; `p` itself when the order does not change (so the
/// optimizer's fixed point is reached) or it is not such a tree.
PlanPtr reorderJoins(const PlanPtr& p);

}  // namespace ember::sql
