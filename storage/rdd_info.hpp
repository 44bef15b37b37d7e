#pragma once
// RDDInfo: what the block manager holds of one persisted RDD, for users.

#include <cstdint>
#include <ostream>
#include <string>

#include "storage/storage_level.hpp"

namespace ember {

/// One persisted RDD's storage status, as Spark's RDDInfo (what
/// Context::getRDDStorageInfo() returns and the Storage tab shows).
struct RDDInfo {
  int id = 0;
  std::string name;      ///< Spark's class name of the RDD: MapPartitionsRDD, ...
  std::string callSite;  ///< "map at job.cpp:12"
  StorageLevel storageLevel;
  int numCachedPartitions = 0;
  int numPartitions = 0;
  int64_t memSize = 0;   ///< bytes in memory: estimated for objects, exact when serialized
  int64_t diskSize = 0;  ///< bytes on disk

  bool isCached() const { return memSize + diskSize > 0 && numCachedPartitions > 0; }

  /// `RDD "MapPartitionsRDD" (3) StorageLevel: Memory Deserialized 1x
  /// Replicated; CachedPartitions: 4; TotalPartitions: 4; MemorySize: 1.5
  /// MiB; DiskSize: 0.0 B`
  std::string toString() const;
  friend std::ostream& operator<<(std::ostream& out, const RDDInfo& info) {
    return out << info.toString();
  }
};

/// A byte count as Spark prints it: "912.0 B", "3.5 KiB", "2.0 GiB" (a unit
/// is used from two of it on).
std::string bytesToString(int64_t bytes);

}  // namespace ember
