#pragma once
// RddBlockStatus: what the block managers hold of one persisted RDD.

#include <cstdint>

namespace ember {

/// What one block manager, or several summed, hold of one RDD.
struct RddBlockStatus {
  int cachedPartitions = 0;
  int64_t memSize = 0;   ///< storage memory of its blocks in memory
  int64_t diskSize = 0;  ///< bytes of its blocks on disk

  RddBlockStatus& operator+=(const RddBlockStatus& other) {
    cachedPartitions += other.cachedPartitions;
    memSize += other.memSize;
    diskSize += other.diskSize;
    return *this;
  }
};

}  // namespace ember
