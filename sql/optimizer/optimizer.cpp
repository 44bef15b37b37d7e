#include "sql/optimizer/optimizer.hpp"

#include <algorithm>
#include <functional>

#include "sql/expression/conjuncts.hpp"
#include "sql/expression/evaluator.hpp"
#include "sql/optimizer/column_pruning.hpp"
#include "sql/optimizer/distinct_aggregates.hpp"
#include "sql/optimizer/join_reorder.hpp"
#include "sql/plan/expression_resolver.hpp"
#include "sql/plan/window.hpp"

namespace ember::sql {
namespace {

using Rule = std::function<PlanPtr(const PlanPtr&)>;

std::shared_ptr<LogicalPlan> copyOf(const LogicalPlan& p) {
  return std::make_shared<LogicalPlan>(p);
}

/// `e` with every bound reference i replaced by `inputs[i]` (the child
/// project's expressions, aliases stripped).
ExprPtr substitute(const ExprPtr& e, const std::vector<ExprPtr>& inputs) {
  if (e->kind == ExprKind::kBound) {
    ExprPtr in = inputs[static_cast<size_t>(e->index)];
    while (in->kind == ExprKind::kAlias) in = in->children[0];
    return in;
  }
  if (e->children.empty()) return e;
  auto copy = std::make_shared<Expr>(*e);
  for (ExprPtr& c : copy->children) c = substitute(c, inputs);
  return copy;
}

bool isLeafValue(const Expr& e) { return e.kind == ExprKind::kLiteral; }

/// Whether every column `e` reads is marked in `allowed`, and it reads one.
bool readsOnly(const Expr& e, const std::vector<bool>& allowed) {
  if (e.kind == ExprKind::kBound) return allowed[static_cast<size_t>(e.index)];
  if (e.children.empty()) return e.kind == ExprKind::kLiteral;
  return std::all_of(e.children.begin(), e.children.end(),
                     [&](const ExprPtr& c) { return readsOnly(*c, allowed); });
}

/// Constant folding: a subtree of literals only is computed once, now.
ExprPtr foldConstants(const ExprPtr& e) {
  if (e->children.empty() || e->kind == ExprKind::kAggregate || e->kind == ExprKind::kGenerator ||
      e->kind == ExprKind::kWindow || e->kind == ExprKind::kWindowFunction)
    return e;
  auto copy = std::make_shared<Expr>(*e);
  bool allLiteral = true;
  for (ExprPtr& c : copy->children) {
    c = foldConstants(c);
    allLiteral = allLiteral && isLeafValue(*c);
  }
  if (!allLiteral || e->kind == ExprKind::kAlias || e->kind == ExprKind::kSortOrder) return copy;
  const Batch one(1, {});
  const ColumnPtr v = evaluate(*copy, one);
  ExprPtr lit = makeLiteral(valueAt(*v, 0));
  auto typed = std::make_shared<Expr>(*lit);
  typed->type = e->type;
  typed->literal.type = e->type;
  typed->resolved = true;
  return typed;
}

/// Boolean simplification of a folded condition: x AND true is x, ...
ExprPtr simplifyBoolean(const ExprPtr& e) {
  if (e->kind != ExprKind::kBinary || (e->op != Op::kAnd && e->op != Op::kOr)) return e;
  const ExprPtr l = simplifyBoolean(e->children[0]);
  const ExprPtr r = simplifyBoolean(e->children[1]);
  auto isConst = [](const ExprPtr& x, bool v) {
    return x->kind == ExprKind::kLiteral && !x->literal.isNull() &&
           std::get<bool>(x->literal.v) == v;
  };
  const bool isAnd = e->op == Op::kAnd;
  if (isConst(l, isAnd)) return r;  // true AND r, false OR r
  if (isConst(r, isAnd)) return l;
  if (isConst(l, !isAnd) || isConst(r, !isAnd)) return makeLiteral(Value::boolean(!isAnd));
  if (l == e->children[0] && r == e->children[1]) return e;
  auto copy = std::make_shared<Expr>(*e);
  copy->children = {l, r};
  return copy;
}

/// (a AND b) OR (a AND c) is a AND (b OR c), as Spark's
/// BooleanSimplification factors it: the common part may then be a join
/// key (TPC-H's Q19) or move below a join.
ExprPtr factorDisjunction(const ExprPtr& e) {
  std::vector<ExprPtr> disjuncts;
  splitDisjuncts(e, disjuncts);
  if (disjuncts.size() < 2) return e;
  std::vector<std::vector<ExprPtr>> parts(disjuncts.size());
  std::vector<std::vector<std::string>> prints(disjuncts.size());
  for (size_t i = 0; i < disjuncts.size(); ++i) {
    splitConjuncts(disjuncts[i], parts[i]);
    for (const ExprPtr& c : parts[i]) prints[i].push_back(fingerprint(*c));
  }
  auto inAll = [&](const std::string& print) {
    for (const auto& p : prints)
      if (std::find(p.begin(), p.end(), print) == p.end()) return false;
    return true;
  };
  std::vector<ExprPtr> common, rest;
  for (size_t j = 0; j < parts[0].size(); ++j)
    if (inAll(prints[0][j])) common.push_back(parts[0][j]);
  if (common.empty()) return e;
  for (size_t i = 0; i < parts.size(); ++i) {
    std::vector<ExprPtr> left;
    for (size_t j = 0; j < parts[i].size(); ++j)
      if (!inAll(prints[i][j])) left.push_back(parts[i][j]);
    if (left.empty()) return conjunction(common);  // that disjunct is the common part alone
    rest.push_back(conjunction(left));
  }
  common.push_back(disjunction(rest));
  return conjunction(common);
}

/// factorDisjunction of each part of a filter's or a join's condition.
PlanPtr factorConditions(const PlanPtr& p) {
  if ((p->kind != PlanKind::kFilter && p->kind != PlanKind::kJoin) || p->exprs.empty()) return p;
  std::vector<ExprPtr> parts, factored;
  splitConjuncts(p->exprs[0], parts);
  bool changed = false;
  for (const ExprPtr& c : parts) {
    factored.push_back(factorDisjunction(c));
    changed = changed || factored.back() != c;
  }
  if (!changed) return p;
  auto copy = copyOf(*p);
  copy->exprs[0] = conjunction(factored);
  return copy;
}

PlanPtr constantFolding(const PlanPtr& p) {
  if (p->exprs.empty()) return p;
  auto copy = copyOf(*p);
  for (ExprPtr& e : copy->exprs) e = simplifyBoolean(foldConstants(e));
  return copy;
}

/// Filter(a, Filter(b, x)) is Filter(b AND a, x).
PlanPtr combineFilters(const PlanPtr& p) {
  if (p->kind != PlanKind::kFilter || p->child().kind != PlanKind::kFilter) return p;
  auto merged = copyOf(p->child());
  merged->exprs = {conjunction({p->child().exprs[0], p->exprs[0]})};
  return merged;
}

/// Filter(c, Project(list, x)) is Project(list, Filter(c', x)), c' being c
/// over x's columns: the filter runs before the projection computes.
PlanPtr pushFilterThroughProject(const PlanPtr& p) {
  if (p->kind != PlanKind::kFilter || p->child().kind != PlanKind::kProject) return p;
  const LogicalPlan& project = p->child();
  auto filter = copyOf(*p);
  filter->exprs = {substitute(p->exprs[0], project.exprs)};
  filter->children = project.children;
  filter->schema = project.child().schema;
  auto top = copyOf(project);
  top->children = {filter};
  return top;
}

/// Filter(c, Sort(x)) is Sort(Filter(c, x)), and so through a
/// repartition: fewer rows to sort and move, the same rows out.
PlanPtr pushFilterThroughOrdering(const PlanPtr& p) {
  if (p->kind != PlanKind::kFilter) return p;
  const LogicalPlan& below = p->child();
  if (below.kind != PlanKind::kSort && !(below.kind == PlanKind::kRepartition && below.shuffle))
    return p;
  auto filter = copyOf(*p);
  filter->children = below.children;
  auto top = copyOf(below);
  top->children = {filter};
  return top;
}

std::shared_ptr<LogicalPlan> filterOf(std::vector<ExprPtr> parts, const PlanPtr& child) {
  auto f = std::make_shared<LogicalPlan>();
  f->kind = PlanKind::kFilter;
  f->exprs = {conjunction(parts)};
  f->schema = child->schema;
  f->children = {child};
  return f;
}

/// The parts of Filter(c, Aggregate(keys, calls, x)) that read grouping
/// keys only are the same filter over the keys' expressions, before the
/// aggregation: whole groups are kept or dropped either way, and fewer rows
/// are hashed and moved. Parts reading an aggregate's result stay above. A
/// global aggregation (no keys) makes a row even of no input: nothing moves.
PlanPtr pushFilterThroughAggregate(const PlanPtr& p) {
  if (p->kind != PlanKind::kFilter || p->child().kind != PlanKind::kAggregate) return p;
  const LogicalPlan& aggregate = p->child();
  if (aggregate.groupCount == 0) return p;
  const std::vector<ExprPtr> keys(
      aggregate.exprs.begin(),
      aggregate.exprs.begin() + static_cast<std::ptrdiff_t>(aggregate.groupCount));
  std::vector<ExprPtr> parts, below, above;
  splitConjuncts(p->exprs[0], parts);
  for (const ExprPtr& c : parts) {
    (sidesRead(*c, aggregate.groupCount) == 1 ? below : above).push_back(c);
  }
  if (below.empty()) return p;
  for (ExprPtr& c : below) c = substitute(c, keys);
  auto a = copyOf(aggregate);
  a->children = {filterOf(below, aggregate.children[0])};
  if (above.empty()) return a;
  return filterOf(above, a);
}

/// The parts of Filter(c, Window(x)) that read only columns the window is
/// partitioned by go below it, as Spark's PushPredicateThroughNonJoin: they
/// keep or drop whole window partitions, so no frame changes. Other parts
/// (those reading a window's result, or other columns, which would drop
/// rows of a partition another row's frame holds) stay above.
PlanPtr pushFilterThroughWindow(const PlanPtr& p) {
  if (p->kind != PlanKind::kFilter || p->child().kind != PlanKind::kWindow) return p;
  const LogicalPlan& window = p->child();
  std::vector<bool> keys(window.schema.size(), false);
  for (const ExprPtr& k : windowPartitionKeys(window))
    if (k->kind == ExprKind::kBound) keys[static_cast<size_t>(k->index)] = true;
  std::vector<ExprPtr> parts, below, above;
  splitConjuncts(p->exprs[0], parts);
  for (const ExprPtr& c : parts) (readsOnly(*c, keys) ? below : above).push_back(c);
  if (below.empty()) return p;
  auto w = copyOf(window);
  w->children = {filterOf(below, window.children[0])};
  if (above.empty()) return w;
  return filterOf(above, w);
}

/// Whether `e` reads a column at position `from` or after.
bool readsFrom(const Expr& e, size_t from) {
  if (e.kind == ExprKind::kBound) return static_cast<size_t>(e.index) >= from;
  return std::any_of(e.children.begin(), e.children.end(),
                     [&](const ExprPtr& c) { return readsFrom(*c, from); });
}

/// Window(a, Window(b, x)) over the same keys and orders is one Window of
/// b's expressions, then a's, when a's read none of b's columns: Spark's
/// CollapseWindow, one sort instead of two (withColumn chains over one spec).
PlanPtr collapseWindows(const PlanPtr& p) {
  if (p->kind != PlanKind::kWindow || p->child().kind != PlanKind::kWindow) return p;
  const LogicalPlan& inner = p->child();
  if (!sameWindowSpec(*p, inner)) return p;
  const size_t width = inner.child().schema.size();
  for (const ExprPtr& e : p->exprs)
    if (readsFrom(*e, width)) return p;
  auto merged = copyOf(inner);
  merged->exprs.insert(merged->exprs.end(), p->exprs.begin(), p->exprs.end());
  merged->schema = p->schema;
  return merged;
}

/// Filters over a join, and the parts of an inner join's condition, that
/// read one side only move below the join to that side, where the join
/// type allows it (a filter on the right of a left join would drop the
/// rows it pads with nulls); a filter reading both sides of an inner join
/// becomes part of its condition, so that it can give equi-join keys.
PlanPtr pushPredicatesThroughJoin(const PlanPtr& p) {
  const bool overJoin = p->kind == PlanKind::kFilter && p->child().kind == PlanKind::kJoin;
  const LogicalPlan& join = overJoin ? p->child() : *p;
  if (join.kind != PlanKind::kJoin) return p;
  const JoinType t = join.joinType;
  const bool inner = t == JoinType::kInner || t == JoinType::kCross;
  const size_t width = join.children[0]->schema.size();
  std::vector<ExprPtr> filterParts, conditionParts, left, right, above, condition;
  if (overJoin) splitConjuncts(p->exprs[0], filterParts);
  if (!join.exprs.empty()) splitConjuncts(join.exprs[0], conditionParts);
  // A filter above may go to a side the join does not pad with nulls.
  for (const ExprPtr& c : filterParts) {
    const int sides = sidesRead(*c, width);
    if (sides == 1 && !keepsUnmatchedRight(t)) {
      left.push_back(c);
    } else if (sides == 2 && !keepsUnmatchedLeft(t)) {
      right.push_back(shiftColumns(c, static_cast<int>(width)));
    } else if (sides == 3 && inner) {
      condition.push_back(c);
    } else {
      above.push_back(c);
    }
  }
  // A join condition filters the side whose unmatched rows are not kept.
  for (const ExprPtr& c : conditionParts) {
    const int sides = sidesRead(*c, width);
    if (sides == 1 && !keepsUnmatchedLeft(t) && t != JoinType::kLeftAnti) {
      left.push_back(c);
    } else if (sides == 2 && !keepsUnmatchedRight(t)) {
      right.push_back(shiftColumns(c, static_cast<int>(width)));
    } else {
      condition.push_back(c);
    }
  }
  if (left.empty() && right.empty() && condition.size() == conditionParts.size()) return p;
  auto j = copyOf(join);
  if (!left.empty()) j->children[0] = filterOf(left, join.children[0]);
  if (!right.empty()) j->children[1] = filterOf(right, join.children[1]);
  j->exprs.clear();
  if (!condition.empty()) j->exprs = {conjunction(condition)};
  if (t == JoinType::kCross && !condition.empty()) j->joinType = JoinType::kInner;
  if (above.empty()) return j;
  return filterOf(above, j);
}

/// Project(a, Project(b, x)) is Project(a over b, x).
PlanPtr collapseProjects(const PlanPtr& p) {
  if (p->kind != PlanKind::kProject || p->child().kind != PlanKind::kProject) return p;
  auto merged = copyOf(*p);
  for (ExprPtr& e : merged->exprs) {
    // A column that only passes on the inner one's expression keeps its name.
    const bool passes = e->kind == ExprKind::kBound;
    const std::string name = e->name;
    e = substitute(e, p->child().exprs);
    if (passes && !(e->kind == ExprKind::kBound && e->name == name)) e = aliasAs(e, name);
  }
  merged->children = p->child().children;
  return merged;
}

/// A filter whose condition folded to true goes; to false, its child's rows too.
PlanPtr pruneFilters(const PlanPtr& p) {
  if (p->kind != PlanKind::kFilter) return p;
  const Expr& c = *p->exprs[0];
  if (c.kind == ExprKind::kLiteral && !c.literal.isNull() && std::get<bool>(c.literal.v))
    return p->children[0];
  return p;
}

struct NamedRule {
  const char* name;
  Rule rule;
};

const std::vector<NamedRule>& rules() {
  static const std::vector<NamedRule> kRules = {
      {"RewriteDistinctAggregates", rewriteDistinctAggregates},
      {"CollapseProject", collapseProjects},
      {"CombineFilters", combineFilters},
      {"BooleanSimplification", factorConditions},
      {"PushDownPredicates", pushFilterThroughProject},
      {"PushDownPredicates", pushFilterThroughOrdering},
      {"PushDownPredicates", pushFilterThroughAggregate},
      {"PushDownPredicates", pushFilterThroughWindow},
      {"CollapseWindow", collapseWindows},
      {"PushPredicateThroughJoin", pushPredicatesThroughJoin},
      {"ReorderJoin", reorderJoins},
      {"ConstantFolding", constantFolding},
      {"PruneFilters", pruneFilters},
      {"ColumnPruning", pruneColumns},
  };
  return kRules;
}

PlanPtr applyEverywhere(const PlanPtr& p, const Rule& rule) {
  PlanPtr node = rule(p);
  if (node->children.empty()) return node;
  auto copy = copyOf(*node);
  bool changed = false;
  for (PlanPtr& c : copy->children) {
    PlanPtr next = applyEverywhere(c, rule);
    changed = changed || next != c;
    c = next;
  }
  return changed ? copy : node;
}

}  // namespace

PlanPtr optimize(const PlanPtr& plan) {
  PlanPtr current = plan;
  for (int pass = 0; pass < 100; ++pass) {
    PlanPtr before = current;
    for (const NamedRule& r : rules()) current = applyEverywhere(current, r.rule);
    if (current->treeString() == before->treeString()) break;
  }
  return current;
}

std::vector<std::string> optimizerRuleNames() {
  std::vector<std::string> names;
  for (const NamedRule& r : rules()) names.push_back(r.name);
  return names;
}

}  // namespace ember::sql
