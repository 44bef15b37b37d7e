#include "sql/execution/join_planner.hpp"

#include <algorithm>
#include <limits>

#include "rdd/detail/range_rdd.hpp"
#include "sql/execution/cache_manager.hpp"
#include "sql/expression/conjuncts.hpp"
#include "sql/plan/file_scan.hpp"

namespace ember::sql {
namespace {

constexpr int64_t kUnknown = std::numeric_limits<int64_t>::max();

/// Splits the join condition into equi-join keys and the residual.
void extractKeys(const LogicalPlan& join, JoinSpec& spec) {
  if (join.exprs.empty()) return;
  const size_t width = join.children[0]->schema.size();
  std::vector<ExprPtr> parts, rest;
  splitConjuncts(join.exprs[0], parts);
  for (const ExprPtr& c : parts) {
    const bool equality =
        c->kind == ExprKind::kBinary && (c->op == Op::kEq || c->op == Op::kEqNullSafe);
    const int a = equality ? sidesRead(*c->children[0], width) : 0;
    const int b = equality ? sidesRead(*c->children[1], width) : 0;
    if (!((a == 1 && b == 2) || (a == 2 && b == 1))) {
      rest.push_back(c);
      continue;
    }
    const ExprPtr& l = a == 1 ? c->children[0] : c->children[1];
    const ExprPtr& r = a == 1 ? c->children[1] : c->children[0];
    spec.leftKeys.push_back(l);
    spec.rightKeys.push_back(shiftColumns(r, static_cast<int>(width)));
    spec.nullSafe.push_back(c->op == Op::kEqNullSafe);
  }
  spec.residual = conjunction(rest);
}

int64_t saturatingMul(int64_t a, int64_t b) {
  if (a == 0 || b == 0) return 0;
  return a > kUnknown / b ? kUnknown : a * b;
}

/// Spark's defaultSize of a value of type `t`.
int64_t widthOf(const DataType& t) {
  switch (t.id()) {
    case TypeId::kBoolean:
      return 1;
    case TypeId::kInt:
    case TypeId::kDate:
      return 4;
    case TypeId::kString:
      return 20;
    case TypeId::kDecimal:
      return t.precision() <= 18 ? 8 : 16;
    case TypeId::kArray:  // Spark's guess: one element
      return widthOf(t.elementType());
    default:
      return 8;
  }
}

int64_t rowWidth(const StructType& s) {
  int64_t w = 8;
  for (const StructField& f : s.fields()) w += widthOf(f.dataType);
  return w;
}

/// A child's estimate scaled to this node's row width.
int64_t scaled(const LogicalPlan& p) {
  const int64_t child = estimatedBytes(p.child());
  if (child == kUnknown) return kUnknown;
  return static_cast<int64_t>(static_cast<long double>(child) * rowWidth(p.schema) /
                              rowWidth(p.child().schema));
}

/// Whether broadcast(df) marked the plan (through the nodes above it that
/// keep its rows' origin).
bool hinted(const LogicalPlan* p) {
  for (;;) {
    if (p->broadcastHint) return true;
    if (p->kind != PlanKind::kProject && p->kind != PlanKind::kFilter) return false;
    p = &p->child();
  }
}

}  // namespace

int64_t estimatedBytes(const LogicalPlan& p) {
  switch (p.kind) {
    case PlanKind::kLocalRelation: {
      int64_t bytes = 0;
      for (const auto& part : p.local->partitions)
        for (const Batch& b : part) bytes += b.bytes();
      return bytes;
    }
    case PlanKind::kScan:
      return p.scan->totalBytes();
    case PlanKind::kRange:
      return saturatingMul(detail::rangeCount(p.start, p.end, p.step), 8);
    case PlanKind::kProject:
    case PlanKind::kGenerate:
    case PlanKind::kWindow:
      return scaled(p);
    case PlanKind::kAggregate:
      return p.groupCount == 0 ? rowWidth(p.schema) : scaled(p);
    case PlanKind::kFilter:
    case PlanKind::kSort:
    case PlanKind::kRepartition:
      return estimatedBytes(p.child());
    case PlanKind::kSample:
      return static_cast<int64_t>(static_cast<double>(estimatedBytes(p.child())) *
                                  std::min(1.0, p.fraction));
    case PlanKind::kCached:
      return estimatedBytes(*p.cached->optimized);
    case PlanKind::kExistingRdd:
      return kUnknown;
    case PlanKind::kLimit:
      return std::min(estimatedBytes(p.child()), saturatingMul(p.limit, rowWidth(p.schema)));
    case PlanKind::kUnion: {
      const int64_t a = estimatedBytes(*p.children[0]);
      const int64_t b = estimatedBytes(*p.children[1]);
      return a > kUnknown - b ? kUnknown : a + b;
    }
    case PlanKind::kJoin: {
      const int64_t left = estimatedBytes(*p.children[0]);
      if (!keepsRightColumns(p.joinType)) return left;
      return saturatingMul(left, estimatedBytes(*p.children[1]));
    }
  }
  return kUnknown;
}

JoinPlan planJoin(const LogicalPlan& join, int64_t threshold) {
  JoinPlan plan;
  JoinSpec& spec = plan.spec;
  spec.type = join.joinType;
  for (const StructField& f : join.children[0]->schema.fields())
    spec.leftTypes.push_back(f.dataType);
  for (const StructField& f : join.children[1]->schema.fields())
    spec.rightTypes.push_back(f.dataType);
  extractKeys(join, spec);

  const JoinType t = join.joinType;
  // A broadcast side's unmatched rows cannot be kept: each task sees only
  // its part of the other side.
  const bool canBuildRight = !keepsUnmatchedRight(t);
  const bool canBuildLeft =
      t == JoinType::kInner || t == JoinType::kCross || t == JoinType::kRightOuter;
  const int64_t leftBytes = estimatedBytes(*join.children[0]);
  const int64_t rightBytes = estimatedBytes(*join.children[1]);
  const bool hintLeft = canBuildLeft && hinted(join.children[0].get());
  const bool hintRight = canBuildRight && hinted(join.children[1].get());
  const bool smallLeft = canBuildLeft && threshold >= 0 && leftBytes <= threshold;
  const bool smallRight = canBuildRight && threshold >= 0 && rightBytes <= threshold;
  auto pick = [&](bool left, bool right) {
    if (!left && !right) return false;
    plan.strategy = JoinStrategy::kBroadcastHash;
    spec.build = right && (!left || rightBytes <= leftBytes) ? BuildSide::kRight : BuildSide::kLeft;
    return true;
  };
  if (pick(hintLeft, hintRight) || pick(smallLeft, smallRight)) return plan;
  // Without equi-join keys a shuffle would send every row to one task: a
  // nested loop over a broadcast side is Spark's choice too.
  if (spec.leftKeys.empty() && pick(canBuildLeft, canBuildRight)) return plan;
  // Shuffled: each partition holds its whole build side, so either side
  // can keep its unmatched rows; semi and anti joins probe with the left.
  plan.strategy = JoinStrategy::kShuffledHash;
  spec.build =
      !keepsRightColumns(t) || rightBytes <= leftBytes ? BuildSide::kRight : BuildSide::kLeft;
  return plan;
}

}  // namespace ember::sql
