#pragma once
// DiskStore: the cached blocks an executor holds in files under ember.local.dir.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "storage/block_id.hpp"
#include "storage/memory_store.hpp"
#include "storage/scratch_dir.hpp"
#include "storage/spill_file.hpp"
#include "storage/storage_level.hpp"

namespace ember {

/// A block on disk: a file of block frames (the same checked, lz4 frames as
/// spill files), removed when the last reader drops it.
struct DiskEntry {
  std::shared_ptr<const SpillFile> file;
  std::vector<FrameLocation> frames;
  int64_t size = 0;  ///< bytes on disk
  StorageLevel level;
};

/// One file per block, `rdd_<id>_<partition>-N.data` in the context's
/// scratch directory. A removed block's file disappears once no reader holds
/// it.
///
/// Thread safety: newFile() may be called concurrently; the rest only under
/// the BlockManager's lock.
class DiskStore {
 public:
  explicit DiskStore(ScratchDir& dir) : dir_(&dir) {}

  /// A new, empty file for block `id`. Throws IoError naming the directory
  /// (ember.local.dir) when it cannot be created.
  std::shared_ptr<SpillFile> newFile(const BlockId& id) const;

  /// REQUIRES: `id` is not stored.
  void put(const BlockId& id, DiskEntry entry) { entries_.insert_or_assign(id, std::move(entry)); }
  std::optional<DiskEntry> get(const BlockId& id) const;
  bool contains(const BlockId& id) const { return entries_.contains(id); }
  bool remove(const BlockId& id) { return entries_.erase(id) > 0; }
  int64_t sizeOf(const BlockId& id) const;
  StoreUsage usage(int rddId) const;
  std::vector<BlockId> blocksOf(int rddId) const;

 private:
  ScratchDir* dir_;
  std::map<BlockId, DiskEntry> entries_;
};

}  // namespace ember
