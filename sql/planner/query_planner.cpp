#include "sql/planner/query_planner.hpp"

#include <strings.h>
#include <algorithm>
#include <functional>
#include <map>

#include "sql/catalog.hpp"
#include "sql/errors.hpp"
#include "sql/execution/aggregate_function.hpp"
#include "sql/expression/conjuncts.hpp"
#include "sql/functions.hpp"
#include "sql/io/read_options.hpp"
#include "sql/parser/syntax_error.hpp"
#include "sql/plan/expression_resolver.hpp"
#include "sql/planner/expression_binder.hpp"
#include "sql/session.hpp"

namespace ember::sql {

/// A subquery's ties to the query around it.
struct QueryPlanner::Correlation {
  const Relation* outer = nullptr;
  /// WHERE's parts that read the outer query's columns, bound over
  /// outer ++ the subquery's FROM.
  std::vector<ExprPtr> predicates;
  /// Set by select(): what the subquery's rows join the outer rows on,
  /// bound over outer ++ the subquery's output.
  std::vector<ExprPtr> condition;
};

/// A block's columns before DISTINCT, ORDER BY and LIMIT.
struct QueryPlanner::Output {
  std::vector<ExprPtr> exprs;  ///< bound over the block's input
  std::vector<RelationColumn> columns;
  /// Carried after the outputs, hidden: what a correlated subquery's join reads.
  std::vector<ExprPtr> trailing;
  /// An ORDER BY key that is not an output column, bound over the input.
  std::function<ExprPtr(const ExprPtr&)> bindKey;
};

namespace {

std::vector<Column> columnsOf(const std::vector<ExprPtr>& exprs) {
  std::vector<Column> columns;
  for (const ExprPtr& e : exprs) columns.emplace_back(e);
  return columns;
}

/// `e` under `name`, without a second alias when it has it already.
ExprPtr named(const ExprPtr& e, const std::string& name) {
  const bool has = (e->kind == ExprKind::kBound || e->kind == ExprKind::kAlias) && e->name == name;
  return has ? e : makeAlias(e, name);
}

/// A bound column at `index` of a wider row than the one it was bound on.
ExprPtr boundAs(const ExprPtr& column, size_t index) {
  auto b = std::make_shared<Expr>(*column);
  b->index = static_cast<int>(index);
  return b;
}

/// Bound columns from `from` on moved `by` places up: a subquery's
/// columns, once its output has `by` more columns before them.
ExprPtr shiftFrom(const ExprPtr& e, size_t from, size_t by) {
  if (e->kind == ExprKind::kBound)
    return static_cast<size_t>(e->index) >= from ? boundAs(e, e->index + by) : e;
  if (e->children.empty()) return e;
  auto copy = std::make_shared<Expr>(*e);
  for (ExprPtr& c : copy->children) c = shiftFrom(c, from, by);
  return copy;
}

/// The parts ANDed, unresolved: the DataFrame call that takes the condition
/// resolves it (conjunction() would mark the tree resolved as it is).
ExprPtr allOf(const std::vector<ExprPtr>& parts) {
  ExprPtr e = parts[0];
  for (size_t i = 1; i < parts.size(); ++i) e = makeBinary(Op::kAnd, e, parts[i]);
  return e;
}

/// Whether `e` calls an aggregate that is not a window's function: sum(x)
/// makes a query an aggregation, sum(x) OVER (...) does not.
bool hasGroupAggregate(const Expr& e) {
  if (e.kind == ExprKind::kSubquery) return false;
  if (e.kind == ExprKind::kAggregate) return true;
  for (size_t i = 0; i < e.children.size(); ++i) {
    const Expr& c = *e.children[i];
    const bool windowFunction = e.kind == ExprKind::kWindow && i == 0;
    if (windowFunction ? std::any_of(c.children.begin(), c.children.end(),
                                     [](const ExprPtr& a) { return hasGroupAggregate(*a); })
                       : hasGroupAggregate(c))
      return true;
  }
  return false;
}

bool anyAggregate(const std::vector<ExprPtr>& exprs) {
  return std::any_of(exprs.begin(), exprs.end(),
                     [](const ExprPtr& e) { return hasGroupAggregate(*e); });
}

const ExprPtr& unaliased(const ExprPtr& e) {
  return e->kind == ExprKind::kAlias ? e->children[0] : e;
}

/// The position an integer literal names in an ORDER BY or GROUP BY
/// list (1-based), or -1 for any other expression.
int ordinalOf(const Expr& e, size_t count, const std::string& clause) {
  if (e.kind != ExprKind::kLiteral || e.literal.type.id() != TypeId::kInt) return -1;
  const int32_t k = std::get<int32_t>(e.literal.v);
  std::string code = clause;
  std::replace(code.begin(), code.end(), ' ', '_');
  if (k < 1 || static_cast<size_t>(k) > count)
    throw AnalysisException("[" + code + "_POS_OUT_OF_RANGE] " + clause + " position " +
                            std::to_string(k) + " is not in select list (valid range is [1, " +
                            std::to_string(count) + "]).");
  return k - 1;
}

StructType concatenated(const StructType& a, const StructType& b) {
  std::vector<StructField> fields = a.fields();
  fields.insert(fields.end(), b.fields().begin(), b.fields().end());
  return StructType(std::move(fields));
}

template <class T>
std::vector<T> concatenated(std::vector<T> a, const std::vector<T>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

/// The qualifiers of the column a select item names, when it is one.
std::vector<std::string> qualifiersOf(const ExprPtr& item, const Scope& scope) {
  const ExprPtr& e = unaliased(item);
  int at = -1;
  if (e->kind == ExprKind::kBound) at = e->index;
  if (e->kind == ExprKind::kColumn) at = findColumn(scope, e->name);
  return at < 0 ? std::vector<std::string>{} : scope.columns[static_cast<size_t>(at)].qualifiers;
}

Relation withoutColumnsFrom(Relation rel, size_t width) {
  if (rel.width() == width) return rel;
  std::vector<ExprPtr> kept;
  for (size_t i = 0; i < width; ++i) kept.push_back(boundColumn(rel.df.schema(), i));
  rel.df = rel.df.select(columnsOf(kept));
  rel.columns.resize(width);
  return rel;
}

}  // namespace

DataFrame QueryPlanner::plan(const QueryNode& q) { return query(q, nullptr).df; }

Relation QueryPlanner::query(const QueryNode& q, Correlation* correlation) {
  const size_t outerCtes = ctes_.size();
  for (const CommonTableExpr& cte : q.with) {
    Relation r = query(*cte.query, nullptr);
    if (!cte.columns.empty()) {
      if (cte.columns.size() != r.width())
        throw AnalysisException("WITH " + cte.name + " names " +
                                std::to_string(cte.columns.size()) +
                                " columns of a query that has " + std::to_string(r.width()));
      std::vector<ExprPtr> renamed;
      for (size_t i = 0; i < r.width(); ++i)
        renamed.push_back(aliasAs(boundColumn(r.df.schema(), i), cte.columns[i]));
      r = Relation::of(r.df.select(columnsOf(renamed)), "");
    }
    ctes_.emplace_back(lowerCase(cte.name), std::move(r));
  }
  Relation out = q.op == SetOperation::kNone ? select(q, correlation) : setOperation(q);
  ctes_.erase(ctes_.begin() + static_cast<std::ptrdiff_t>(outerCtes), ctes_.end());
  return out;
}

Relation QueryPlanner::setOperation(const QueryNode& q) {
  static constexpr const char* kNames[] = {"", "UNION", "INTERSECT", "EXCEPT"};
  const std::string name = kNames[static_cast<int>(q.op)];
  const Relation l = query(*q.left, nullptr);
  const Relation r = query(*q.right, nullptr);
  if (l.width() != r.width())
    throw AnalysisException("[NUM_COLUMNS_MISMATCH] " + name +
                            " can only be performed on inputs with the same number of columns, "
                            "but the first input has " +
                            std::to_string(l.width()) + " columns and the second input has " +
                            std::to_string(r.width()) + " columns.");
  DataFrame df = l.df;
  if (q.op == SetOperation::kUnion) {
    df = l.df.union_(r.df);
    if (!q.all) df = df.distinct();
  } else {
    if (q.all) throw AnalysisException(name + " ALL is not supported yet; " + name + " is");
    // Rows equal column by column, nulls equal to nulls, as set operations compare.
    std::vector<ExprPtr> equal;
    for (size_t i = 0; i < l.width(); ++i)
      equal.push_back(makeBinary(Op::kEqNullSafe, boundColumn(l.df.schema(), i),
                                 boundAs(boundColumn(r.df.schema(), i), l.width() + i)));
    df = l.df.join(r.df, Column(allOf(equal)),
                   q.op == SetOperation::kIntersect ? "left_semi" : "left_anti")
             .distinct();
  }
  const Relation rel = Relation::of(df, "");
  Output out;
  for (size_t i = 0; i < rel.width(); ++i) out.exprs.push_back(boundColumn(df.schema(), i));
  out.columns = rel.columns;
  const Scope scope = rel.scope();
  out.bindKey = [scope](const ExprPtr& e) { return bindNames(e, scope); };
  return finish(rel, out, q);
}

Relation QueryPlanner::select(const QueryNode& q, Correlation* correlation) {
  Relation rel = q.from.empty() ? Relation{spark_.range(1), {{{}, "id", true}}} : from(q.from);
  if (q.where) rel = filtered(std::move(rel), q.where, correlation);
  const Scope scope = rel.scope();
  const std::vector<ExprPtr> items = expandStars(q.select, scope);
  std::vector<ExprPtr> orderKeys;
  for (const ExprPtr& o : q.orderBy) orderKeys.push_back(o->children[0]);
  if (!q.groupBy.empty() || q.having || anyAggregate(items) || anyAggregate(orderKeys))
    return aggregated(rel, q, items, correlation);
  Output out;
  for (const ExprPtr& item : items) {
    out.exprs.push_back(bindNames(item, scope));
    out.columns.push_back({qualifiersOf(item, scope), item->outputName(), false});
  }
  out.bindKey = [scope](const ExprPtr& e) { return bindNames(e, scope); };
  if (correlation && !correlation->predicates.empty()) {
    // EXISTS and IN: the join reads the FROM's columns, carried after the outputs.
    for (size_t i = 0; i < rel.width(); ++i)
      out.trailing.push_back(boundColumn(rel.df.schema(), i));
    for (const ExprPtr& p : correlation->predicates)
      correlation->condition.push_back(shiftFrom(p, correlation->outer->width(), items.size()));
  }
  return finish(rel, out, q);
}

Relation QueryPlanner::aggregated(const Relation& in, const QueryNode& q,
                                  const std::vector<ExprPtr>& items, Correlation* correlation) {
  const Scope scope = in.scope();
  for (const ExprPtr& item : items)
    if (hasWindow(*item))
      throw AnalysisException("window functions over a GROUP BY's results are not supported yet: " +
                              item->toString() + "; compute the aggregation in a subquery first");
  auto aliasedItem = [&](const std::string& name) -> const Expr* {
    for (const ExprPtr& item : items)
      if (item->kind == ExprKind::kAlias && strcasecmp(item->name.c_str(), name.c_str()) == 0)
        return item->children[0].get();
    return nullptr;
  };
  // GROUP BY keys: an ordinal or a select list's alias stands for its item.
  std::vector<ExprPtr> keys;
  for (const ExprPtr& g : q.groupBy) {
    const int at = ordinalOf(*g, items.size(), "GROUP BY");
    const Expr* alias = g->kind == ExprKind::kColumn && findColumn(scope, g->name) < 0
                            ? aliasedItem(g->name)
                            : nullptr;
    const ExprPtr key = at >= 0 ? unaliased(items[static_cast<size_t>(at)])
                                : (alias ? std::make_shared<Expr>(*alias) : g);
    keys.push_back(bindNames(key, scope));
  }
  // A correlated scalar subquery is grouped by its correlated columns too,
  // and joins the outer rows on them.
  std::vector<ExprPtr> outerSides;
  if (correlation && !correlation->predicates.empty()) {
    const size_t width = correlation->outer->width();
    for (const ExprPtr& p : correlation->predicates) {
      const int l =
          p->kind == ExprKind::kBinary && p->op == Op::kEq ? sidesRead(*p->children[0], width) : 0;
      const int r = l ? sidesRead(*p->children[1], width) : 0;
      if (!((l == 1 && r == 2) || (l == 2 && r == 1)))
        throw AnalysisException(
            "[UNSUPPORTED_SUBQUERY_EXPRESSION_CATEGORY.CORRELATED_COLUMN_IS_NOT_ALLOWED_IN_"
            "PREDICATE]"
            " An aggregated correlated subquery may compare the outer query's columns only by "
            "equality with its own: " +
            p->toString());
      outerSides.push_back(p->children[l == 1 ? 0 : 1]);
      keys.push_back(shiftColumns(p->children[l == 1 ? 1 : 0], static_cast<int>(width)));
    }
  }
  std::vector<std::string> keyFingerprints;
  for (const ExprPtr& k : keys) keyFingerprints.push_back(fingerprint(*k));
  // Each aggregate call of SELECT, HAVING and ORDER BY, once.
  std::vector<ExprPtr> calls;
  std::map<std::string, size_t> callAt;
  std::function<void(const ExprPtr&)> collect = [&](const ExprPtr& e) {
    if (e->kind == ExprKind::kSubquery) return;
    if (e->kind != ExprKind::kAggregate) {
      for (const ExprPtr& c : e->children) collect(c);
      return;
    }
    const ExprPtr b = bindNames(e, scope);
    if (callAt.emplace(fingerprint(*b), calls.size()).second) calls.push_back(b);
  };
  for (const ExprPtr& item : items) collect(item);
  if (q.having) collect(q.having);
  for (const ExprPtr& o : q.orderBy) collect(o);
  // Keys of one name (n1.n_name and n2.n_name) are told apart by position.
  std::vector<ExprPtr> keyColumns;
  std::map<std::string, int> seen;
  for (const ExprPtr& k : keys) {
    const std::string name = k->outputName();
    const int n = seen[lowerCase(name)]++;
    keyColumns.push_back(n == 0 ? k : makeAlias(k, name + "_" + std::to_string(n)));
  }
  const DataFrame agg = in.df.groupBy(columnsOf(keyColumns)).agg(columnsOf(calls));
  std::vector<RelationColumn> aggColumns;
  for (size_t i = 0; i < agg.schema().size(); ++i)
    aggColumns.push_back(
        {i < keys.size() ? qualifiersOf(keys[i], scope) : std::vector<std::string>{},
         agg.schema()[i].name, false});
  // An expression over the input, rewritten over the aggregate's output.
  std::function<ExprPtr(const ExprPtr&)> over = [&](const ExprPtr& e) -> ExprPtr {
    if (e->kind == ExprKind::kSubquery) return e;
    if (e->kind == ExprKind::kColumn && e->name != "*" && findColumn(scope, e->name) < 0) {
      if (const Expr* item = aliasedItem(e->name)) return over(std::make_shared<Expr>(*item));
    }
    const ExprPtr b = bindNames(e, scope);
    if (e->kind == ExprKind::kAggregate)
      return boundColumn(agg.schema(), keys.size() + callAt.at(fingerprint(*b)));
    const auto key = std::find(keyFingerprints.begin(), keyFingerprints.end(), fingerprint(*b));
    if (key != keyFingerprints.end())
      return boundColumn(agg.schema(), static_cast<size_t>(key - keyFingerprints.begin()));
    if (e->kind == ExprKind::kColumn || e->kind == ExprKind::kBound)
      throw AnalysisException(
          "[MISSING_AGGREGATION] The non-aggregating expression `" + b->toString() +
          "` is based on columns which are not participating in the GROUP BY "
          "clause. Add it to GROUP BY, or wrap it in first() (or first_value).");
    if (e->children.empty()) return e;
    auto copy = std::make_shared<Expr>(*e);
    for (ExprPtr& c : copy->children) c = over(c);
    return copy;
  };
  Relation aggRel{agg, aggColumns};
  if (q.having) aggRel = filtered(std::move(aggRel), over(q.having), nullptr);
  Output out;
  for (const ExprPtr& item : items) {
    out.exprs.push_back(over(item));
    out.columns.push_back({qualifiersOf(item, scope), item->outputName(), false});
  }
  out.bindKey = over;
  const size_t firstCorrelated = keys.size() - outerSides.size();
  for (size_t i = 0; i < outerSides.size(); ++i) {
    const ExprPtr key = boundColumn(agg.schema(), firstCorrelated + i);
    out.trailing.push_back(key);
    correlation->condition.push_back(makeBinary(
        Op::kEq, outerSides[i], boundAs(key, correlation->outer->width() + items.size() + i)));
  }
  return finish(aggRel, out, q);
}

Relation QueryPlanner::finish(const Relation& in, const Output& out, const QueryNode& q) {
  // Resolved by select(), which also takes window expressions out into
  // Window nodes; names are all ORDER BY needs of the outputs here.
  std::vector<ExprPtr> projection;
  for (size_t i = 0; i < out.exprs.size(); ++i)
    projection.push_back(named(out.exprs[i], out.columns[i].name));
  for (const ExprPtr& t : out.trailing) projection.push_back(t);
  const Scope outputs{out.columns, StructType()};
  // ORDER BY sees the output's names first, then the input's columns; a
  // key that is not an output is computed beside them, then dropped.
  const size_t width = projection.size();
  std::vector<std::pair<size_t, const Expr*>> orders;
  for (const ExprPtr& o : q.orderBy) {
    const ExprPtr& key = o->children[0];
    int at = ordinalOf(*key, out.exprs.size(), "ORDER BY");
    if (at < 0 && key->kind == ExprKind::kColumn) {
      try {
        at = findColumn(outputs, key->name);
      } catch (const AnalysisException&) {
        // Two outputs of the name: fine if they are one input column
        // (SELECT a.k, b.k ... USING (k)), as the input binding finds below.
      }
    }
    if (at < 0) {
      const ExprPtr b = out.bindKey(key);
      for (size_t i = 0; i < out.exprs.size() && at < 0; ++i)
        if (fingerprint(*unaliased(out.exprs[i])) == fingerprint(*b)) at = static_cast<int>(i);
      if (at < 0) {
        if (q.distinct)
          throw AnalysisException("ORDER BY " + key->toString() +
                                  " of a SELECT DISTINCT must be one of its columns");
        at = static_cast<int>(projection.size());
        projection.push_back(b);
      }
    }
    orders.emplace_back(static_cast<size_t>(at), o.get());
  }
  DataFrame df = in.df.select(columnsOf(projection));
  if (q.distinct) df = df.distinct();
  if (!orders.empty()) {
    std::vector<Column> sortOrders;
    for (const auto& [at, o] : orders)
      sortOrders.emplace_back(
          makeSortOrder(boundColumn(df.schema(), at), o->ascending, o->nullsFirst));
    df = df.orderBy(sortOrders);
  }
  std::vector<RelationColumn> columns = out.columns;
  for (size_t i = 0; i < out.trailing.size(); ++i)
    columns.push_back({{}, df.schema()[out.exprs.size() + i].name, true});
  if (projection.size() > width) {
    std::vector<ExprPtr> kept;
    for (size_t i = 0; i < width; ++i) kept.push_back(boundColumn(df.schema(), i));
    df = df.select(columnsOf(kept));
  }
  if (q.limit) df = df.limit(*q.limit);
  return Relation{df, columns};
}

Relation QueryPlanner::from(const std::vector<TableRefPtr>& relations) {
  Relation rel = relation(*relations[0]);
  for (size_t i = 1; i < relations.size(); ++i) {
    const Relation r = relation(*relations[i]);
    rel = Relation{rel.df.crossJoin(r.df), concatenated(rel.columns, r.columns)};
  }
  return rel;
}

Relation QueryPlanner::relation(const TableRef& ref) {
  Relation rel = [&] {
    switch (ref.kind) {
      case TableRefKind::kTable:
        return table(ref);
      case TableRefKind::kSubquery:
        return Relation::of(query(*ref.query, nullptr).df, ref.alias);
      case TableRefKind::kJoin:
        break;
    }
    return joined(ref);
  }();
  if (ref.columnAliases.empty()) return rel;
  if (ref.columnAliases.size() != rel.width())
    failAt(ref, "[ASSIGNMENT_ARITY_MISMATCH] " + std::to_string(ref.columnAliases.size()) +
                    " column aliases for a relation of " + std::to_string(rel.width()) +
                    " columns");
  std::vector<ExprPtr> renamed;
  for (size_t i = 0; i < rel.width(); ++i)
    renamed.push_back(aliasAs(boundColumn(rel.df.schema(), i), ref.columnAliases[i]));
  return Relation::of(rel.df.select(columnsOf(renamed)), ref.alias);
}

Relation QueryPlanner::table(const TableRef& ref) {
  const size_t dot = ref.name.rfind('.');
  const std::string qualifier =
      ref.alias.empty() ? (dot == std::string::npos ? ref.name : ref.name.substr(dot + 1))
                        : ref.alias;
  const std::string key = lowerCase(ref.name);
  for (auto it = ctes_.rbegin(); it != ctes_.rend(); ++it) {
    if (it->first != key) continue;
    Relation r = it->second;
    for (RelationColumn& c : r.columns) c.qualifiers = {qualifier};
    return r;
  }
  if (!spark_.catalog().tableExists(ref.name))
    failAt(ref, "[TABLE_OR_VIEW_NOT_FOUND] The table or view `" + ref.name +
                    "` cannot be found. Verify the spelling, or create it first with "
                    "df.createOrReplaceTempView(\"" +
                    ref.name + "\") or CREATE TEMP VIEW");
  return Relation::of(spark_.table(ref.name), qualifier);
}

Relation QueryPlanner::joined(const TableRef& ref) {
  const Relation l = relation(*ref.left);
  const Relation r = relation(*ref.right);
  if (ref.natural || !ref.usingColumns.empty()) return joinedUsing(l, r, ref);
  const std::vector<RelationColumn> both = concatenated(l.columns, r.columns);
  const bool keepsRight = keepsRightColumns(ref.joinType);
  if (!ref.condition) {
    if (ref.joinType != JoinType::kInner && ref.joinType != JoinType::kCross)
      failAt(ref, std::string(joinTypeName(ref.joinType)) + " JOIN needs ON or USING");
    return Relation{l.df.crossJoin(r.df), both};
  }
  const Scope scope{both, concatenated(l.df.schema(), r.df.schema())};
  const DataFrame df =
      l.df.join(r.df, Column(bindNames(ref.condition, scope)), joinTypeName(ref.joinType));
  return Relation{df, keepsRight ? both : l.columns};
}

Relation QueryPlanner::joinedUsing(const Relation& left, const Relation& right,
                                   const TableRef& ref) {
  std::vector<std::string> keys = ref.usingColumns;
  const Scope l = left.scope(), r = right.scope();
  if (ref.natural) {
    for (const RelationColumn& c : left.columns)
      if (!c.hidden && findColumn(r, c.name) >= 0) keys.push_back(c.name);
  }
  std::vector<RelationColumn> columns;
  std::vector<bool> leftKey(left.width()), rightKey(right.width());
  for (const std::string& k : keys) {
    const int a = findColumn(l, k), b = findColumn(r, k);
    if (a < 0 || b < 0)
      failAt(ref, "[UNRESOLVED_USING_COLUMN_FOR_JOIN] USING column `" + k +
                      "` cannot be resolved on the " + (a < 0 ? "left" : "right") +
                      " side of the join");
    leftKey[static_cast<size_t>(a)] = rightKey[static_cast<size_t>(b)] = true;
    columns.push_back({concatenated(left.columns[static_cast<size_t>(a)].qualifiers,
                                    right.columns[static_cast<size_t>(b)].qualifiers),
                       left.columns[static_cast<size_t>(a)].name, false});
  }
  for (size_t i = 0; i < left.width(); ++i)
    if (!leftKey[i]) columns.push_back(left.columns[i]);
  if (keepsRightColumns(ref.joinType)) {
    for (size_t i = 0; i < right.width(); ++i)
      if (!rightKey[i]) columns.push_back(right.columns[i]);
  }
  const DataFrame df = left.df.join(right.df, keys, joinTypeName(ref.joinType));
  return Relation{df, columns};
}

Relation QueryPlanner::filtered(Relation rel, const ExprPtr& condition, Correlation* correlation) {
  const size_t width = rel.width();
  std::vector<ExprPtr> parts, kept;
  splitConjuncts(condition, parts);
  for (const ExprPtr& p : parts) {
    const bool negated = p->kind == ExprKind::kUnary && p->op == Op::kNot &&
                         p->children[0]->kind == ExprKind::kSubquery;
    const Expr& s = negated ? *p->children[0] : *p;
    if (s.kind == ExprKind::kSubquery && s.name != "scalar") {
      rel = semiJoined(std::move(rel), s, negated);
      continue;
    }
    // Bound first, then each scalar subquery joined in and replaced by its
    // column: the binder leaves subqueries alone, and the column it adds is
    // in the local row's coordinates.
    if (!correlation || !correlation->outer) {
      kept.push_back(withScalarSubqueries(rel, bindNames(p, rel.scope())));
      continue;
    }
    bool usesOuter = false;
    const ExprPtr b = bindCorrelated(p, correlation->outer->scope(), rel.scope(), usesOuter);
    if (usesOuter) {
      correlation->predicates.push_back(b);
    } else {
      const ExprPtr local = shiftColumns(b, static_cast<int>(correlation->outer->width()));
      kept.push_back(withScalarSubqueries(rel, local));
    }
  }
  if (!kept.empty()) rel.df = rel.df.filter(Column(allOf(kept)));
  return withoutColumnsFrom(std::move(rel), width);
}

Relation QueryPlanner::semiJoined(Relation rel, const Expr& subquery, bool anti) {
  Correlation correlation{&rel, {}, {}};
  const Relation inner = query(*subquery.subquery, &correlation);
  std::vector<ExprPtr> condition = correlation.condition;
  if (subquery.name == "in") {
    const size_t outputs = inner.width() - static_cast<size_t>(std::count_if(
                                               inner.columns.begin(), inner.columns.end(),
                                               [](const RelationColumn& c) { return c.hidden; }));
    if (outputs != subquery.children.size())
      throw AnalysisException("[IN_SUBQUERY_LENGTH_MISMATCH] The IN subquery returns " +
                              std::to_string(outputs) + " columns where " +
                              std::to_string(subquery.children.size()) + " are compared");
    for (size_t i = 0; i < outputs; ++i)
      condition.push_back(makeBinary(Op::kEq, bindNames(subquery.children[i], rel.scope()),
                                     boundAs(boundColumn(inner.df.schema(), i), rel.width() + i)));
  }
  const ExprPtr on = condition.empty() ? makeLiteral(Value::boolean(true)) : allOf(condition);
  rel.df = rel.df.join(inner.df, Column(on), anti ? "left_anti" : "left_semi");
  return rel;
}

ExprPtr QueryPlanner::withScalarSubqueries(Relation& rel, const ExprPtr& e) {
  if (e->kind == ExprKind::kSubquery && e->name == "scalar") {
    Correlation correlation{&rel, {}, {}};
    const Relation value = query(*e->subquery, &correlation);
    if (value.width() != 1 + correlation.condition.size())
      throw AnalysisException(
          "[SCALAR_SUBQUERY_TOO_MANY_COLUMNS] A scalar subquery must return one column: " +
          std::to_string(value.width() - correlation.condition.size()));
    const size_t at = rel.width();
    rel.df = correlation.condition.empty()
                 ? rel.df.crossJoin(functions::broadcast(value.df))
                 : rel.df.join(value.df, Column(allOf(correlation.condition)), "left");
    for (size_t i = 0; i < value.width(); ++i)
      rel.columns.push_back({{}, value.df.schema()[i].name, true});
    return boundColumn(rel.df.schema(), at);
  }
  if (e->children.empty() || e->kind == ExprKind::kSubquery) return e;
  auto copy = std::make_shared<Expr>(*e);
  for (ExprPtr& c : copy->children) c = withScalarSubqueries(rel, c);
  return copy;
}

void QueryPlanner::failAt(const TableRef& ref, const std::string& message) const {
  const TextPosition at = positionOf(sql_, ref.offset);
  throw AnalysisException(message + "; line " + std::to_string(at.line) + " pos " +
                          std::to_string(at.pos));
}

}  // namespace ember::sql
