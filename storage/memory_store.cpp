#include "storage/memory_store.hpp"

#include "storage/detail/blocks_of_rdd.hpp"

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
  detail::forEachBlockOf(entries_, rddId, [&](const BlockId&, const auto& value) {
    ++usage.blocks;
    usage.bytes += value.entry.size;
  });
  return usage;
}

std::vector<BlockId> MemoryStore::blocksOf(int rddId) const {
  return detail::blockIdsOf(entries_, rddId);
}

}  // namespace ember
