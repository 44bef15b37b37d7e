#pragma once
// AggregateFunction: one aggregate of a groupBy (sum, avg, min, max, count,
// first, stddev, collect_list, collect_set), with the types Spark gives its
// result and its state.

#include <string>
#include <vector>

#include "sql/expression/expression.hpp"

namespace ember::sql {

enum class AggKind : uint8_t {
  kCount,
  kCountStar,
  kSum,
  kAvg,
  kMin,
  kMax,
  kFirst,
  kStddev,
  kCollectList,
  kCollectSet,
};

struct AggregateFunction {
  AggKind kind = AggKind::kCount;
  ExprPtr arg;  ///< resolved on the aggregation's input; null for count(*)
  DataType input;
  DataType result;

  /// The columns of its partial state, between the two aggregation steps.
  std::vector<DataType> stateTypes() const;
  bool collects() const { return kind == AggKind::kCollectList || kind == AggKind::kCollectSet; }
};

/// The aggregate a resolved kAggregate expression calls; throws
/// AnalysisException for an unknown one or an argument of the wrong type.
AggregateFunction aggregateFunctionOf(const Expr& call);

/// `call` (a kAggregate whose arguments are resolved) typed as its
/// function's result, and marked resolved.
ExprPtr resolvedAggregate(const ExprPtr& call);

/// Whether `e` calls an aggregate function anywhere.
bool isAggregateTree(const Expr& e);

}  // namespace ember::sql
