#pragma once
// QueryNode: a parsed query, a SELECT block or a set operation of two
// queries, with its WITH, ORDER BY and LIMIT clauses. Its expressions are
// unresolved Exprs; the planner (sql/planner/) gives them meaning.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sql/expression/expression.hpp"
#include "sql/parser/table_ref.hpp"

namespace ember::sql {

enum class SetOperation : uint8_t { kNone, kUnion, kIntersect, kExcept };

struct QueryNode;
using QueryPtr = std::shared_ptr<const QueryNode>;

/// WITH name [(columns)] AS (query).
struct CommonTableExpr {
  std::string name;
  std::vector<std::string> columns;
  QueryPtr query;
};

struct QueryNode {
  // ---- A SELECT block (op == kNone) ----
  bool distinct = false;
  std::vector<ExprPtr> select;    ///< aliased items; `*` and `t.*` as kColumn
  std::vector<TableRefPtr> from;  ///< comma-separated relations, cross joined
  ExprPtr where;                  ///< or null
  std::vector<ExprPtr> groupBy;   ///< an integer literal is an ordinal of `select`
  ExprPtr having;                 ///< or null

  // ---- A set operation: left op right ----
  SetOperation op = SetOperation::kNone;
  bool all = false;  ///< UNION ALL, INTERSECT ALL, EXCEPT ALL
  QueryPtr left, right;

  // ---- Any query ----
  std::vector<CommonTableExpr> with;
  std::vector<ExprPtr> orderBy;  ///< kSortOrder
  std::optional<int64_t> limit;
};

}  // namespace ember::sql
