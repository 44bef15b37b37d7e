#include "sql/session.hpp"

#include <algorithm>
#include <map>
#include <mutex>

#include "rdd/context.hpp"
#include "sql/detail/session_state.hpp"
#include "sql/parser/parser.hpp"
#include "sql/plan/existing_rdd.hpp"
#include "sql/plan/local_relation.hpp"
#include "sql/planner/statement_runner.hpp"

namespace ember {

namespace {

/// The global temporary views of the Sessions of `ctx`, made by the first.
std::shared_ptr<sql::TempViews> globalViewsOf(const Context& ctx) {
  static std::mutex mutex;
  static std::map<const Context*, std::weak_ptr<sql::TempViews>> byContext;
  std::lock_guard lock(mutex);
  std::weak_ptr<sql::TempViews>& known = byContext[&ctx];
  std::shared_ptr<sql::TempViews> views = known.lock();
  if (!views) known = views = std::make_shared<sql::TempViews>();
  return views;
}

}  // namespace

Session::Session(Context& ctx) : state_(std::make_shared<sql::SessionState>()) {
  state_->ctx = &ctx;
  state_->conf = std::make_shared<sql::SessionConf>(ctx.getConf());
  state_->globalViews = globalViewsOf(ctx);
}

DataFrame Session::sql(const std::string& sqlText) const {
  return sql::runStatement(*this, sql::parseStatement(sqlText), sqlText);
}

DataFrame Session::table(const std::string& name) const {
  const std::optional<sql::ViewEntry> view = state_->findView(name);
  if (!view)
    throw AnalysisException("[TABLE_OR_VIEW_NOT_FOUND] The table or view `" + name +
                            "` cannot be found. Verify the spelling, or create it first with "
                            "df.createOrReplaceTempView(\"" +
                            name + "\")");
  return DataFrame(state_, view->parsed, view->analyzed);
}

RuntimeConfig Session::conf() const { return RuntimeConfig(state_); }

Context& Session::sparkContext() const { return *state_->ctx; }

DataFrame Session::range(int64_t start, int64_t end, int64_t step, int numPartitions) const {
  if (step == 0) throw AnalysisException("range: step must not be 0");
  auto plan = std::make_shared<sql::LogicalPlan>();
  plan->kind = sql::PlanKind::kRange;
  plan->start = start;
  plan->end = end;
  plan->step = step;
  plan->numPartitions = numPartitions > 0 ? numPartitions : state_->ctx->defaultParallelism();
  plan->schema = StructType{{"id", DataType::bigint(), false}};
  return DataFrame(state_, plan, plan);
}

DataFrame Session::createDataFrame(const std::vector<Row>& rows, const StructType& schema) const {
  std::vector<std::vector<sql::Value>> values;
  values.reserve(rows.size());
  for (const Row& r : rows) {
    if (r.size() != schema.size())
      throw AnalysisException("createDataFrame: a row of " + std::to_string(r.size()) +
                              " fields for a schema of " + std::to_string(schema.size()) + ": " +
                              r.toString());
    std::vector<sql::Value> row;
    for (size_t i = 0; i < r.size(); ++i) row.push_back(r.value(i));
    values.push_back(std::move(row));
  }
  return fromValues(std::move(values), schema);
}

DataFrame Session::fromValues(std::vector<std::vector<sql::Value>> rows,
                              const StructType& schema) const {
  for (const auto& row : rows) {
    for (size_t c = 0; c < row.size(); ++c) {
      const DataType type = schema[c].dataType;
      if (!row[c].isNull() && row[c].type != type)
        throw AnalysisException("createDataFrame: field '" + schema[c].name + "' is " +
                                type.sqlName() + ", but a row holds " + row[c].type.sqlName() +
                                " " + row[c].toString());
      if (row[c].isNull() && !schema[c].nullable)
        throw AnalysisException("createDataFrame: field '" + schema[c].name +
                                "' is not nullable, but a row holds null");
    }
  }
  const int parts =
      std::max(1, std::min<int>(state_->ctx->defaultParallelism(), static_cast<int>(rows.size())));
  const sql::PlanPtr plan = sql::localRelation(rows, schema, parts);
  return DataFrame(state_, plan, plan);
}

DataFrame Session::fromBatches(Rdd<sql::Batch> batches, const StructType& schema) const {
  auto plan = std::make_shared<sql::LogicalPlan>();
  plan->kind = sql::PlanKind::kExistingRdd;
  plan->schema = schema;
  plan->existing = std::make_shared<const sql::ExistingRdd>(sql::ExistingRdd{std::move(batches)});
  plan->numPartitions = plan->existing->batches.getNumPartitions();
  return DataFrame(state_, plan, plan);
}

}  // namespace ember
