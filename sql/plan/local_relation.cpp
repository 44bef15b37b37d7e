#include "sql/plan/local_relation.hpp"

#include "rdd/detail/parallel_collection_rdd.hpp"

namespace ember::sql {

PlanPtr localRelation(const std::vector<std::vector<Value>>& rows, const StructType& schema,
                      int partitions) {
  std::vector<DataType> types;
  for (const StructField& f : schema.fields()) types.push_back(f.dataType);
  auto data = std::make_shared<LocalData>();
  data->rows = static_cast<int64_t>(rows.size());
  data->partitions.resize(static_cast<size_t>(partitions));
  for (int p = 0; p < partitions; ++p) {
    const auto begin = static_cast<size_t>(detail::sliceStart(data->rows, p, partitions));
    const auto end = static_cast<size_t>(detail::sliceStart(data->rows, p + 1, partitions));
    BatchBuilder builder(types);
    for (size_t r = begin; r < end; ++r) {
      for (size_t c = 0; c < types.size(); ++c) appendValue(builder.column(c), rows[r][c]);
      builder.rowAppended();
      if (builder.full()) data->partitions[static_cast<size_t>(p)].push_back(builder.finish());
    }
    if (builder.rows() > 0) data->partitions[static_cast<size_t>(p)].push_back(builder.finish());
  }
  auto plan = std::make_shared<LogicalPlan>();
  plan->kind = PlanKind::kLocalRelation;
  plan->schema = schema;
  plan->local = std::move(data);
  plan->numPartitions = partitions;
  return plan;
}

}  // namespace ember::sql
