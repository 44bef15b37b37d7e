#pragma once
// Running a plan: each node becomes RDD transformations over batches, so
// that the scheduler, shuffles, caching and the cluster runtime run it
// unchanged.

#include "rdd/context.hpp"
#include "rdd/rdd.hpp"
#include "sql/execution/execution_settings.hpp"
#include "sql/plan/logical_plan.hpp"

namespace ember::sql {

/// The batches `plan` (analyzed and optimized) computes, as an RDD. Defines
/// the RDDs; the only jobs run now are those Spark also runs while
/// planning: a broadcast join's build side and a range exchange's sample.
Rdd<Batch> toRdd(const LogicalPlan& plan, const Execution& ex);

/// Whether `limit` (a kLimit node) runs as a top-n of a global sort
/// (Spark's TakeOrderedAndProject) rather than a sort and a limit.
bool isTakeOrdered(const LogicalPlan& limit);

/// The output columns `exprs` (resolved) computed for `in`.
Batch project(const std::vector<ExprPtr>& exprs, const Batch& in);

}  // namespace ember::sql
