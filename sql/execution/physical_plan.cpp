#include "sql/execution/physical_plan.hpp"

#include <vector>

#include "sql/execution/aggregate_function.hpp"
#include "sql/execution/join_planner.hpp"
#include "sql/execution/plan_executor.hpp"
#include "sql/plan/file_scan.hpp"
#include "sql/plan/tree_string.hpp"
#include "sql/plan/window.hpp"

namespace ember::sql {
namespace {

/// An operator and its inputs; `stage` is 0 for the exchanges, which no
/// stage fuses.
struct Operator {
  std::string text;
  int stage = 0;
  std::vector<Operator> children;
};

std::string list(const std::vector<ExprPtr>& exprs) { return "[" + toString(exprs) + "]"; }

class Planner {
 public:
  explicit Planner(const ExecutionSettings& settings) : settings_(settings) {}

  Operator plan(const LogicalPlan& p) {
    switch (p.kind) {
      case PlanKind::kRange:
      case PlanKind::kLocalRelation:
        return {p.kind == PlanKind::kRange ? p.nodeString() : scanText(p), ++stages_, {}};
      case PlanKind::kScan:
        return {p.scan->physicalString(), ++stages_, {}};
      case PlanKind::kProject:
      case PlanKind::kFilter:
        return fused(p.nodeString(), plan(p.child()));
      case PlanKind::kLimit: {
        if (isTakeOrdered(p)) return takeOrdered(p);
        const std::string n = std::to_string(p.limit);
        Operator local = fused("LocalLimit " + n, plan(p.child()));
        return fused("GlobalLimit " + n, exchange("Exchange SinglePartition", std::move(local)));
      }
      case PlanKind::kAggregate:
        return aggregate(p);
      case PlanKind::kJoin:
        return join(p);
      case PlanKind::kUnion: {
        Operator u{"Union", 0, {}};
        for (const PlanPtr& c : p.children) u.children.push_back(plan(*c));
        return u;
      }
      case PlanKind::kSort: {
        Operator in = plan(p.child());
        if (p.global)
          in = exchange("Exchange " + ranges(p.exprs, settings_.shufflePartitions), std::move(in));
        return fused("Sort " + list(p.exprs) + (p.global ? ", true" : ", false") + ", 0",
                     std::move(in));
      }
      case PlanKind::kSample:
      case PlanKind::kGenerate:
        return fused(p.nodeString(), plan(p.child()));
      case PlanKind::kRepartition:
        return repartition(p);
      case PlanKind::kCached:
        return {"InMemoryTableScan " + columns(p.schema), ++stages_, {}};
      case PlanKind::kExistingRdd:
        return {"Scan ExistingRDD" + columns(p.schema), ++stages_, {}};
      case PlanKind::kWindow:
        return window(p);
    }
    return {"?", 0, {}};
  }

 private:
  static std::string columns(const StructType& schema) {
    std::string cols;
    for (size_t i = 0; i < schema.size(); ++i) cols += (i ? ", " : "") + schema[i].name;
    return "[" + cols + "]";
  }

  static std::string scanText(const LogicalPlan& p) {
    return "LocalTableScan " + columns(p.schema);
  }

  static std::string ranges(const std::vector<ExprPtr>& orders, int n) {
    return "rangepartitioning(" + toString(orders) + ", " + std::to_string(n) + ")";
  }

  /// Limit over a global sort: each partition's first rows, gathered.
  Operator takeOrdered(const LogicalPlan& limit) {
    const LogicalPlan* below = &limit.child();
    const StructType& output = below->schema;
    if (below->kind == PlanKind::kProject) below = &below->child();
    return exchange("TakeOrderedAndProject(limit=" + std::to_string(limit.limit) +
                        ", orderBy=" + list(below->exprs) + ", output=" + columns(output) + ")",
                    plan(below->child()));
  }

  Operator repartition(const LogicalPlan& p) {
    if (!p.shuffle) return fused("Coalesce " + std::to_string(p.numPartitions), plan(p.child()));
    const int n = p.numPartitions > 0 ? p.numPartitions : settings_.shufflePartitions;
    std::string how = "RoundRobinPartitioning(" + std::to_string(n) + ")";
    if (!p.exprs.empty()) {
      how = p.global ? ranges(p.exprs, n)
                     : "hashpartitioning(" + toString(p.exprs) + ", " + std::to_string(n) + ")";
    }
    return exchange("Exchange " + how, plan(p.child()));
  }

