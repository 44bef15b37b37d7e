#pragma once
// StorageLevel: where the partitions of a persisted RDD are kept.

#include <string>

namespace ember {

/// Spark's storage levels: in memory as objects, serialized, on disk, or a
/// combination. NONE means not persisted.
struct StorageLevel {
  bool useDisk = false;
  bool useMemory = false;
  bool deserialized = false;

  static const StorageLevel NONE;
  static const StorageLevel MEMORY_ONLY;
  static const StorageLevel MEMORY_ONLY_SER;
  static const StorageLevel MEMORY_AND_DISK;
  static const StorageLevel MEMORY_AND_DISK_SER;
  static const StorageLevel DISK_ONLY;

  bool isValid() const { return useDisk || useMemory; }
  friend bool operator==(const StorageLevel&, const StorageLevel&) = default;

  /// As Spark prints it in toDebugString: "Memory Deserialized 1x Replicated",
  /// or "" for NONE.
  std::string description() const;
};

inline const StorageLevel StorageLevel::NONE{};
inline const StorageLevel StorageLevel::MEMORY_ONLY{false, true, true};
inline const StorageLevel StorageLevel::MEMORY_ONLY_SER{false, true, false};
inline const StorageLevel StorageLevel::MEMORY_AND_DISK{true, true, true};
inline const StorageLevel StorageLevel::MEMORY_AND_DISK_SER{true, true, false};
inline const StorageLevel StorageLevel::DISK_ONLY{true, false, false};

inline std::string StorageLevel::description() const {
  if (!isValid()) return "";
  std::string out;
  if (useDisk) out += "Disk ";
  if (useMemory) out += "Memory ";
  out += deserialized ? "Deserialized " : "Serialized ";
  return out + "1x Replicated";
}

}  // namespace ember
