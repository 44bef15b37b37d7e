#include "sql/optimizer/column_pruning.hpp"

#include <algorithm>
#include <numeric>

#include "sql/plan/expression_resolver.hpp"
#include "sql/plan/file_scan.hpp"
#include "sql/plan/join_type.hpp"

namespace ember::sql {
namespace {

/// A plan narrowed to some of its output columns: `position[i]` is where
/// the old output column i is now, -1 when it is gone.
struct Pruned {
  PlanPtr plan;
  std::vector<int> position;
};

Pruned unchanged(const PlanPtr& p) {
  std::vector<int> same(p->schema.size());
  std::iota(same.begin(), same.end(), 0);
  return {p, std::move(same)};
}

void markUsed(const Expr& e, std::vector<bool>& used) {
  if (e.kind == ExprKind::kBound && static_cast<size_t>(e.index) < used.size())
    used[static_cast<size_t>(e.index)] = true;
  for (const ExprPtr& c : e.children) markUsed(*c, used);
}

ExprPtr renumber(const ExprPtr& e, const std::vector<int>& position) {
  if (e->kind == ExprKind::kBound) {
    const int to = position[static_cast<size_t>(e->index)];
    if (to == e->index) return e;
    auto copy = std::make_shared<Expr>(*e);
    copy->index = to;
    return copy;
  }
  if (e->children.empty()) return e;
  auto copy = std::make_shared<Expr>(*e);
  for (ExprPtr& c : copy->children) c = renumber(c, position);
  return copy;
}

/// `p`'s output fields that remain under `position`.
StructType keptFields(const LogicalPlan& p, const std::vector<int>& position) {
  std::vector<StructField> fields;
  for (size_t i = 0; i < position.size(); ++i)
    if (position[i] >= 0) fields.push_back(p.schema[i]);
  return StructType(std::move(fields));
}

Pruned prune(const PlanPtr& p, std::vector<bool> needed);

/// Whether the plan reads the corrupt-record column: it then reads every
/// column, so that a bad value anywhere marks its record (Spark refuses
/// such a query when that column is all it reads).
bool readsCorruptRecords(const FileScan& scan, const std::vector<bool>& needed) {
  const std::string corrupt = scan.corruptColumn();
  for (size_t i = 0; i < needed.size(); ++i)
    if (needed[i] && scan.dataSchema[scan.required[i]].name == corrupt) return true;
  return false;
}

Pruned pruneScan(const PlanPtr& p, const std::vector<bool>& needed) {
  if (readsCorruptRecords(*p->scan, needed)) return unchanged(p);
  auto scan = std::make_shared<FileScan>(*p->scan);
  scan->required.clear();
  std::vector<int> position(needed.size(), -1);
  for (size_t i = 0; i < needed.size(); ++i) {
    if (!needed[i]) continue;
    position[i] = static_cast<int>(scan->required.size());
    scan->required.push_back(p->scan->required[i]);
  }
  if (scan->required.size() == p->scan->required.size()) return unchanged(p);
  auto narrowed = std::make_shared<LogicalPlan>(*p);
  narrowed->scan = std::move(scan);
  narrowed->schema = keptFields(*p, position);
  return {narrowed, std::move(position)};
}

/// Filters, limits, sorts, samples and repartitions pass their input's
/// columns through, and need those their expressions read.
Pruned pruneThrough(const PlanPtr& p, std::vector<bool> needed) {
  for (const ExprPtr& e : p->exprs) markUsed(*e, needed);
  Pruned child = prune(p->children[0], needed);
  if (child.plan == p->children[0]) return unchanged(p);
  auto copy = std::make_shared<LogicalPlan>(*p);
  for (ExprPtr& e : copy->exprs) e = renumber(e, child.position);
  copy->children = {child.plan};
  copy->schema = keptFields(*p, child.position);
  return {copy, std::move(child.position)};
}

Pruned pruneJoin(const PlanPtr& p, const std::vector<bool>& needed) {
  const size_t lw = p->children[0]->schema.size();
  const size_t rw = p->children[1]->schema.size();
  const bool withRight = keepsRightColumns(p->joinType);
  std::vector<bool> both(lw + rw, false);
  for (size_t i = 0; i < needed.size(); ++i) both[i] = needed[i];
  for (const ExprPtr& e : p->exprs) markUsed(*e, both);
  const Pruned l = prune(p->children[0], {both.begin(), both.begin() + static_cast<long>(lw)});
  const Pruned r = prune(p->children[1], {both.begin() + static_cast<long>(lw), both.end()});
  if (l.plan == p->children[0] && r.plan == p->children[1]) return unchanged(p);
  // Positions in the join's input, the left's columns then the right's.
  std::vector<int> input = l.position;
  const int leftKept = static_cast<int>(l.plan->schema.size());
  for (int at : r.position) input.push_back(at < 0 ? -1 : leftKept + at);
  auto copy = std::make_shared<LogicalPlan>(*p);
  for (ExprPtr& e : copy->exprs) e = renumber(e, input);
  copy->children = {l.plan, r.plan};
  std::vector<int> position = withRight ? input : l.position;
  copy->schema = keptFields(*p, position);
  return {copy, std::move(position)};
}

/// An inner projection keeps only the expressions used above.
Pruned pruneProject(const PlanPtr& p, const std::vector<bool>& needed) {
  std::vector<int> position(needed.size(), -1);
  auto copy = std::make_shared<LogicalPlan>(*p);
  copy->exprs.clear();
  for (size_t i = 0; i < needed.size(); ++i) {
    if (!needed[i]) continue;
    position[i] = static_cast<int>(copy->exprs.size());
    copy->exprs.push_back(p->exprs[i]);
  }
  if (copy->exprs.size() == p->exprs.size()) return unchanged(p);
  copy->schema = keptFields(*p, position);
  return {copy, std::move(position)};
}

/// A Generate passes on only the child's columns used above, and needs
/// those and the ones its generator reads.
Pruned pruneGenerate(const PlanPtr& p, const std::vector<bool>& needed) {
  const size_t passed = p->exprs.size() - 1;
  std::vector<bool> read(p->child().schema.size(), false);
  markUsed(*p->exprs[0], read);
  for (size_t i = 0; i < passed; ++i)
    if (needed[i]) markUsed(*p->exprs[1 + i], read);
  const Pruned child = prune(p->children[0], read);
  auto copy = std::make_shared<LogicalPlan>(*p);
  copy->children = {child.plan};
  copy->exprs = {renumber(p->exprs[0], child.position)};
  std::vector<int> position(needed.size(), -1);
  for (size_t i = 0; i < passed; ++i) {
    if (!needed[i]) continue;
    position[i] = static_cast<int>(copy->exprs.size()) - 1;
    copy->exprs.push_back(renumber(p->exprs[1 + i], child.position));
  }
  position[passed] = static_cast<int>(copy->exprs.size()) - 1;
  if (copy->exprs.size() == p->exprs.size() && child.plan == p->children[0]) return unchanged(p);
  copy->schema = keptFields(*p, position);
  return {copy, std::move(position)};
}

/// A Window passes its input's columns on, then adds its own: it keeps
/// only the window expressions used above (none: the Window goes, as in
/// Spark's ColumnPruning), and needs the input columns used above and those
/// its kept expressions read.
Pruned pruneWindow(const PlanPtr& p, const std::vector<bool>& needed) {
  const size_t width = p->child().schema.size();
  std::vector<bool> read(needed.begin(), needed.begin() + static_cast<std::ptrdiff_t>(width));
  std::vector<size_t> kept;
  for (size_t k = 0; k < p->exprs.size(); ++k) {
    if (!needed[width + k]) continue;
    kept.push_back(k);
    markUsed(*p->exprs[k], read);
  }
  const Pruned child = prune(p->children[0], read);
  std::vector<int> position = child.position;
  position.resize(needed.size(), -1);
  if (kept.empty()) return {child.plan, std::move(position)};
  if (child.plan == p->children[0] && kept.size() == p->exprs.size()) return unchanged(p);
  auto copy = std::make_shared<LogicalPlan>(*p);
  copy->children = {child.plan};
  copy->exprs.clear();
  for (size_t k : kept) {
    position[width + k] = static_cast<int>(child.plan->schema.size() + copy->exprs.size());
    copy->exprs.push_back(renumber(p->exprs[k], child.position));
  }
  copy->schema = keptFields(*p, position);
  return {copy, std::move(position)};
}

bool prunesOnlyByProject(PlanKind kind) {
  switch (kind) {
    case PlanKind::kScan:
    case PlanKind::kFilter:
    case PlanKind::kLimit:
    case PlanKind::kSort:
    case PlanKind::kSample:
    case PlanKind::kRepartition:
    case PlanKind::kJoin:
    case PlanKind::kProject:
    case PlanKind::kGenerate:
    case PlanKind::kWindow:
      return false;
    default:
      return true;
  }
}

/// A plan that cannot narrow itself (cached rows, local rows, an
/// aggregation, a union) under a Project of the columns used above, so that
/// an exchange or a join above carries only those. One column at least
/// stays: a batch of no columns would not say how many rows it has.
Pruned projected(const PlanPtr& p, std::vector<bool> needed) {
  if (std::find(needed.begin(), needed.end(), true) == needed.end()) needed[0] = true;
  auto project = std::make_shared<LogicalPlan>();
  project->kind = PlanKind::kProject;
  project->children = {p};
  std::vector<int> position(needed.size(), -1);
  for (size_t i = 0; i < needed.size(); ++i) {
    if (!needed[i]) continue;
    position[i] = static_cast<int>(project->exprs.size());
    project->exprs.push_back(boundColumn(p->schema, i));
  }
  if (project->exprs.size() == needed.size()) return unchanged(p);
  project->schema = keptFields(*p, position);
  return {project, std::move(position)};
}

Pruned prune(const PlanPtr& p, std::vector<bool> needed) {
  switch (p->kind) {
    case PlanKind::kScan:
      return pruneScan(p, needed);
    case PlanKind::kFilter:
    case PlanKind::kLimit:
    case PlanKind::kSort:
    case PlanKind::kSample:
    case PlanKind::kRepartition:
      return pruneThrough(p, std::move(needed));
    case PlanKind::kJoin:
      return pruneJoin(p, needed);
    case PlanKind::kProject:
      return pruneProject(p, needed);
    case PlanKind::kGenerate:
      return pruneGenerate(p, needed);
    case PlanKind::kWindow:
      return pruneWindow(p, needed);
    default:  // aggregations, unions, cached and local rows: narrowed by a Project
      return needed.empty() ? unchanged(p) : projected(p, std::move(needed));
  }
}

/// Project [a, b] over an input of exactly a, b: Spark's RemoveNoopOperators.
bool selectsItsInput(const LogicalPlan& project) {
  const StructType& in = project.child().schema;
  if (project.exprs.size() != in.size()) return false;
  for (size_t i = 0; i < in.size(); ++i) {
    const Expr& e = *project.exprs[i];
    if (e.kind != ExprKind::kBound || e.index != static_cast<int>(i) || e.name != in[i].name)
      return false;
  }
  return true;
}

}  // namespace

PlanPtr pruneColumns(const PlanPtr& p) {
  if (p->kind != PlanKind::kProject && p->kind != PlanKind::kAggregate) return p;
  // A projection is already the narrowing of an input that cannot narrow
  // itself (projected() would put another under it, forever).
  if (p->kind == PlanKind::kProject && prunesOnlyByProject(p->child().kind)) return p;
  std::vector<bool> used(p->child().schema.size(), false);
  for (const ExprPtr& e : p->exprs) markUsed(*e, used);
  const Pruned child = prune(p->children[0], used);
  if (child.plan == p->children[0]) {
    // Over a Window too, so that Windows of a withColumn chain meet (CollapseWindow).
    const bool removable = p->kind == PlanKind::kProject && (p->child().kind == PlanKind::kScan ||
                                                             p->child().kind == PlanKind::kWindow);
    return removable && selectsItsInput(*p) ? p->children[0] : p;
  }
  auto copy = std::make_shared<LogicalPlan>(*p);
  for (ExprPtr& e : copy->exprs) e = renumber(e, child.position);
  copy->children = {child.plan};
  return copy;
}

}  // namespace ember::sql
