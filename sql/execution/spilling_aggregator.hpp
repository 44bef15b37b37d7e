#pragma once
// SpillingAggregator: a HashAggregator held within the task's execution
// memory, flushing or spilling when it would outgrow it.

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "rdd/detail/runtime.hpp"
#include "scheduler/task_metrics.hpp"
#include "sql/execution/hash_aggregator.hpp"
#include "storage/memory_reservation.hpp"
#include "storage/record_frames.hpp"

namespace ember::sql {

/// What one aggregation of a task needs to build its tables.
struct AggregationSpec {
  AggregateMode mode = AggregateMode::kPartial;
  std::vector<ExprPtr> keys;
  std::vector<DataType> keyTypes;
  std::vector<AggregateFunction> functions;
};

/// When the table would exceed the memory the task is granted:
/// - kPartial emits its groups' partial states at once and starts a new
///   table (the final aggregation merges them; as DuckDB's and Spark's
///   partial aggregations give up on reduction rather than memory);
/// - kFinal writes its groups' states to spill files, split into buckets
///   by a hash of the key, and starts a new table; at the end each bucket
///   is aggregated by itself (recursively, with another hash, should one
///   still not fit), so every key's states meet in one table.
class SpillingAggregator {
 public:
  using Output = std::function<void(Batch&&)>;

  SpillingAggregator(AggregationSpec spec, const detail::Runtime& rt, TaskMetrics& metrics,
                     int depth = 0);

  /// Adds `b`'s rows; a partial aggregation may pass groups to `out` now.
  void add(const Batch& b, const Output& out);
  /// Passes every remaining group to `out`.
  void finish(const Output& out);

 private:
  void newTable();
  void spill();
  void aggregateBucket(size_t bucket, const Output& out);

  static constexpr int kBuckets = 16;
  static constexpr int kMaxDepth = 4;
  /// Below this a table is not spilled, whatever the budget: spilling
  /// smaller ones costs more in files and passes than it saves.
  static constexpr int64_t kMinSpillBytes = int64_t{512} << 10;

  AggregationSpec spec_;
  const detail::Runtime& rt_;
  TaskMetrics& metrics_;
  int depth_;
  std::unique_ptr<HashAggregator> table_;
  MemoryReservation reservation_;
  std::vector<std::vector<Segment>> buckets_;
  std::shared_ptr<SpillFile> file_;
  std::vector<std::unique_ptr<FrameWriter<Batch>>> writers_;
  bool spilled_ = false;
};

}  // namespace ember::sql
