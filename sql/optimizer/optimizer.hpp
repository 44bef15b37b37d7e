#pragma once
// The optimizer: rule batches that rewrite an analyzed plan into one that
// computes the same rows with less work, run until nothing changes.

#include <string>
#include <vector>

#include "sql/plan/logical_plan.hpp"

namespace ember::sql {

/// `plan` rewritten by every rule until a fixed point (at most 100 passes).
PlanPtr optimize(const PlanPtr& plan);

/// The rules, by the names explain and tests use, in the order they run.
std::vector<std::string> optimizerRuleNames();

}  // namespace ember::sql
