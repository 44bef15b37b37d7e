#pragma once
// MapOutput: what one map task of a shuffle wrote, its non-empty buckets.

#include <algorithm>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <typeinfo>
#include <utility>
#include <vector>

#include "common/error.hpp"
#include "storage/map_status.hpp"
#include "storage/memory_manager.hpp"
#include "storage/record_frames.hpp"

namespace ember {

/// The type-erased view the shuffle registry keeps of a map task's output.
class MapOutputBase {
 public:
  explicit MapOutputBase(MapStatus status) : status_(std::move(status)) {}
  virtual ~MapOutputBase() = default;

  /// Which buckets hold records, and about how many bytes: what the driver
  /// tracks and ships. Set once, when the map task ends.
  const MapStatus& status() const { return status_; }
  int numBuckets() const { return status_.numBuckets(); }

  /// Bytes as shipped: exact for the buckets of this process (estimated for
  /// records held in memory), the status's estimate for those of another.
  virtual int64_t bucketBytes(int bucket) const = 0;
  /// Storage memory the output holds.
  virtual int64_t memoryBytes() const = 0;
  /// Moves the buckets held in memory to disk; returns the storage memory
  /// that frees.
  virtual int64_t spillToDisk() = 0;
  /// The rank of the process that holds the output, or -1 for this one.
  virtual int location() const { return -1; }
  /// Appends bucket `b` to `out` as the frames it travels in to another
  /// process. Throws Error when the records cannot be serialized.
  virtual void appendBucketFrames(int b, std::string& out) const = 0;

 private:
  MapStatus status_;
};

/// One bucket of a map output, as a reducer reads it: a view of records in
/// memory (kept alive by `pin`) or the frames of it on disk.
template <class Record>
struct Bucket {
  std::shared_ptr<const void> pin;  ///< keeps `memory` alive; null when on disk
  std::span<const Record> memory;
  std::vector<Segment> disk;
  int64_t records = 0;
  int64_t bytes = 0;        ///< on disk plus memoryBytes
  int64_t memoryBytes = 0;  ///< estimated size of `memory`
};

/// The non-empty buckets of a map task, in bucket order: records as
/// objects while in memory (local mode ships objects, never bytes), or
/// frames in spill files, so that an empty bucket costs nothing however
/// many reducers there are.
///
/// Buckets are written once by the map task; afterwards they change only by
/// moving from memory to disk, which readers do not notice: they read a
/// snapshot of the bucket.
template <class Record>
class MapOutput final : public MapOutputBase {
  using Buckets = std::vector<std::vector<Record>>;

 public:
  /// What the map task hands over, non-empty buckets only.
  struct Parts {
    int numBuckets = 0;
    std::vector<int32_t> ids;                 ///< ascending
    std::vector<int64_t> records;             ///< per id
    std::vector<int64_t> bytes;               ///< per id: estimated in memory, else on disk
    std::vector<std::vector<Record>> memory;  ///< in memory: per id, its records
    std::vector<Segment> disk;                ///< on disk: every frame, in bucket order
    std::vector<uint32_t> diskEnd;            ///< on disk: per id, the end of its frames in `disk`
  };

  /// `storageBytes` of storage memory, acquired by the caller, pay for the
  /// records in memory; they are released when those move to disk.
  MapOutput(Parts parts, MemoryManager& memory, int64_t storageBytes, SpillTarget target)
      : MapOutputBase(statusOf(parts)),
        ids_(std::move(parts.ids)),
        records_(std::move(parts.records)),
        bytes_(std::move(parts.bytes)),
        disk_(std::move(parts.disk)),
        diskEnd_(std::move(parts.diskEnd)),
        memory_(!parts.memory.empty() ? std::make_shared<const Buckets>(std::move(parts.memory))
                                      : nullptr),
        memoryManager_(&memory),
        storageBytes_(storageBytes),
        target_(target) {}

  ~MapOutput() override { memoryManager_->releaseStorage(storageBytes_); }

