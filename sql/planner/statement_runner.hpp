#pragma once
// Running a parsed statement, as spark.sql does: a query becomes a lazy
// DataFrame; a command (CREATE VIEW, SHOW TABLES, DESCRIBE, EXPLAIN, ...)
// runs at once and returns its result as a small DataFrame.

#include <string_view>

#include "sql/data_frame.hpp"
#include "sql/parser/statement.hpp"

namespace ember {
class Session;
}

namespace ember::sql {

/// `statement`, parsed from `sql`, run in `spark`.
DataFrame runStatement(const Session& spark, const Statement& statement, std::string_view sql);

}  // namespace ember::sql
