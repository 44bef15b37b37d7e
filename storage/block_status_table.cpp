#include "storage/block_status_table.hpp"

namespace ember {

void BlockStatusTable::update(int executor, const BlockId& id, int64_t memSize, int64_t diskSize) {
  const Key key{id.rddId, id.partition, executor};
  std::lock_guard lock(mutex_);
  if (memSize == 0 && diskSize == 0)
    blocks_.erase(key);
  else
    blocks_[key] = RddBlockStatus{1, memSize, diskSize};
}

void BlockStatusTable::removeRdd(int rddId) {
  std::lock_guard lock(mutex_);
  blocks_.erase(blocks_.lower_bound(Key{rddId, 0, 0}), blocks_.lower_bound(Key{rddId + 1, 0, 0}));
}

void BlockStatusTable::removeExecutor(int executor) {
  std::lock_guard lock(mutex_);
  std::erase_if(blocks_,
                [executor](const auto& entry) { return std::get<2>(entry.first) == executor; });
}

RddBlockStatus BlockStatusTable::rddStatus(int rddId) const {
  RddBlockStatus sum;
  std::lock_guard lock(mutex_);
  for (auto it = blocks_.lower_bound(Key{rddId, 0, 0});
       it != blocks_.end() && std::get<0>(it->first) == rddId; ++it)
    sum += it->second;
  return sum;
}

std::vector<int> BlockStatusTable::holders(const BlockId& id) const {
  std::vector<int> executors;
  std::lock_guard lock(mutex_);
  for (auto it = blocks_.lower_bound(Key{id.rddId, id.partition, 0});
       it != blocks_.end() && std::get<0>(it->first) == id.rddId &&
       std::get<1>(it->first) == id.partition;
       ++it)
    executors.push_back(std::get<2>(it->first));
  return executors;
}

}  // namespace ember
