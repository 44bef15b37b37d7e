#pragma once
// localRelation: a LocalRelation plan of rows the program holds.

#include <vector>

#include "sql/plan/logical_plan.hpp"

namespace ember::sql {

/// `rows` (checked against `schema` by the caller) cut into `partitions`
/// slices of about equal size, each held as batches.
PlanPtr localRelation(const std::vector<std::vector<Value>>& rows, const StructType& schema,
                      int partitions);

}  // namespace ember::sql
