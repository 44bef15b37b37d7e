#include "sql/optimizer/join_reorder.hpp"

#include <cstdint>
#include <vector>

#include "sql/expression/conjuncts.hpp"
#include "sql/plan/expression_resolver.hpp"

namespace ember::sql {
namespace {

bool isInnerJoin(const LogicalPlan& p) {
  return p.kind == PlanKind::kJoin &&
         (p.joinType == JoinType::kInner || p.joinType == JoinType::kCross);
}

/// A join tree's relations, left to right, and its conditions, bound over
/// all the relations' columns side by side.
struct JoinGraph {
  std::vector<PlanPtr> relations;
  std::vector<size_t> offsets;  ///< of each relation's first column
  std::vector<ExprPtr> conditions;

  void add(const PlanPtr& p, size_t offset) {
    if (!isInnerJoin(*p)) {
      relations.push_back(p);
      offsets.push_back(offset);
      return;
    }
    add(p->children[0], offset);
    add(p->children[1], offset + p->children[0]->schema.size());
    std::vector<ExprPtr> parts;
    if (!p->exprs.empty()) splitConjuncts(p->exprs[0], parts);
    for (const ExprPtr& c : parts) conditions.push_back(shiftColumns(c, -static_cast<int>(offset)));
  }

  size_t relationOf(size_t column) const {
    size_t r = 0;
    while (r + 1 < offsets.size() && offsets[r + 1] <= column) ++r;
    return r;
  }

  /// Bits of the relations `e` reads.
  uint64_t reads(const Expr& e) const {
    if (e.kind == ExprKind::kBound) return uint64_t{1} << relationOf(static_cast<size_t>(e.index));
    uint64_t bits = 0;
    for (const ExprPtr& c : e.children) bits |= reads(*c);
    return bits;
  }
};

/// `e` with each bound column i at `position[i]`.
ExprPtr rebound(const ExprPtr& e, const std::vector<int>& position) {
  if (e->kind != ExprKind::kBound && e->children.empty()) return e;
  auto copy = std::make_shared<Expr>(*e);
  if (e->kind == ExprKind::kBound) copy->index = position[static_cast<size_t>(e->index)];
  for (ExprPtr& c : copy->children) c = rebound(c, position);
  return copy;
}

/// The relations in join order: the first, then each time the first one
/// a condition connects to those taken (or, if none does, the first left).
std::vector<size_t> joinOrder(const JoinGraph& g, const std::vector<uint64_t>& reads) {
  std::vector<size_t> order = {0};
  uint64_t taken = 1;
  std::vector<bool> left(g.relations.size(), true);
  left[0] = false;
  while (order.size() < g.relations.size()) {
    size_t next = g.relations.size();
    for (size_t r = 0; r < g.relations.size() && next == g.relations.size(); ++r) {
      if (!left[r]) continue;
      const uint64_t with = taken | (uint64_t{1} << r);
      for (uint64_t bits : reads)
        if ((bits & ~with) == 0 && (bits >> r & 1) && (bits & taken)) next = r;
    }
    if (next == g.relations.size())
      for (next = 0; !left[next]; ++next) {
      }
    order.push_back(next);
    left[next] = false;
    taken |= uint64_t{1} << next;
  }
  return order;
}

}  // namespace

PlanPtr reorderJoins(const PlanPtr& p) {
  if (!isInnerJoin(*p)) return p;
  JoinGraph g;
  g.add(p, 0);
  if (g.relations.size() < 3 || g.relations.size() > 64) return p;
  std::vector<uint64_t> reads;
  for (const ExprPtr& c : g.conditions) reads.push_back(g.reads(*c));
  const std::vector<size_t> order = joinOrder(g, reads);
  bool same = true;
  for (size_t i = 0; i < order.size(); ++i) same = same && order[i] == i;
  if (same) return p;
  // Left-deep, each condition at the first join that has all it reads.
  const size_t width = p->schema.size();
  std::vector<int> position(width, -1);
  std::vector<bool> used(g.conditions.size());
  PlanPtr tree;
  uint64_t taken = 0;
  size_t columns = 0;
  for (size_t r : order) {
    const PlanPtr& relation = g.relations[r];
    for (size_t i = 0; i < relation->schema.size(); ++i)
      position[g.offsets[r] + i] = static_cast<int>(columns + i);
    columns += relation->schema.size();
    taken |= uint64_t{1} << r;
    if (!tree) {
      tree = relation;
      continue;
    }
    std::vector<ExprPtr> condition;
    for (size_t c = 0; c < g.conditions.size(); ++c) {
      if (used[c] || (reads[c] & ~taken) != 0) continue;
      used[c] = true;
      condition.push_back(rebound(g.conditions[c], position));
    }
    auto join = std::make_shared<LogicalPlan>(*p);
    join->id = LogicalPlan::nextId();
    join->children = {tree, relation};
    join->joinType = condition.empty() ? JoinType::kCross : JoinType::kInner;
    join->broadcastHint = false;
    join->exprs.clear();
    if (!condition.empty()) join->exprs = {conjunction(condition)};
    std::vector<StructField> fields = tree->schema.fields();
    for (const StructField& f : relation->schema.fields()) fields.push_back(f);
    join->schema = StructType(std::move(fields));
    tree = join;
  }
  auto project = std::make_shared<LogicalPlan>();
  project->kind = PlanKind::kProject;
  project->children = {tree};
  project->schema = p->schema;
  project->broadcastHint = p->broadcastHint;
  for (size_t i = 0; i < width; ++i)
    project->exprs.push_back(boundColumn(tree->schema, static_cast<size_t>(position[i])));
  return project;
}

}  // namespace ember::sql
