#include "storage/disk_store.hpp"

#include "storage/detail/blocks_of_rdd.hpp"

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
  detail::forEachBlockOf(entries_, rddId, [&](const BlockId&, const auto& value) {
    ++usage.blocks;
    usage.bytes += value.size;
  });
  return usage;
}

std::vector<BlockId> DiskStore::blocksOf(int rddId) const {
  return detail::blockIdsOf(entries_, rddId);
}

}  // namespace ember
