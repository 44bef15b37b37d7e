#pragma once
// Join selection, as Spark's JoinSelection: the equi-join keys are taken
// out of the condition, then a side small enough (by estimate, or by a
// broadcast hint) is broadcast, else both sides are shuffled by key.

#include <cstdint>

#include "sql/execution/hash_join.hpp"
#include "sql/plan/logical_plan.hpp"

namespace ember::sql {

enum class JoinStrategy : uint8_t {
  kBroadcastHash,  ///< the build side collected once, every task of the other probes it
  kShuffledHash,   ///< both sides exchanged by key; each partition builds and probes
};

struct JoinPlan {
  JoinStrategy strategy = JoinStrategy::kShuffledHash;
  JoinSpec spec;
};

/// How the Join node `join` runs, given ember.sql.autoBroadcastJoinThreshold
/// (bytes; negative turns size-based broadcast off).
JoinPlan planJoin(const LogicalPlan& join, int64_t broadcastThreshold);

/// The plan's output size in bytes, as Spark estimates it without
/// statistics of columns: known for local rows and ranges, scaled by row
/// width through projections, a product for joins; INT64_MAX when unknown.
int64_t estimatedBytes(const LogicalPlan& plan);

}  // namespace ember::sql
