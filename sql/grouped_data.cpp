#include "sql/grouped_data.hpp"

#include <map>

#include "sql/errors.hpp"
#include "sql/execution/aggregate_function.hpp"
#include "sql/functions.hpp"
#include "sql/optimizer/distinct_aggregates.hpp"
#include "sql/plan/expression_resolver.hpp"
#include "sql/plan/generate.hpp"

namespace ember {

using sql::Expr;
using sql::ExprKind;
using sql::ExprPtr;

namespace {

/// The aggregate calls of an agg() list, each once, as the Aggregate node
/// computes them; the list's expressions refer to them by position.
struct AggregateCalls {
  const StructType& input;
  size_t groupCount;
  std::vector<ExprPtr> calls;        ///< resolved, aliased to their names
  std::vector<StructField> fields;   ///< their output columns
  std::map<std::string, size_t> at;  ///< by fingerprint

  /// `e` with each aggregate call replaced by a reference to its column of
  /// the Aggregate's output.
  ExprPtr extract(const ExprPtr& e) {
    if (e->kind == ExprKind::kAggregate) return reference(e);
    if (e->children.empty()) return e;
    auto copy = std::make_shared<Expr>(*e);
    for (ExprPtr& c : copy->children) c = extract(c);
    return copy;
  }

  ExprPtr reference(const ExprPtr& call) {
    auto args = std::make_shared<Expr>(*call);
    for (ExprPtr& c : args->children) {
      if (c->kind == ExprKind::kColumn && c->name == "*" && call->name == "count") {
        args->children.clear();  // count(*) counts rows
        break;
      }
      c = sql::resolveExpression(c, input);
      if (sql::isAggregateTree(*c))
        throw AnalysisException(
            "It is not allowed to use an aggregate function in the argument "
            "of another aggregate function: " +
            call->toString());
    }
    const ExprPtr resolved = sql::resolvedAggregate(args);
    const std::string name = resolved->toString();
    // By fingerprint, not name: sum(l.x) and sum(r.x) print alike.
    auto found = at.find(sql::fingerprint(*resolved));
    if (found == at.end()) {
      found = at.emplace(sql::fingerprint(*resolved), calls.size()).first;
      calls.push_back(sql::aliasAs(resolved, name));
      fields.push_back(StructField{name, resolved->type, resolved->nullable});
    }
    auto ref = std::make_shared<Expr>();
    ref->kind = ExprKind::kBound;
    ref->name = name;
    ref->index = static_cast<int>(groupCount + found->second);
    ref->type = resolved->type;
    ref->nullable = resolved->nullable;
    ref->resolved = true;
    return ref;
  }
};

}  // namespace

DataFrame GroupedData::agg(const std::vector<Column>& aggregates) const {
  const StructType& input = df_.schema();
  auto aggregate = std::make_shared<sql::LogicalPlan>();
  aggregate->kind = sql::PlanKind::kAggregate;
  aggregate->children = {df_.analyzed_};
  std::vector<StructField> fields;
  std::vector<Column> outputs;
  for (const Column& k : keys_) {
    sql::refuseGenerator(*k.expr());
    const ExprPtr key = sql::resolveExpression(k.expr(), input);
    if (sql::isAggregateTree(*key))
      throw AnalysisException("aggregate functions are not allowed in GROUP BY: " + k.toString());
    const std::string name = k.expr()->outputName();
    const bool named = key->kind == ExprKind::kBound || key->kind == ExprKind::kAlias;
    aggregate->exprs.push_back(named && key->name == name
                                   ? key
                                   : sql::resolveExpression(sql::makeAlias(k.expr(), name), input));
    fields.push_back(StructField{name, key->type, key->nullable});
    outputs.push_back(functions::col(name));
  }
  aggregate->groupCount = keys_.size();
  AggregateCalls calls{input, keys_.size(), {}, {}, {}};
  std::vector<ExprPtr> rewritten;
  for (const Column& a : aggregates) {
    sql::refuseGenerator(*a.expr());
    if (!sql::isAggregateTree(*a.expr()) && a.expr()->kind != ExprKind::kColumn)
      throw AnalysisException("'" + a.toString() +
                              "' is not an aggregate function; wrap it in "
                              "one (F::first, F::sum, ...) or add it to groupBy");
    rewritten.push_back(calls.extract(a.expr()));
  }
  sql::checkDistinctAggregates(calls.calls);
  for (const ExprPtr& c : calls.calls) aggregate->exprs.push_back(c);
  fields.insert(fields.end(), calls.fields.begin(), calls.fields.end());
  aggregate->schema = StructType(std::move(fields));
  // The outputs over the Aggregate's columns: keys by name, then each agg()
  // expression (a column that is not a key fails to resolve here).
  auto project = std::make_shared<sql::LogicalPlan>();
  project->kind = sql::PlanKind::kProject;
  project->children = {aggregate};
  std::vector<StructField> outFields;
  for (size_t i = 0; i < keys_.size(); ++i) {
    project->exprs.push_back(sql::resolveExpression(outputs[i].expr(), aggregate->schema));
    outFields.push_back(aggregate->schema[i]);
  }
  for (size_t i = 0; i < aggregates.size(); ++i) {
    ExprPtr e = sql::resolveExpression(rewritten[i], aggregate->schema);
    const std::string name = aggregates[i].expr()->outputName();
    const bool named = e->kind == ExprKind::kBound || e->kind == ExprKind::kAlias;
    if (!(named && e->name == name)) e = sql::aliasAs(e, name);
    project->exprs.push_back(e);
    outFields.push_back(StructField{name, e->type, e->nullable});
  }
  project->schema = StructType(std::move(outFields));
  auto parsed = std::make_shared<sql::LogicalPlan>();
  parsed->kind = sql::PlanKind::kAggregate;
  parsed->children = {df_.parsed_};
  for (const Column& k : keys_) parsed->exprs.push_back(k.expr());
  for (const Column& a : aggregates) parsed->exprs.push_back(a.expr());
  parsed->groupCount = keys_.size();
  return df_.derive(parsed, project);
}

DataFrame GroupedData::count() const { return agg({functions::count("*").alias("count")}); }

DataFrame GroupedData::each(const char* function, const std::vector<std::string>& columns) const {
  std::vector<Column> aggregates;
  for (const std::string& c : columns)
    aggregates.push_back(Column(sql::makeAggregate(function, {functions::col(c).expr()})));
  return agg(aggregates);
}

DataFrame GroupedData::sum(const std::vector<std::string>& columns) const {
  return each("sum", columns);
}
DataFrame GroupedData::avg(const std::vector<std::string>& columns) const {
  return each("avg", columns);
}
DataFrame GroupedData::min(const std::vector<std::string>& columns) const {
  return each("min", columns);
}
DataFrame GroupedData::max(const std::vector<std::string>& columns) const {
  return each("max", columns);
}

GroupedData DataFrame::groupBy(const std::vector<Column>& keys) const {
  return GroupedData(*this, keys);
}

GroupedData DataFrame::groupBy(const std::vector<std::string>& keys) const {
  std::vector<Column> columns;
  for (const std::string& k : keys) columns.push_back(functions::col(k));
  return GroupedData(*this, columns);
}

DataFrame DataFrame::agg(const std::vector<Column>& aggregates) const {
  return GroupedData(*this, {}).agg(aggregates);
}

}  // namespace ember
