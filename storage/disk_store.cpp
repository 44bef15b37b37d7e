#include "storage/disk_store.hpp"

#include <climits>

namespace ember {

std::shared_ptr<SpillFile> DiskStore::newFile(const BlockId& id) const {
  return std::make_shared<SpillFile>(dir_->path(), id.name());
}

std::optional<DiskEntry> DiskStore::get(const BlockId& id) const {
  auto it = entries_.find(id);
  if (it == entries_.end()) return std::nullopt;
  return it->second;
}

int64_t DiskStore::sizeOf(const BlockId& id) const {
  auto it = entries_.find(id);
  return it == entries_.end() ? 0 : it->second.size;
}

StoreUsage DiskStore::usage(int rddId) const {
  StoreUsage usage;
  for (auto it = entries_.lower_bound({rddId, INT_MIN});
       it != entries_.end() && it->first.rddId == rddId; ++it) {
    ++usage.blocks;
    usage.bytes += it->second.size;
  }
  return usage;
}

std::vector<BlockId> DiskStore::blocksOf(int rddId) const {
  std::vector<BlockId> ids;
  for (auto it = entries_.lower_bound({rddId, INT_MIN});
       it != entries_.end() && it->first.rddId == rddId; ++it) {
    ids.push_back(it->first);
  }
  return ids;
}

}  // namespace ember
