#pragma once
// Statement: one parsed SQL statement, a query or a command on the catalog.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "sql/parser/query_node.hpp"

namespace ember::sql {

enum class StatementKind : uint8_t {
  kQuery,        ///< `query`
  kCreateView,   ///< CREATE [OR REPLACE] [GLOBAL] TEMP VIEW name AS query
  kCreateTable,  ///< CREATE TABLE name [(schema)] USING source [OPTIONS (...)] [LOCATION path]
  kDropView,     ///< DROP VIEW [IF EXISTS] name
  kDropTable,    ///< DROP TABLE [IF EXISTS] name
  kShowTables,   ///< SHOW TABLES [IN database]
  kDescribe,     ///< DESCRIBE [TABLE] name
  kExplain,      ///< EXPLAIN [EXTENDED] query
};

struct Statement {
  StatementKind kind = StatementKind::kQuery;
  QueryPtr query;    ///< kQuery, kCreateView, kExplain
  std::string name;  ///< the view or table; kShowTables: the database, if given
  bool orReplace = false;
  bool global = false;    ///< GLOBAL TEMP VIEW
  bool ifExists = false;  ///< IF EXISTS, or (CREATE TABLE) IF NOT EXISTS
  bool extended = false;  ///< EXPLAIN EXTENDED
  std::string source;     ///< USING csv | json | text | parquet
  std::string schema;     ///< CREATE TABLE's columns as DDL, or empty
  std::vector<std::pair<std::string, std::string>> options;
  std::string location;
};

}  // namespace ember::sql
