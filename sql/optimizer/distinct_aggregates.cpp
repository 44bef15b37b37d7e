#include "sql/optimizer/distinct_aggregates.hpp"

#include "sql/errors.hpp"
#include "sql/execution/aggregate_function.hpp"
#include "sql/plan/expression_resolver.hpp"

namespace ember::sql {
namespace {

const Expr& callOf(const ExprPtr& e) {
  const Expr* c = e.get();
  while (c->kind == ExprKind::kAlias) c = c->children[0].get();
  return *c;
}

bool mergeable(const Expr& call) {
  const std::string& n = call.name;
  if (n == "avg" || n == "mean")
    return call.children[0]->type.id() != TypeId::kDecimal;  // the merged average's scale differs
  return n == "count" || n == "sum" || n == "min" || n == "max" || n == "first";
}

/// Builds the two aggregations and the projection above them.
class Rewrite {
  /// The two aggregations as they are built: expressions and columns.
  struct Building {
    std::vector<ExprPtr> exprs;
    std::vector<StructField> fields;
  };

 public:
  explicit Rewrite(const LogicalPlan& p) : p_(p), keys_(p.groupCount) {}

  PlanPtr run() {
    const auto calls = callsOf(p_);
    for (const ExprPtr& c : calls) {
      if (callOf(c).distinct) {
        distinct_ = callOf(c).children;
        break;
      }
    }
    buildInnerKeys();
    for (const ExprPtr& c : calls) addPartials(callOf(c));
    auto inner = finish(inner_, p_.children[0], keys_ + distinct_.size());
    for (size_t i = 0; i < keys_; ++i) {
      outer_.exprs.push_back(boundColumn(inner->schema, i));
      outer_.fields.push_back(inner->schema[i]);
    }
    std::vector<ExprPtr> finals;
    size_t partial = 0;
    for (const ExprPtr& c : calls) finals.push_back(merged(callOf(c), inner->schema, partial));
    auto outer = finish(outer_, inner, keys_);
    return project(outer, finals);
  }

  static std::vector<ExprPtr> callsOf(const LogicalPlan& p) {
    return {p.exprs.begin() + static_cast<std::ptrdiff_t>(p.groupCount), p.exprs.end()};
  }

 private:
  void buildInnerKeys() {
    for (size_t i = 0; i < keys_; ++i) {
      inner_.exprs.push_back(p_.exprs[i]);
      inner_.fields.push_back(p_.schema[i]);
    }
    for (size_t i = 0; i < distinct_.size(); ++i) {
      const std::string name = "_distinct" + std::to_string(i);
      inner_.exprs.push_back(aliasAs(distinct_[i], name));
      inner_.fields.push_back(StructField{name, distinct_[i]->type, distinct_[i]->nullable});
    }
  }

  /// An aggregate call `name`(args) resolved, named `as`, added to `to`.
  static void addCall(Building& to, const std::string& name, std::vector<ExprPtr> args,
                      const std::string& as) {
    const ExprPtr call = resolvedAggregate(makeAggregate(name, std::move(args)));
    to.exprs.push_back(aliasAs(call, as));
    to.fields.push_back(StructField{as, call->type, call->nullable});
  }

  /// The inner aggregation's partial results of a call that is not distinct.
  void addPartials(const Expr& call) {
    if (call.distinct) return;
    const std::string& n = call.name;
    const std::string at = std::to_string(inner_.exprs.size());
    if (n == "avg" || n == "mean") {
      addCall(inner_, "sum", call.children, "_sum" + at);
      addCall(inner_, "count", call.children, "_count" + at);
    } else {
      addCall(inner_, n, call.children, "_partial" + at);
    }
  }

  ExprPtr outerCall(const std::string& name, std::vector<ExprPtr> args) {
    const std::string as = "_merged" + std::to_string(outer_.exprs.size());
    addCall(outer_, name, std::move(args), as);
    return boundColumn(StructType(outer_.fields), outer_.fields.size() - 1);
  }

