#pragma once
// BatchSorter: sorts a partition's batches by sort orders within the task's
// memory budget, spilling sorted runs and merging them (Spark's
// UnsafeExternalSorter, on columns).

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "rdd/detail/runtime.hpp"
#include "scheduler/task_metrics.hpp"
#include "sql/execution/row_gather.hpp"
#include "sql/execution/sort_keys.hpp"
#include "storage/memory_reservation.hpp"
#include "storage/record_frames.hpp"

namespace ember::sql {

/// Buffers batches and their normalized keys; sorts (prefix, batch, row)
/// entries rather than rows, and gathers the rows in order only when they
/// leave. When the task's execution memory runs out the buffer is sorted
/// and written to a spill file as a run of batches; finish() merges the
/// runs. Equal keys keep their input order.
///
/// With a limit (orderBy(...).limit(n): Spark's TakeOrderedAndProject)
/// only the first n rows are kept: the buffer is cut back to them each time
/// it holds a few times that many.
class BatchSorter {
 public:
  /// `orders`: resolved kSortOrder expressions over the batches' columns.
  /// `limit` < 0: no limit.
  BatchSorter(std::vector<ExprPtr> orders, const detail::Runtime& rt, TaskMetrics& metrics,
              int64_t limit = -1);

  void add(const Batch& b);
  /// Passes the rows in order, in batches of up to kBatchRows rows, to
  /// `out`, then leaves the sorter empty.
  void finish(const std::function<void(Batch&&)>& out);

 private:
  struct Entry {
    uint64_t prefix;
    uint32_t batch;
    uint32_t row;
  };
  struct Run;
  /// Below this the buffer is not spilled, whatever the budget: runs this
  /// small cost more in files and merge width than they save.
  static constexpr int64_t kMinSpillBytes = int64_t{512} << 10;

  bool less(const Entry& a, const Entry& b) const;
  void sortEntries();
  void checkMemory();
  /// Sorts the buffer and passes it on in batches, at most `limit` rows.
  void emitSorted(const std::function<void(Batch&&)>& out, int64_t limit);
  void spill();
  void cutToLimit();
  void merge(const std::function<void(Batch&&)>& out);
  void clear();

  std::vector<ExprPtr> orders_;
  const detail::Runtime& rt_;
  TaskMetrics& metrics_;
  int64_t limit_;
  MemoryReservation reservation_;
  std::vector<Batch> batches_;
  std::vector<SortKeys> keys_;
  std::vector<Entry> entries_;
  int64_t bytes_ = 0;
  std::vector<std::vector<Segment>> runs_;
  /// With a limit, once cut: the key of the last row kept.
  std::string cutoff_;
};

}  // namespace ember::sql
