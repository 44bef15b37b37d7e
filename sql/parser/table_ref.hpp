#pragma once
// TableRef: a relation of a FROM clause as parsed: a table or view name, a
// subquery, or a join of two relations.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sql/expression/expression.hpp"
#include "sql/plan/join_type.hpp"

namespace ember::sql {

struct QueryNode;  // sql/parser/query_node.hpp

enum class TableRefKind : uint8_t { kTable, kSubquery, kJoin };

struct TableRef;
using TableRefPtr = std::shared_ptr<const TableRef>;

struct TableRef {
  TableRefKind kind = TableRefKind::kTable;
  std::string name;                        ///< kTable: as written, "db.t" included
  std::string alias;                       ///< AS alias, or empty
  std::vector<std::string> columnAliases;  ///< alias(a, b): the columns renamed
  std::shared_ptr<const QueryNode> query;  ///< kSubquery
  TableRefPtr left, right;                 ///< kJoin
  JoinType joinType = JoinType::kInner;    ///< kJoin
  ExprPtr condition;                       ///< kJoin: ON, or null
  std::vector<std::string> usingColumns;   ///< kJoin: USING (a, b)
  bool natural = false;                    ///< kJoin: NATURAL
  size_t offset = 0, length = 0;           ///< where the name is in the text
};

}  // namespace ember::sql
