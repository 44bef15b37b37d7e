#pragma once
// Running a plan: each node becomes RDD transformations over batches, so
// that the scheduler, shuffles, caching and the cluster runtime run it
// unchanged.

#include "rdd/context.hpp"
#include "rdd/rdd.hpp"
#include "sql/plan/logical_plan.hpp"

namespace ember::sql {

/// The batches `plan` (analyzed and optimized) computes, as an RDD. Defines
/// the RDDs only; nothing runs until an action.
Rdd<Batch> toRdd(const LogicalPlan& plan, Context& ctx);

/// The output columns `exprs` (resolved) computed for `in`.
Batch project(const std::vector<ExprPtr>& exprs, const Batch& in);

}  // namespace ember::sql
