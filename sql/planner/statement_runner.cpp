#include "sql/planner/statement_runner.hpp"

#include <optional>
#include <tuple>

#include "sql/catalog.hpp"
#include "sql/detail/session_state.hpp"
#include "sql/errors.hpp"
#include "sql/planner/query_planner.hpp"
#include "sql/session.hpp"

namespace ember::sql {

namespace {

using Strings = std::vector<std::tuple<std::string>>;

DataFrame emptyResult(const Session& spark) {
  return spark.createDataFrame(std::vector<Row>{}, StructType{});
}

void createView(const Session& spark, const Statement& s, const DataFrame& df) {
  if (s.ifExists && spark.catalog().tableExists((s.global ? "global_temp." : "") + s.name))
    return;  // CREATE ... IF NOT EXISTS
  if (s.global) {
    s.orReplace ? df.createOrReplaceGlobalTempView(s.name) : df.createGlobalTempView(s.name);
  } else {
    s.orReplace ? df.createOrReplaceTempView(s.name) : df.createTempView(s.name);
  }
}

DataFrame createTable(const Session& spark, const Statement& s) {
  if (s.location.empty())
    throw AnalysisException("CREATE TABLE " + s.name +
                            " needs a LOCATION: ember has no warehouse, its tables are files");
  DataFrameReader reader = spark.read().format(s.source);
  for (const auto& [k, v] : s.options) reader.option(k, v);
  if (!s.schema.empty()) reader.schema(s.schema);
  const DataFrame df = reader.load(s.location);
  if (s.ifExists && spark.catalog().tableExists(s.name)) return emptyResult(spark);
  if (!spark.state().views->create(s.name, ViewEntry{df.parsedPlan(), df.analyzedPlan(), false},
                                   false))
    throw AnalysisException(
        "[TABLE_OR_VIEW_ALREADY_EXISTS] Cannot create table `" + s.name +
        "` because it already exists. Choose a different name, or drop it first.");
  return emptyResult(spark);
}

DataFrame dropped(const Session& spark, const Statement& s) {
  const auto [views, name] = spark.state().viewsOf(s.name);
  if (!views->drop(name) && !s.ifExists)
    throw AnalysisException("[TABLE_OR_VIEW_NOT_FOUND] The table or view `" + s.name +
                            "` cannot be found; DROP ... IF EXISTS ignores a missing one");
  return emptyResult(spark);
}

DataFrame showTables(const Session& spark, const Statement& s) {
  std::vector<std::tuple<std::string, std::string, bool>> rows;
  for (const Catalog::Table& t : spark.catalog().listTables(s.name))
    rows.emplace_back(t.database, t.name, t.isTemporary);
  if (s.name.empty()) {
    for (const Catalog::Table& t : spark.catalog().listTables("global_temp"))
      rows.emplace_back(t.database, t.name, true);
  }
  return spark.createDataFrame(rows, {"namespace", "tableName", "isTemporary"});
}

DataFrame describe(const Session& spark, const Statement& s) {
  std::vector<std::tuple<std::string, std::string, std::optional<std::string>>> rows;
  for (const StructField& f : spark.table(s.name).schema().fields())
    rows.emplace_back(f.name, f.dataType.simpleString(), std::nullopt);
  return spark.createDataFrame(rows, {"col_name", "data_type", "comment"});
}

}  // namespace

DataFrame runStatement(const Session& spark, const Statement& s, std::string_view sql) {
  switch (s.kind) {
    case StatementKind::kQuery:
      return QueryPlanner(spark, sql).plan(*s.query);
    case StatementKind::kCreateView:
      createView(spark, s, QueryPlanner(spark, sql).plan(*s.query));
      return emptyResult(spark);
    case StatementKind::kCreateTable:
      return createTable(spark, s);
    case StatementKind::kDropView:
    case StatementKind::kDropTable:
      return dropped(spark, s);
    case StatementKind::kShowTables:
      return showTables(spark, s);
    case StatementKind::kDescribe:
      return describe(spark, s);
    case StatementKind::kExplain: {
      const DataFrame q = QueryPlanner(spark, sql).plan(*s.query);
      return spark.createDataFrame(Strings{{q.explainString(s.extended)}}, {"plan"});
    }
  }
  throw AnalysisException("unknown statement");
}

}  // namespace ember::sql
