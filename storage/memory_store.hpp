#pragma once
// MemoryStore: the cached blocks an executor holds in memory, in LRU order.

#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "storage/block_id.hpp"
#include "storage/block_values.hpp"
#include "storage/memory_manager.hpp"
#include "storage/storage_level.hpp"

namespace ember {

/// A block held in memory: its records as objects, or serialized as encoded
/// block frames (lz4 and checksummed, as on disk).
struct MemoryEntry {
  std::shared_ptr<const BlockValues> values;               ///< set when deserialized
  std::shared_ptr<const std::vector<std::string>> frames;  ///< set when serialized
  /// Storage memory the block holds: estimated (estimateSize) for objects,
  /// exact for frames.
  int64_t size = 0;
  StorageLevel level;
};

/// Per RDD: how many of its blocks a store holds and their bytes.
struct StoreUsage {
  int blocks = 0;
  int64_t bytes = 0;
};

/// Blocks in memory, each paid for with storage memory of the executor's
/// MemoryManager: the caller reserves the bytes while it builds a block
/// (Spark's unroll memory) and hands them over with put(); remove() gives
/// them back. get() marks a block most recently used; leastRecentlyUsed()
/// is the eviction order.
///
/// Thread safety: none; the BlockManager calls it under its lock.
class MemoryStore {
 public:
  explicit MemoryStore(MemoryManager& memory) : memory_(&memory) {}
  /// Gives the memory of every block back.
  ~MemoryStore();
  MemoryStore(const MemoryStore&) = delete;
  MemoryStore& operator=(const MemoryStore&) = delete;

  /// Reserves storage memory for a block being built, if free; never evicts.
  bool reserve(int64_t bytes) { return bytes <= 0 || memory_->acquireStorage(bytes); }
  void release(int64_t bytes) {
    if (bytes > 0) memory_->releaseStorage(bytes);
  }
  MemoryManager& memory() const { return *memory_; }

  /// Stores a block whose entry.size bytes the caller reserved; the store
  /// owns them from now on. REQUIRES: `id` is not stored.
  void put(const BlockId& id, MemoryEntry entry);
  /// The block, now the most recently used; nullopt when not held.
  std::optional<MemoryEntry> get(const BlockId& id);
  /// The block without touching the LRU order; null when not held.
  const MemoryEntry* peek(const BlockId& id) const {
    auto it = entries_.find(id);
    return it == entries_.end() ? nullptr : &it->second.entry;
  }
  bool contains(const BlockId& id) const { return entries_.contains(id); }
  /// Removes the block and releases its memory; the entry removed, if any.
  std::optional<MemoryEntry> remove(const BlockId& id);

  /// Every block, least recently used first.
  std::vector<BlockId> leastRecentlyUsed() const { return {lru_.begin(), lru_.end()}; }
  int64_t sizeOf(const BlockId& id) const;
  StoreUsage usage(int rddId) const;
  /// Blocks of the RDD held here.
  std::vector<BlockId> blocksOf(int rddId) const;

 private:
  struct Slot {
    MemoryEntry entry;
    std::list<BlockId>::iterator lruPosition;
  };

  MemoryManager* memory_;
  std::list<BlockId> lru_;  // least recently used first
  std::map<BlockId, Slot> entries_;
};

}  // namespace ember
