#include "storage/block_manager.hpp"

#include <algorithm>
#include <exception>
#include <utility>

namespace ember {

BlockManager::BlockManager(MemoryManager& memory, ScratchDir& dir, Codec codec,
                           UpdateListener listener)
    : codec_(codec), listener_(std::move(listener)), memory_(memory), disk_(dir) {}

BlockManager::~BlockManager() = default;

// ---- handles ----

BlockManager::ReadHandle::ReadHandle(ReadHandle&& other) noexcept
    : owner_(std::exchange(other.owner_, nullptr)),
      id_(other.id_),
      memory_(std::move(other.memory_)),
      disk_(std::move(other.disk_)) {}

BlockManager::ReadHandle::~ReadHandle() {
  if (owner_ && memory_) owner_->unpin(id_);
}

BlockManager::WriteHandle::WriteHandle(WriteHandle&& other) noexcept
    : owner_(std::exchange(other.owner_, nullptr)), id_(other.id_), epoch_(other.epoch_) {}

BlockManager::WriteHandle::~WriteHandle() {
  if (owner_) owner_->unlockWrite(id_);
}

void BlockManager::WriteHandle::putValues(StorageLevel level,
                                          std::shared_ptr<const BlockValues> values,
                                          int64_t reservedBytes) {
  BlockManager& bm = *std::exchange(owner_, nullptr);
  std::vector<Update> updates;
  {
    std::lock_guard lock(bm.mutex_);
    if (bm.epochLocked(id_.rddId) == epoch_) {
      bm.memory_.put(id_, {std::move(values), nullptr, reservedBytes, level});
      updates.push_back(bm.statusLocked(id_));
    } else {
      bm.memory_.release(reservedBytes);  // unpersisted meanwhile
    }
    bm.writers_.erase(id_);
  }
  bm.written_.notify_all();
  bm.publish(updates);
}

void BlockManager::WriteHandle::putFrames(StorageLevel level, std::vector<std::string> frames,
                                          int64_t reservedBytes) {
  BlockManager& bm = *std::exchange(owner_, nullptr);
  std::vector<Update> updates;
  {
    std::lock_guard lock(bm.mutex_);
    if (bm.epochLocked(id_.rddId) == epoch_) {
      bm.memory_.put(id_,
                     {nullptr, std::make_shared<const std::vector<std::string>>(std::move(frames)),
                      reservedBytes, level});
      updates.push_back(bm.statusLocked(id_));
    } else {
      bm.memory_.release(reservedBytes);
    }
    bm.writers_.erase(id_);
  }
  bm.written_.notify_all();
  bm.publish(updates);
}

void BlockManager::WriteHandle::putDisk(StorageLevel level, std::shared_ptr<SpillFile> file,
                                        std::vector<FrameLocation> frames) {
  BlockManager& bm = *std::exchange(owner_, nullptr);
  std::vector<Update> updates;
  {
    std::lock_guard lock(bm.mutex_);
    if (bm.epochLocked(id_.rddId) == epoch_) {
      const int64_t size = file->bytesWritten();
      bm.disk_.put(id_, {std::move(file), std::move(frames), size, level});
      updates.push_back(bm.statusLocked(id_));
    }
    bm.writers_.erase(id_);
  }
  bm.written_.notify_all();
  bm.publish(updates);
}

// ---- lookups ----

BlockManager::Lookup BlockManager::getOrLock(const BlockId& id) {
  std::unique_lock lock(mutex_);
  for (;;) {
    if (auto writer = writers_.find(id); writer != writers_.end()) {
      if (writer->second == std::this_thread::get_id()) return {};
      written_.wait(lock);
      continue;
    }
    if (std::optional<MemoryEntry> entry = memory_.get(id)) {
      ++pins_[id];
      return {ReadHandle(this, id, std::move(entry), std::nullopt), std::nullopt};
    }
    if (std::optional<DiskEntry> entry = disk_.get(id)) {
      return {ReadHandle(this, id, std::nullopt, std::move(entry)), std::nullopt};
    }
    writers_.emplace(id, std::this_thread::get_id());
    return {std::nullopt, WriteHandle(this, id, epochLocked(id.rddId))};
  }
}

bool BlockManager::contains(const BlockId& id) const {
  std::lock_guard lock(mutex_);
  return memory_.contains(id) || disk_.contains(id);
}

void BlockManager::unlockWrite(const BlockId& id) {
  {
    std::lock_guard lock(mutex_);
    writers_.erase(id);
  }
  written_.notify_all();
}

void BlockManager::unpin(const BlockId& id) {
  std::lock_guard lock(mutex_);
  auto it = pins_.find(id);
  if (it != pins_.end() && --it->second == 0) pins_.erase(it);
}

uint64_t BlockManager::epochLocked(int rddId) const {
  auto it = epochs_.find(rddId);
  return it == epochs_.end() ? 0 : it->second;
}

BlockManager::Update BlockManager::statusLocked(const BlockId& id) const {
  // As Spark's BlockStatus: the level says where the block is now.
  if (auto entry = disk_.get(id)) return {id, StorageLevel::DISK_ONLY, 0, entry->size};
  if (const MemoryEntry* entry = memory_.peek(id)) {
    return {id, entry->values ? StorageLevel::MEMORY_ONLY : StorageLevel::MEMORY_ONLY_SER,
            entry->size, 0};
  }
  return {id, StorageLevel::NONE, 0, 0};
}

void BlockManager::publish(const std::vector<Update>& updates) const {
  if (!listener_) return;
  for (const Update& u : updates) listener_(u.id, u.level, u.memSize, u.diskSize);
}

// ---- memory ----

bool BlockManager::reserveUnroll(int64_t bytes, int rddId) {
  if (memory_.reserve(bytes)) return true;
  const MemoryManager& mm = memory_.memory();
  const int64_t free = mm.poolBytes() - mm.executionUsed() - mm.storageUsed();
  freeMemory(bytes - std::max<int64_t>(0, free), rddId, true);
  return memory_.reserve(bytes);
}

void BlockManager::releaseUnroll(int64_t bytes) { memory_.release(bytes); }

int64_t BlockManager::evict(int64_t bytes) { return freeMemory(bytes, std::nullopt, false); }

int64_t BlockManager::freeMemory(int64_t bytes, std::optional<int> spareRdd, bool allOrNothing) {
  struct Victim {
    BlockId id;
    MemoryEntry entry;
    uint64_t epoch;
    std::optional<DiskEntry> disk;
  };
  std::vector<Victim> victims;
  {
    std::lock_guard lock(mutex_);
    int64_t found = 0;
    for (const BlockId& id : memory_.leastRecentlyUsed()) {
      if (found >= bytes) break;
      if ((spareRdd && id.rddId == *spareRdd) || pins_.contains(id) || writers_.contains(id)) {
        continue;
      }
      MemoryEntry entry = *memory_.peek(id);
      found += entry.size;
      victims.push_back({id, std::move(entry), epochLocked(id.rddId), std::nullopt});
    }
    if (victims.empty() || (allOrNothing && found < bytes)) return 0;
    // Write-locked while they move: readers wait for the block on disk.
    for (const Victim& v : victims) writers_.emplace(v.id, std::this_thread::get_id());
  }
  // Serializing and writing happen without the lock, so other tasks read
  // and store blocks meanwhile.
  size_t done = 0;
  try {
    for (; done < victims.size(); ++done) {
      Victim& v = victims[done];
      if (!v.entry.level.useDisk) continue;
      auto file = disk_.newFile(v.id);
      std::vector<FrameLocation> frames;
      if (v.entry.frames) {
        for (const std::string& frame : *v.entry.frames) frames.push_back(file->appendFrame(frame));
      } else {
        v.entry.values->serialize(
            [&](std::string_view payload) { frames.push_back(file->append(payload, codec_)); });
      }
      const int64_t size = file->bytesWritten();
      v.disk = DiskEntry{std::move(file), std::move(frames), size, v.entry.level};
    }
  } catch (...) {
    // The blocks not yet on disk stay in memory.
    {
      std::lock_guard lock(mutex_);
      for (const Victim& v : victims) writers_.erase(v.id);
    }
    written_.notify_all();
    throw;
  }
  int64_t freed = 0;
  std::vector<Update> updates;
  {
    std::lock_guard lock(mutex_);
    for (Victim& v : victims) {
      writers_.erase(v.id);
      if (memory_.remove(v.id)) freed += v.entry.size;
      if (v.disk && epochLocked(v.id.rddId) == v.epoch) disk_.put(v.id, std::move(*v.disk));
      updates.push_back(statusLocked(v.id));
    }
  }
  written_.notify_all();
  publish(updates);
  return freed;
}

// ---- removal and status ----

void BlockManager::removeRdd(int rddId) {
  std::vector<Update> updates;
  {
    std::lock_guard lock(mutex_);
    ++epochs_[rddId];
    for (const BlockId& id : memory_.blocksOf(rddId)) {
      memory_.remove(id);
      updates.push_back({id, StorageLevel::NONE, 0, 0});
    }
    for (const BlockId& id : disk_.blocksOf(rddId)) {
      disk_.remove(id);
      updates.push_back({id, StorageLevel::NONE, 0, 0});
    }
  }
  publish(updates);
}

void BlockManager::removeBlock(const BlockId& id) {
  {
    std::lock_guard lock(mutex_);
    const bool inMemory = memory_.remove(id).has_value();
    if (!disk_.remove(id) && !inMemory) return;
  }
  publish({{id, StorageLevel::NONE, 0, 0}});
}

RddBlockStatus BlockManager::rddStatus(int rddId) const {
  std::lock_guard lock(mutex_);
  const StoreUsage memory = memory_.usage(rddId);
  const StoreUsage disk = disk_.usage(rddId);
  return {memory.blocks + disk.blocks, memory.bytes, disk.bytes};
}

}  // namespace ember
