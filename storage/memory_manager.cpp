#include "storage/memory_manager.hpp"

#include <algorithm>

namespace ember {

MemoryManager::MemoryManager(int64_t poolBytes, double storageFraction, int slots)
    : pool_(poolBytes),
      storageRegion_(static_cast<int64_t>(static_cast<double>(poolBytes) * storageFraction)),
      slots_(std::max(1, slots)) {}

int64_t MemoryManager::acquireExecution(int64_t bytes, int64_t held) {
  const int64_t wanted = std::clamp<int64_t>(maxTaskExecutionBytes() - held, 0, bytes);
  if (wanted == 0) return 0;
  int64_t shortfall = 0;
  {
    std::lock_guard lock(mutex_);
    const int64_t evictable = std::max<int64_t>(0, storageUsed_ - storageRegion_);
    shortfall = std::min(wanted - freeLocked(), evictable);
  }
  if (shortfall > 0) evict(shortfall);
  std::lock_guard lock(mutex_);
  const int64_t granted = std::clamp<int64_t>(freeLocked(), 0, wanted);
  executionUsed_ += granted;
  return granted;
}

void MemoryManager::releaseExecution(int64_t bytes) {
  std::lock_guard lock(mutex_);
  executionUsed_ -= bytes;
}

bool MemoryManager::acquireStorage(int64_t bytes) {
  std::lock_guard lock(mutex_);
  if (bytes > freeLocked()) return false;
  storageUsed_ += bytes;
  return true;
}

void MemoryManager::releaseStorage(int64_t bytes) {
  std::lock_guard lock(mutex_);
  storageUsed_ -= bytes;
}

void MemoryManager::addEvictor(Evictor evictor) {
  std::lock_guard lock(mutex_);
  evictors_.push_back(std::move(evictor));
}

int64_t MemoryManager::executionUsed() const {
  std::lock_guard lock(mutex_);
  return executionUsed_;
}

int64_t MemoryManager::storageUsed() const {
  std::lock_guard lock(mutex_);
  return storageUsed_;
}

int64_t MemoryManager::evict(int64_t bytes) {
  std::vector<Evictor> evictors;
  {
    std::lock_guard lock(mutex_);
    evictors = evictors_;
  }
  int64_t freed = 0;
  for (const Evictor& evictor : evictors) {
    if (freed >= bytes) break;
    freed += evictor(bytes - freed);
  }
  return freed;
}

}  // namespace ember
