#pragma once
// The Window node: window expressions computed over a plan's rows, as
// Spark's ExtractWindowExpressions plans `select(f.over(w))`.

#include <string>
#include <vector>

#include "sql/plan/expression_resolver.hpp"
#include "sql/plan/logical_plan.hpp"

namespace ember::sql {

/// A select list's columns over Window nodes: `plan` is the input under one
/// Window node per distinct (partition keys, order keys) of the list's window
/// expressions, each passing its input's columns on and adding a column per
/// distinct window expression; `columns` are the list's expressions resolved
/// over `plan`, the window expressions replaced by references to their columns.
struct ExtractedWindows {
  PlanPtr plan;
  std::vector<ExprPtr> columns;
  /// The columns' names, as Spark names them: from the list as written,
  /// each window expression named by its resolved spec.
  std::vector<std::string> names;
};

/// Spark's ExtractWindowExpressions over `child`, whose schema the
/// (unresolved) `columns` read. Throws AnalysisException, as Spark's
/// analyzer, for a function that cannot run over a window, a frame the
/// function or the order keys do not allow, or a window function outside
/// a window.
ExtractedWindows extractWindows(const PlanPtr& child, const std::vector<ExprPtr>& columns,
                                const std::vector<InputScope>& scopes);

/// The kWindow expression of a Window node's expression (under its alias).
const Expr& windowOf(const Expr& e);
/// The partition keys and sort orders a Window node's expressions share.
std::vector<ExprPtr> windowPartitionKeys(const LogicalPlan& window);
std::vector<ExprPtr> windowOrders(const LogicalPlan& window);
/// What the rows are sorted by before the Window: the partition keys
/// (ascending, nulls first), then the orders.
std::vector<ExprPtr> windowSortOrders(const LogicalPlan& window);

/// As Spark's explain prints the node: "Window [sum(x) windowspecdefinition(k,
/// t ASC NULLS FIRST, specifiedwindowframe(...)) AS ...], [k], [t ASC NULLS FIRST]".
std::string windowString(const LogicalPlan& p);

/// Whether `window` can reuse its child's partitioning: the child is a
/// Window node over the same partition keys, so its rows are already
/// exchanged that way (several specs with one PARTITION BY move rows once).
bool reusesChildPartitioning(const LogicalPlan& window);
/// Whether two Window nodes share partition keys and orders (over the
/// same input columns).
bool sameWindowSpec(const LogicalPlan& a, const LogicalPlan& b);

}  // namespace ember::sql
