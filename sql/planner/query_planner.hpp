#pragma once
// QueryPlanner: a parsed query into a DataFrame, built through the
// DataFrame API so that SQL and DataFrame calls give the same plans. Names
// are bound here, by SQL's scoping rules (sql/planner/expression_binder.hpp);
// subqueries in WHERE and HAVING become joins, as Spark's and DuckDB's
// optimizers rewrite them, never a query run per row:
//   EXISTS / IN (subquery)          a left semi join (NOT: left anti)
//   a correlated scalar subquery    a left join with it grouped by the
//                                   correlated columns
//   an uncorrelated scalar one      a cross join with its one row (broadcast)

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sql/parser/query_node.hpp"
#include "sql/planner/relation.hpp"

namespace ember {
class Session;
}

namespace ember::sql {

class QueryPlanner {
 public:
  /// `sql`: the statement's text, for the positions errors name.
  QueryPlanner(const Session& spark, std::string_view sql) : spark_(spark), sql_(sql) {}

  /// The query as a DataFrame, analyzed; throws AnalysisException for an
  /// unknown table, column or function, before any job runs.
  DataFrame plan(const QueryNode& q);

 private:
  struct Correlation;
  struct Output;

  Relation query(const QueryNode& q, Correlation* correlation);
  Relation setOperation(const QueryNode& q);
  Relation select(const QueryNode& q, Correlation* correlation);
  Relation aggregated(const Relation& in, const QueryNode& q, const std::vector<ExprPtr>& items,
                      Correlation* correlation);
  Relation finish(const Relation& in, const Output& out, const QueryNode& q);

  Relation from(const std::vector<TableRefPtr>& relations);
  Relation relation(const TableRef& ref);
  Relation table(const TableRef& ref);
  Relation joined(const TableRef& ref);
  Relation joinedUsing(const Relation& left, const Relation& right, const TableRef& ref);

  /// `rel`'s rows where `condition` holds, its subqueries joined in; in a
  /// correlated subquery, the parts reading the enclosing query's columns
  /// go to `correlation` instead.
  Relation filtered(Relation rel, const ExprPtr& condition, Correlation* correlation);
  Relation semiJoined(Relation rel, const Expr& subquery, bool anti);
  ExprPtr withScalarSubqueries(Relation& rel, const ExprPtr& e);

  [[noreturn]] void failAt(const TableRef& ref, const std::string& message) const;

  const Session& spark_;
  std::string_view sql_;
  /// WITH's queries in scope, the innermost last.
  std::vector<std::pair<std::string, Relation>> ctes_;
};

}  // namespace ember::sql