  int64_t bucketBytes(int b) const override {
    const size_t i = find(b);
    if (i == ids_.size()) return 0;
    std::lock_guard lock(mutex_);
    return bytes_[i];
  }
  int64_t memoryBytes() const override {
    std::lock_guard lock(mutex_);
    return storageBytes_;
  }

  Bucket<Record> bucket(int b) const {
    Bucket<Record> out;
    const size_t i = find(b);
    if (i == ids_.size()) return out;
    out.records = records_[i];
    std::lock_guard lock(mutex_);
    out.bytes = bytes_[i];
    if (memory_) {
      out.pin = memory_;
      out.memory = (*memory_)[i];
      out.memoryBytes = bytes_[i];
    } else {
      out.disk.assign(disk_.begin() + diskStart(i), disk_.begin() + diskEnd_[i]);
    }
    return out;
  }

  int64_t spillToDisk() override {
    std::lock_guard lock(mutex_);
    if (!memory_) return 0;
    auto file = target_.newFile("shuffle-evicted");
    std::vector<Segment> disk;
    std::vector<uint32_t> diskEnd;
    for (size_t i = 0; i < ids_.size(); ++i) {
      FrameWriter<Record> writer(file, target_.codec);
      for (const Record& record : (*memory_)[i]) writer.add(record);
      const int64_t before = file->bytesWritten();
      writer.finish(disk);
      bytes_[i] = file->bytesWritten() - before;
      diskEnd.push_back(static_cast<uint32_t>(disk.size()));
    }
    disk_ = std::move(disk);
    diskEnd_ = std::move(diskEnd);
    memory_.reset();
    const int64_t freed = storageBytes_;
    memoryManager_->releaseStorage(freed);
    storageBytes_ = 0;
    return freed;
  }

  void appendBucketFrames(int b, std::string& out) const override {
    if constexpr (kSerializable<Record>) {
      const Bucket<Record> snapshot = bucket(b);
      if (snapshot.pin) appendRecordFrames(snapshot.memory, out);
      for (const Segment& segment : snapshot.disk) segment.file->appendRawFrame(segment.where, out);
    } else {
      throw Error("a shuffle of records that cannot be serialized cannot cross processes: give " +
                  std::string(typeid(Record).name()) +
                  " a serialize() function (cereal or Boost.Serialization)");
    }
  }

 private:
  static MapStatus statusOf(const Parts& parts) {
    std::vector<std::pair<int32_t, int64_t>> sizes;
    sizes.reserve(parts.ids.size());
    for (size_t i = 0; i < parts.ids.size(); ++i) sizes.emplace_back(parts.ids[i], parts.bytes[i]);
    return MapStatus(parts.numBuckets, sizes);
  }

  /// The index of bucket b among the non-empty ones, or ids_.size().
  size_t find(int b) const {
    const auto it = std::lower_bound(ids_.begin(), ids_.end(), b);
    return it != ids_.end() && *it == b ? static_cast<size_t>(it - ids_.begin()) : ids_.size();
  }
  size_t diskStart(size_t i) const { return i == 0 ? 0 : diskEnd_[i - 1]; }

  void appendRecordFrames(std::span<const Record> records, std::string& out) const {
    std::string payload;
    ByteWriter writer(payload);
    for (const Record& record : records) {
      serialize(writer, record);
      if (payload.size() >= FrameWriter<Record>::kFrameBytes) {
        encodeFrame(payload, target_.codec, out);
        payload.clear();
      }
    }
    if (!payload.empty()) encodeFrame(payload, target_.codec, out);
  }

  mutable std::mutex mutex_;
  const std::vector<int32_t> ids_;
  const std::vector<int64_t> records_;
  std::vector<int64_t> bytes_;
  std::vector<Segment> disk_;
  std::vector<uint32_t> diskEnd_;
  std::shared_ptr<const Buckets> memory_;  ///< null once on disk
  MemoryManager* memoryManager_;
  int64_t storageBytes_;
  SpillTarget target_;
};

}  // namespace ember
