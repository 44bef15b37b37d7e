#include "sql/session.hpp"

#include <algorithm>

#include "rdd/context.hpp"
#include "rdd/detail/parallel_collection_rdd.hpp"
#include "sql/detail/session_state.hpp"

namespace ember {

Session::Session(Context& ctx) : state_(std::make_shared<sql::SessionState>()) {
  state_->ctx = &ctx;
}

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
  std::vector<DataType> types;
  for (const StructField& f : schema.fields()) types.push_back(f.dataType);
  for (const auto& row : rows) {
    for (size_t c = 0; c < row.size(); ++c) {
      if (!row[c].isNull() && row[c].type != types[c])
        throw AnalysisException("createDataFrame: field '" + schema[c].name + "' is " +
                                types[c].sqlName() + ", but a row holds " + row[c].type.sqlName() +
                                " " + row[c].toString());
      if (row[c].isNull() && !schema[c].nullable)
        throw AnalysisException("createDataFrame: field '" + schema[c].name +
                                "' is not nullable, but a row holds null");
    }
  }
  auto data = std::make_shared<sql::LocalData>();
  const int parts =
      std::max(1, std::min<int>(state_->ctx->defaultParallelism(), static_cast<int>(rows.size())));
  data->rows = static_cast<int64_t>(rows.size());
  data->partitions.resize(static_cast<size_t>(parts));
  for (int p = 0; p < parts; ++p) {
    const auto begin = static_cast<size_t>(detail::sliceStart(data->rows, p, parts));
    const auto end = static_cast<size_t>(detail::sliceStart(data->rows, p + 1, parts));
    sql::BatchBuilder builder(types);
    for (size_t r = begin; r < end; ++r) {
      for (size_t c = 0; c < types.size(); ++c) appendValue(builder.column(c), rows[r][c]);
      builder.rowAppended();
      if (builder.full()) data->partitions[static_cast<size_t>(p)].push_back(builder.finish());
    }
    if (builder.rows() > 0) data->partitions[static_cast<size_t>(p)].push_back(builder.finish());
  }
  auto plan = std::make_shared<sql::LogicalPlan>();
  plan->kind = sql::PlanKind::kLocalRelation;
  plan->schema = schema;
  plan->local = std::move(data);
  plan->numPartitions = parts;
  return DataFrame(state_, plan, plan);
}

}  // namespace ember
