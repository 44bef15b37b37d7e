#pragma once
// The physical plan explain prints: the operators an optimized plan runs
// as, in Spark's names and layout, with the stages the exchanges cut.

#include <string>

#include "sql/execution/execution_settings.hpp"
#include "sql/plan/logical_plan.hpp"

namespace ember::sql {

/// One operator a line, as Spark's explain: "*(n) " before the operators
/// fused into stage n; Exchange and BroadcastExchange where rows move
/// between stages. Uses the join selection execution uses.
std::string physicalPlanString(const LogicalPlan& optimized, const ExecutionSettings& settings);

}  // namespace ember::sql
