#include "storage/memory_store.hpp"

#include <climits>

namespace ember {

MemoryStore::~MemoryStore() {
  for (const auto& [id, slot] : entries_) release(slot.entry.size);
}

void MemoryStore::put(const BlockId& id, MemoryEntry entry) {
  lru_.push_back(id);
  entries_.insert_or_assign(id, Slot{std::move(entry), std::prev(lru_.end())});
}

std::optional<MemoryEntry> MemoryStore::get(const BlockId& id) {
  auto it = entries_.find(id);
  if (it == entries_.end()) return std::nullopt;
  lru_.splice(lru_.end(), lru_, it->second.lruPosition);
  return it->second.entry;
}

std::optional<MemoryEntry> MemoryStore::remove(const BlockId& id) {
  auto it = entries_.find(id);
  if (it == entries_.end()) return std::nullopt;
  MemoryEntry entry = std::move(it->second.entry);
  lru_.erase(it->second.lruPosition);
  entries_.erase(it);
  release(entry.size);
  return entry;
}

int64_t MemoryStore::sizeOf(const BlockId& id) const {
  auto it = entries_.find(id);
  return it == entries_.end() ? 0 : it->second.entry.size;
}

StoreUsage MemoryStore::usage(int rddId) const {
  StoreUsage usage;
  for (auto it = entries_.lower_bound({rddId, INT_MIN});
       it != entries_.end() && it->first.rddId == rddId; ++it) {
    ++usage.blocks;
    usage.bytes += it->second.entry.size;
  }
  return usage;
}

std::vector<BlockId> MemoryStore::blocksOf(int rddId) const {
  std::vector<BlockId> ids;
  for (auto it = entries_.lower_bound({rddId, INT_MIN});
       it != entries_.end() && it->first.rddId == rddId; ++it) {
    ids.push_back(it->first);
  }
  return ids;
}

}  // namespace ember
