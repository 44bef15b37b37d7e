#pragma once
// MemoryManager: the executor's memory budget, shared by execution and storage.

#include <cstdint>
#include <functional>
#include <mutex>
#include <vector>

namespace ember {

/// Spark's unified memory manager. The pool (ember.executor.memory times
/// ember.memory.fraction) is shared by execution (shuffle buffers,
/// aggregation tables, sort buffers of running tasks) and storage (map
/// outputs held in memory, cached partitions). Either side borrows what the
/// other leaves free; execution takes borrowed storage memory back by
/// evicting storage blocks (to disk or, for MEMORY_ONLY, dropping them) down
/// to the storage region (ember.memory.storageFraction of the pool). Storage
/// never evicts execution: a block that does not fit goes to disk instead.
///
/// Execution memory is shared fairly: a task may hold at most pool / slots,
/// so that one greedy task cannot starve the others into spilling.
///
/// Thread safety: every method may be called concurrently. Evictors are
/// called without the manager's lock held.
class MemoryManager {
 public:
  /// Frees up to `bytes` of storage memory (by calling releaseStorage) and
  /// returns how many it freed.
  using Evictor = std::function<int64_t(int64_t bytes)>;

  MemoryManager(int64_t poolBytes, double storageFraction, int slots);

  int64_t poolBytes() const { return pool_; }
  int64_t maxTaskExecutionBytes() const { return pool_ / slots_; }

  /// Grants up to `bytes` more execution memory to a task that holds `held`
  /// already; returns the bytes granted (possibly 0). May evict storage.
  int64_t acquireExecution(int64_t bytes, int64_t held);
  void releaseExecution(int64_t bytes);

  /// Reserves `bytes` of storage memory if they are free; never evicts.
  bool acquireStorage(int64_t bytes);
  void releaseStorage(int64_t bytes);

  /// Registers a store whose blocks execution may evict. Evictors are asked
  /// in registration order.
  void addEvictor(Evictor evictor);

  int64_t executionUsed() const;
  int64_t storageUsed() const;

 private:
  int64_t freeLocked() const { return pool_ - executionUsed_ - storageUsed_; }
  int64_t evict(int64_t bytes);

  const int64_t pool_;
  const int64_t storageRegion_;
  const int slots_;
  mutable std::mutex mutex_;
  int64_t executionUsed_ = 0;
  int64_t storageUsed_ = 0;
  std::vector<Evictor> evictors_;
};

}  // namespace ember