  /// `text` run in its input's stage, or a new one above an exchange.
  Operator fused(std::string text, Operator child) {
    const int stage = child.stage ? child.stage : ++stages_;
    return {std::move(text), stage, {std::move(child)}};
  }

  static Operator exchange(std::string text, Operator child) {
    return {std::move(text), 0, {std::move(child)}};
  }

  std::string partitioning(const std::vector<ExprPtr>& keys) const {
    if (keys.empty()) return "SinglePartition";
    std::string k;
    for (const ExprPtr& e : keys) k += e->toString() + ", ";
    return "hashpartitioning(" + k + std::to_string(settings_.shufflePartitions) + ")";
  }

  Operator aggregate(const LogicalPlan& p) {
    const auto split = p.exprs.begin() + static_cast<std::ptrdiff_t>(p.groupCount);
    const std::vector<ExprPtr> keys(p.exprs.begin(), split);
    std::string partial, final;
    for (auto it = split; it != p.exprs.end(); ++it) {
      const Expr* call = it->get();
      while (call->kind == ExprKind::kAlias) call = call->children[0].get();
      const std::string f = call->toString();
      partial += (partial.empty() ? "" : ", ") + ("partial_" + f);
      final += (final.empty() ? "" : ", ") + f;
    }
    const std::string k = "HashAggregate(keys=" + list(keys) + ", functions=[";
    Operator below = fused(k + partial + "])", plan(p.child()));
    return fused(k + final + "])", exchange("Exchange " + partitioning(keys), std::move(below)));
  }

  Operator join(const LogicalPlan& p) {
    const JoinPlan j = planJoin(p, settings_.broadcastThreshold);
    const JoinSpec& s = j.spec;
    const bool buildRight = s.build == BuildSide::kRight;
    const std::string how = std::string(joinTypeName(s.type)) + ", " +
                            (buildRight ? "BuildRight" : "BuildLeft") +
                            (s.residual ? ", " + s.residual->toString() : "");
    const std::string keys = list(s.leftKeys) + ", " + list(s.rightKeys) + ", ";
    Operator left = plan(*p.children[0]);
    Operator right = plan(*p.children[1]);
    if (j.strategy == JoinStrategy::kBroadcastHash) {
      Operator& build = buildRight ? right : left;
      build = exchange("BroadcastExchange", std::move(build));
      const Operator& stream = buildRight ? left : right;
      const int stage = stream.stage ? stream.stage : ++stages_;
      return {
          s.leftKeys.empty() ? "BroadcastNestedLoopJoin " + how : "BroadcastHashJoin " + keys + how,
          stage,
          {std::move(left), std::move(right)}};
    }
    left = exchange("Exchange " + partitioning(s.leftKeys), std::move(left));
    right = exchange("Exchange " + partitioning(s.rightKeys), std::move(right));
    return {"ShuffledHashJoin " + keys + how, ++stages_, {std::move(left), std::move(right)}};
  }

  /// Spark's shape: an exchange by the partition keys (unless the child
  /// Window's rows are partitioned so), a sort by keys and orders, then
  /// the Window, which no stage fuses.
  Operator window(const LogicalPlan& p) {
    const std::vector<ExprPtr> keys = windowPartitionKeys(p);
    Operator in = plan(p.child());
    if (!reusesChildPartitioning(p)) in = exchange("Exchange " + partitioning(keys), std::move(in));
    const std::vector<ExprPtr> orders = windowSortOrders(p);
    if (!orders.empty()) in = fused("Sort " + list(orders) + ", false, 0", std::move(in));
    return {p.nodeString(), 0, {std::move(in)}};
  }

  const ExecutionSettings& settings_;
  int stages_ = 0;
};

}  // namespace

std::string physicalPlanString(const LogicalPlan& optimized, const ExecutionSettings& settings) {
  Planner planner(settings);
  const Operator root = planner.plan(optimized);
  std::string out;
  appendTree(
      root,
      [](const Operator& op) {
        return (op.stage ? "*(" + std::to_string(op.stage) + ") " : std::string()) + op.text;
      },
      [](const Operator& op) {
        std::vector<const Operator*> kids;
        for (const Operator& c : op.children) kids.push_back(&c);
        return kids;
      },
      out);
  return out;
}

}  // namespace ember::sql
