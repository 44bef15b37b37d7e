#include "storage/rdd_info.hpp"

#include <cstdio>

namespace ember {

std::string bytesToString(int64_t bytes) {
  static constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  double value = static_cast<double>(bytes);
  size_t unit = 0;
  while (unit + 1 < std::size(kUnits) && value >= 2048.0) {
    value /= 1024.0;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof text, "%.1f %s", value, kUnits[unit]);
  return text;
}

std::string RDDInfo::toString() const {
  return "RDD \"" + name + "\" (" + std::to_string(id) +
         ") StorageLevel: " + storageLevel.description() +
         "; CachedPartitions: " + std::to_string(numCachedPartitions) +
         "; TotalPartitions: " + std::to_string(numPartitions) +
         "; MemorySize: " + bytesToString(memSize) + "; DiskSize: " + bytesToString(diskSize);
}

}  // namespace ember
