#pragma once
// BlockStatusTable: the driver's record of the blocks other processes hold.

#include <cstdint>
#include <map>
#include <mutex>
#include <tuple>
#include <vector>

#include "storage/block_id.hpp"
#include "storage/rdd_block_status.hpp"

namespace ember {

/// What the executors of a cluster report of their cached partitions, so
/// that the driver answers getRDDStorageInfo() and toDebugString() for the
/// whole job, as Spark's BlockManagerMaster does.
///
/// Thread safety: every method may be called from any thread.
class BlockStatusTable {
 public:
  /// Block `id` of `executor` now holds these bytes; zero and zero means
  /// it is gone.
  void update(int executor, const BlockId& id, int64_t memSize, int64_t diskSize);
  /// The RDD was unpersisted: forget its blocks before the executors'
  /// reports of their removal arrive.
  void removeRdd(int rddId);
  /// The executor was lost, and its blocks with it.
  void removeExecutor(int executor);
  /// Sum over every executor.
  RddBlockStatus rddStatus(int rddId) const;
  /// The executors holding block `id`.
  std::vector<int> holders(const BlockId& id) const;

 private:
  using Key = std::tuple<int, int, int>;  // rdd, partition, executor

  mutable std::mutex mutex_;
  std::map<Key, RddBlockStatus> blocks_;
};

}  // namespace ember