  /// The outer aggregation's calls for `call`, and the expression over
  /// them that gives its value; `partial` walks the inner partial columns.
  ExprPtr merged(const Expr& call, const StructType& inner, size_t& partial) {
    const std::string& n = call.name;
    if (call.distinct) {
      std::vector<ExprPtr> args;
      for (size_t i = 0; i < distinct_.size(); ++i) args.push_back(boundColumn(inner, keys_ + i));
      if (n != "count" || args.size() == 1) return outerCall(n, std::move(args));
      // count(DISTINCT a, b) counts the tuples without a null.
      ExprPtr all = makeUnary(Op::kIsNotNull, args[0]);
      for (size_t i = 1; i < args.size(); ++i)
        all = makeBinary(Op::kAnd, all, makeUnary(Op::kIsNotNull, args[i]));
      const ExprPtr one = makeCaseWhen({all, makeLiteral(Value::integer(1))});
      return outerCall("count", {resolveExpression(one, inner)});
    }
    const size_t first = keys_ + distinct_.size() + partial;
    auto column = [&](size_t k) { return boundColumn(inner, first + k); };
    if (n == "avg" || n == "mean") {
      partial += 2;
      const ExprPtr sum = outerCall("sum", {column(0)});
      const ExprPtr count = outerCall("sum", {column(1)});
      return makeBinary(Op::kDiv, sum, count);
    }
    ++partial;
    if (n == "count") {
      return makeFunction("coalesce",
                          {outerCall("sum", {column(0)}), makeLiteral(Value::bigint(0))});
    }
    return outerCall(n, {column(0)});
  }

  static std::shared_ptr<LogicalPlan> finish(const Building& node, const PlanPtr& child,
                                             size_t groupCount) {
    auto p = std::make_shared<LogicalPlan>();
    p->kind = PlanKind::kAggregate;
    p->exprs = node.exprs;
    p->schema = StructType(node.fields);
    p->children = {child};
    p->groupCount = groupCount;
    return p;
  }

  /// The original aggregation's columns, names and types, over the outer one.
  PlanPtr project(const PlanPtr& outer, const std::vector<ExprPtr>& finals) const {
    auto top = std::make_shared<LogicalPlan>();
    top->kind = PlanKind::kProject;
    top->children = {outer};
    top->schema = p_.schema;
    for (size_t i = 0; i < keys_; ++i) top->exprs.push_back(boundColumn(outer->schema, i));
    for (size_t i = 0; i < finals.size(); ++i) {
      const StructField& f = p_.schema[keys_ + i];
      const ExprPtr value = castTo(resolveExpression(finals[i], outer->schema), f.dataType);
      top->exprs.push_back(aliasAs(value, f.name));
    }
    return top;
  }

  const LogicalPlan& p_;
  size_t keys_;
  std::vector<ExprPtr> distinct_;
  Building inner_, outer_;
};

}  // namespace

void checkDistinctAggregates(const std::vector<ExprPtr>& calls) {
  const Expr* first = nullptr;
  for (const ExprPtr& e : calls) {
    const Expr& c = callOf(e);
    if (!c.distinct) continue;
    if (!first) first = &c;
    if (toString(c.children) != toString(first->children))
      throw AnalysisException("distinct aggregates over different columns (" + first->toString() +
                              " and " + c.toString() +
                              ") in one agg() are not supported; compute them in two agg()s and "
                              "join the results");
  }
  if (!first) return;
  for (const ExprPtr& e : calls) {
    const Expr& c = callOf(e);
    if (!c.distinct && !mergeable(c))
      throw AnalysisException("'" + c.toString() + "' cannot be combined with " +
                              first->toString() + " in one agg(); compute it in another agg()");
  }
}

PlanPtr rewriteDistinctAggregates(const PlanPtr& p) {
  if (p->kind != PlanKind::kAggregate) return p;
  bool any = false;
  for (const ExprPtr& c : Rewrite::callsOf(*p)) any = any || callOf(c).distinct;
  if (!any) return p;
  return Rewrite(*p).run();
}

}  // namespace ember::sql
