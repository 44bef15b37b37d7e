#pragma once
// BlockManager: an executor's cached partitions, in memory and on disk.

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "storage/block_frame.hpp"
#include "storage/block_id.hpp"
#include "storage/block_values.hpp"
#include "storage/disk_store.hpp"
#include "storage/memory_manager.hpp"
#include "storage/memory_store.hpp"
#include "storage/rdd_block_status.hpp"
#include "storage/scratch_dir.hpp"
#include "storage/spill_file.hpp"
#include "storage/storage_level.hpp"

namespace ember {

/// The blocks (cached partitions) of an executor: a MemoryStore paid for
/// with the storage share of the unified MemoryManager, evicted least
/// recently used first, and a DiskStore under ember.local.dir.
///
/// A block is written once, by the one task that holds its write lock:
/// getOrLock() gives a task either the block or the lock, and makes every
/// other task asking for the same block wait until the writer has stored it
/// (or given up), so that a partition is computed once even when several
/// tasks need it at the same time. A block being read from memory is
/// pinned: eviction passes it over.
///
/// Memory is freed for others in two ways, as in Spark: a block being built
/// may evict blocks of *other* RDDs (never of its own, which would only
/// trade one partition for another), and execution may evict any block down
/// to the storage region (evict(), registered with the MemoryManager).
/// Either way a block whose level uses disk moves to disk; the others are
/// dropped, to be recomputed from lineage when next needed.
///
/// Thread safety: every method may be called concurrently. Listeners are
/// called without the manager's locks held.
class BlockManager {
 public:
  /// Told of every change of a block: where it is now and its sizes; a
  /// removed or dropped block has level NONE and sizes 0.
  using UpdateListener =
      std::function<void(const BlockId&, const StorageLevel&, int64_t memSize, int64_t diskSize)>;

  BlockManager(MemoryManager& memory, ScratchDir& dir, Codec codec, UpdateListener listener = {});
  ~BlockManager();
  BlockManager(const BlockManager&) = delete;
  BlockManager& operator=(const BlockManager&) = delete;

  /// How serialized blocks are compressed.
  Codec codec() const { return codec_; }

  /// A stored block, pinned in memory (if it is there) while the handle lives.
  class ReadHandle {
   public:
    ReadHandle(ReadHandle&& other) noexcept;
    ReadHandle& operator=(ReadHandle&&) = delete;
    ~ReadHandle();
    /// The block in memory, or null when it is on disk.
    const MemoryEntry* memory() const { return memory_ ? &*memory_ : nullptr; }
    const DiskEntry* disk() const { return disk_ ? &*disk_ : nullptr; }

   private:
    friend class BlockManager;
    ReadHandle(BlockManager* owner, BlockId id, std::optional<MemoryEntry> memory,
               std::optional<DiskEntry> disk)
        : owner_(owner), id_(id), memory_(std::move(memory)), disk_(std::move(disk)) {}
    BlockManager* owner_;
    BlockId id_;
    std::optional<MemoryEntry> memory_;
    std::optional<DiskEntry> disk_;
  };

  /// The duty to compute a missing block and store it with one of the put
  /// methods. Destroyed without a put (the task failed, or the block did
  /// not fit anywhere its level allows), it lets the next task try.
  class WriteHandle {
   public:
    WriteHandle(WriteHandle&& other) noexcept;
    WriteHandle& operator=(WriteHandle&&) = delete;
    ~WriteHandle();

    /// Records as objects, paid for by `reservedBytes` the caller got from
    /// reserveUnroll(); the block owns them from now on.
    void putValues(StorageLevel level, std::shared_ptr<const BlockValues> values,
                   int64_t reservedBytes);
    /// Encoded frames in memory, paid for by `reservedBytes` (their size).
    void putFrames(StorageLevel level, std::vector<std::string> frames, int64_t reservedBytes);
    /// Frames in a file from newDiskFile().
    void putDisk(StorageLevel level, std::shared_ptr<SpillFile> file,
                 std::vector<FrameLocation> frames);

   private:
    friend class BlockManager;
    WriteHandle(BlockManager* owner, BlockId id, uint64_t epoch)
        : owner_(owner), id_(id), epoch_(epoch) {}
    BlockManager* owner_;
    BlockId id_;
    uint64_t epoch_;
  };

  /// Either the stored block, or the write lock on it (it is missing and the
  /// caller must compute it); waits while another task holds that lock.
  /// Neither when the calling thread holds the lock itself (a task reading
  /// a partition twice at once, as x.zip(x) may): it then computes the
  /// partition without storing it.
  struct Lookup {
    std::optional<ReadHandle> found;
    std::optional<WriteHandle> toWrite;
  };
  Lookup getOrLock(const BlockId& id);

  bool contains(const BlockId& id) const;

  /// Storage memory for a block being built. When it is not free, blocks of
  /// other RDDs are evicted for it, if that frees enough; false otherwise.
  bool reserveUnroll(int64_t bytes, int rddId);
  void releaseUnroll(int64_t bytes);

  /// A new file for block `id`. Throws IoError naming the directory when
  /// ember.local.dir is not writable.
  std::shared_ptr<SpillFile> newDiskFile(const BlockId& id) const { return disk_.newFile(id); }

  /// Removes every block of the RDD from memory and disk (unpersist). A
  /// block being computed meanwhile is not stored.
  void removeRdd(int rddId);
  /// Removes one block from memory and disk (it failed its checks).
  void removeBlock(const BlockId& id);

  RddBlockStatus rddStatus(int rddId) const;
  MemoryManager& memory() const { return memory_.memory(); }

  /// Frees up to `bytes` of storage memory, least recently used blocks
  /// first, moving blocks whose level uses disk there; returns the bytes
  /// freed. The MemoryManager calls it when execution needs memory back.
  int64_t evict(int64_t bytes);

 private:
  struct Update {
    BlockId id;
    StorageLevel level;
    int64_t memSize;
    int64_t diskSize;
  };

  int64_t freeMemory(int64_t bytes, std::optional<int> spareRdd, bool allOrNothing);
  uint64_t epochLocked(int rddId) const;
  void unlockWrite(const BlockId& id);
  void unpin(const BlockId& id);
  void publish(const std::vector<Update>& updates) const;
  Update statusLocked(const BlockId& id) const;

  const Codec codec_;
  const UpdateListener listener_;
  mutable std::mutex mutex_;
  std::condition_variable written_;
  MemoryStore memory_;
  DiskStore disk_;
  std::map<BlockId, std::thread::id> writers_;  // write locks, by holder
  std::map<BlockId, int> pins_;                 // readers of blocks in memory
  std::map<int, uint64_t> epochs_;              // per RDD, bumped by removeRdd
};

}  // namespace ember
