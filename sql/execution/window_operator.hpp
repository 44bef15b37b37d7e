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
struct WindowLayout;  // sql/execution/detail/window_kernels.hpp
struct Average;

/// Takes the sorted batches of one task, cuts them into chunks of whole
/// window partitions (at least kBatchRows rows unless the input ends) and
/// emits each chunk's rows with the window columns after the input's.
/// The functions run as typed loops over the whole chunk: no call per row.
/// When every function runs forward (ranks, row numbers, and count, sum,
/// min, max, avg and first over frames from the partition's start to the
/// current row) or has a bounded reach (lag, lead, ROWS frames of two
/// offsets), a long window partition streams: segments of it ending
/// before its last peer group (and the rows read ahead) are computed and
/// emitted; forward functions carry the results of a segment's last row
/// into the next, the others compute over the rows they reach around it.
/// Otherwise a chunk holds its window partitions whole, so the largest must
/// fit in memory (its bytes are reserved from the task's budget; the sort
/// spills).
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
  /// Held rows of one partition past which it streams, when it can.
  static constexpr size_t kStreamRows = 8 * kBatchRows;

  /// Where the held rows' window partitions and peer groups start.
  void markStarts(const Batch& b);
  /// Computes and passes on the first `rows` held rows: whole partitions,
  /// or (`segment`) the open partition's first rows.
  void cut(size_t rows, bool segment, const std::function<void(Batch&&)>& out);
  /// `ahead`: the held rows after a segment that calls reading ahead need.
  Batch compute(const Batch& chunk, const Batch& ahead, bool segment);
  WindowLayout layout(const Batch& rows) const;
  /// Call `k` of a forward-running kind over a segment or the rest of a
  /// streamed partition, carrying its results from the rows before.
  ColumnPtr carriedCall(size_t k, const Batch& chunk, const WindowLayout& l, bool carrying);

  std::vector<ExprPtr> partitionOrders_;  ///< the partition keys, ascending
  std::vector<ExprPtr> orders_;
  std::vector<WindowCall> calls_;
  MemoryReservation reservation_;
  std::vector<Batch> held_;
  size_t heldRows_ = 0;
  int64_t heldBytes_ = 0;
  /// Where the last (maybe unfinished) window partition held starts, and
  /// its last peer group (tracked when streaming is possible).
  size_t openStart_ = 0;
  size_t openPeerStart_ = 0;
  std::string lastKey_, lastOrderKey_;
  bool streamable_ = false;
  /// The streamed rows of the open partition: how many, and each call's
  /// result at the last of them (one-row columns).
  int64_t carriedRows_ = 0;
  std::vector<ColumnPtr> carried_;
  std::vector<Average> averages_;  ///< a running avg's sum and count instead
  /// The last streamed rows, as many as the calls that look back read.
  Batch context_;
  size_t contextRows_ = 0;
  /// The rows after a segment the calls that read ahead need.
  size_t aheadRows_ = 0;
};

}  // namespace ember::sql
