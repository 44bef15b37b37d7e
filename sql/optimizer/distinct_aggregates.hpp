#pragma once
// Distinct aggregates (count(DISTINCT x), sum(DISTINCT x), ...) rewritten
// into two ordinary aggregations, as Spark's RewriteDistinctAggregates does
// for one set of distinct arguments.

#include <vector>

#include "sql/plan/logical_plan.hpp"

namespace ember::sql {

/// Throws AnalysisException unless `calls` (an agg()'s resolved aggregate
/// calls) can be rewritten: every distinct call takes the same arguments,
/// and the other calls are count, sum, avg (not of decimals), min, max or
/// first, whose partial results can be merged.
void checkDistinctAggregates(const std::vector<ExprPtr>& calls);

/// Aggregate(keys, calls) with distinct calls over D becomes
/// Project(Aggregate(keys, merged calls, Aggregate(keys + D, partial calls))):
/// the inner one leaves each distinct (keys, D) once, with the partial
/// results of the other calls; the outer one aggregates D as if it were
/// not distinct and merges the partial results. Other plans are returned
/// as they are.
PlanPtr rewriteDistinctAggregates(const PlanPtr& p);

}  // namespace ember::sql
