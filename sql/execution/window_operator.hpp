#pragma once
// WindowOperator: Spark's Window exec over a partition's rows sorted by
// (partition keys, order keys): each window expression of one Window node
// computed a chunk of whole window partitions at a time.

#include <functional>
#include <string>
#include <vector>

#include "rdd/detail/runtime.hpp"
#include "sql/plan/logical_plan.hpp"
#include "storage/memory_reservation.hpp"

namespace ember::sql {

/// How one window expression computes (from its resolved kWindow).
struct WindowCall;

/// Takes the sorted batches of one task, cuts them into chunks of whole
/// window partitions (at least kBatchRows rows unless the input ends) and
/// emits each chunk's rows with the window columns after the input's.
/// The functions run as typed loops over the whole chunk: no call per row.
/// A chunk holds its window partitions whole, so the largest partition
/// must fit in memory (its bytes are reserved from the task's budget; the
/// sort before it spills).
///
/// Not thread-safe: one per task.
class WindowOperator {
 public:
  /// `window`: a kWindow plan node (analyzed, optimized).
  WindowOperator(const LogicalPlan& window, const detail::Runtime& rt);
  ~WindowOperator();

  void add(const Batch& b, const std::function<void(Batch&&)>& out);
  void finish(const std::function<void(Batch&&)>& out);

 private:
  /// Computes and passes on the first `rows` held rows.
  void cut(size_t rows, const std::function<void(Batch&&)>& out);
  Batch compute(const Batch& chunk) const;

  std::vector<ExprPtr> partitionOrders_;  ///< the partition keys, ascending
  std::vector<ExprPtr> orders_;
  std::vector<WindowCall> calls_;
  MemoryReservation reservation_;
  std::vector<Batch> held_;
  size_t heldRows_ = 0;
  int64_t heldBytes_ = 0;
  /// Where the last (maybe unfinished) window partition held starts.
  size_t openStart_ = 0;
  std::string lastKey_;
};

}  // namespace ember::sql
