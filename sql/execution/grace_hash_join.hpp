#pragma once
// GraceHashJoin: one partition of a shuffled hash join, within the task's
// execution memory.

#include <functional>
#include <memory>
#include <vector>

#include "rdd/detail/runtime.hpp"
#include "scheduler/task_metrics.hpp"
#include "sql/execution/hash_join.hpp"
#include "storage/memory_reservation.hpp"
#include "storage/record_frames.hpp"

namespace ember::sql {

/// The build side is held in memory while it fits, then indexed and
/// probed by the streamed side as it comes. When it does not fit, both
/// sides are cut into buckets by another hash of their keys and written to
/// disk, and the buckets are joined one at a time (the grace hash join),
/// recursively for a bucket still too large. Equal keys share a bucket, so
/// every join type's unmatched rows are found bucket by bucket.
class GraceHashJoin {
 public:
  using Output = std::function<void(Batch&&)>;

  GraceHashJoin(std::shared_ptr<const JoinSpec> spec, const detail::Runtime& rt,
                TaskMetrics& metrics, int depth = 0);
  ~GraceHashJoin();

  void addBuild(const Batch& b);
  /// Call after the last addBuild(): joined rows may go to `out` at once.
  void addProbe(const Batch& b, const Output& out);
  /// Passes the rest of the joined rows (unmatched build rows, spilled
  /// buckets) to `out`.
  void finish(const Output& out);

 private:
  struct Buckets;
  void startProbing();
  void spill();

  static constexpr int kBuckets = 16;
  static constexpr int kMaxDepth = 3;
  static constexpr int64_t kMinSpillBytes = int64_t{1} << 20;

  std::shared_ptr<const JoinSpec> spec_;
  const detail::Runtime& rt_;
  TaskMetrics& metrics_;
  int depth_;
  MemoryReservation reservation_;
  std::vector<Batch> pending_;  ///< the build side, until it is indexed
  std::unique_ptr<HashJoinProber> prober_;
  std::vector<Batch> produced_;
  int64_t bytes_ = 0;
  std::unique_ptr<Buckets> buckets_;  ///< once spilled
};

}  // namespace ember::sql
