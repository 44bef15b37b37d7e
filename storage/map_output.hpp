#pragma once
// MapOutput: what one map task of a shuffle wrote, one bucket per reducer.

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <typeinfo>
#include <vector>

#include "common/error.hpp"
#include "storage/memory_manager.hpp"
#include "storage/record_frames.hpp"

namespace ember {

/// The type-erased view the shuffle registry keeps of a map task's output.
class MapOutputBase {
 public:
  virtual ~MapOutputBase() = default;
  virtual int numBuckets() const = 0;
  virtual int64_t bucketRecords(int bucket) const = 0;
  /// Bytes as shipped: exact for buckets on disk, estimated for records
  /// held in memory.
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
};

/// A bucket's records: some held in memory as objects (local mode ships
/// records without serializing them), the rest in frames on disk.
template <class Record>
struct Bucket {
  std::shared_ptr<const std::vector<Record>> memory;
  std::vector<Segment> disk;
  int64_t records = 0;
  int64_t bytes = 0;        ///< on disk plus memoryBytes
  int64_t memoryBytes = 0;  ///< estimated size of `memory`
};

/// Buckets are written once by the map task; afterwards they change only by
/// moving from memory to disk, which readers do not notice: they read a
/// snapshot of the bucket.
template <class Record>
class MapOutput final : public MapOutputBase {
 public:
  /// `storageBytes` of storage memory, acquired by the caller, pay for the
  /// records in memory; they are released when those move to disk.
  MapOutput(std::vector<Bucket<Record>> buckets, MemoryManager& memory, int64_t storageBytes,
            SpillTarget target)
      : buckets_(std::move(buckets)),
        memory_(&memory),
        storageBytes_(storageBytes),
        target_(target) {}

  ~MapOutput() override { memory_->releaseStorage(storageBytes_); }

  int numBuckets() const override { return static_cast<int>(buckets_.size()); }
  int64_t bucketRecords(int b) const override { return buckets_[b].records; }
  int64_t bucketBytes(int b) const override {
    std::lock_guard lock(mutex_);
    return buckets_[b].bytes;
  }
  int64_t memoryBytes() const override {
    std::lock_guard lock(mutex_);
    return storageBytes_;
  }

  Bucket<Record> bucket(int b) const {
    std::lock_guard lock(mutex_);
    return buckets_[b];
  }

  int64_t spillToDisk() override {
    std::lock_guard lock(mutex_);
    if (storageBytes_ == 0) return 0;
    auto file = target_.newFile("shuffle-evicted");
    for (Bucket<Record>& bucket : buckets_) {
      if (!bucket.memory) continue;
      FrameWriter<Record> writer(file, target_.codec);
      for (const Record& record : *bucket.memory) writer.add(record);
      const int64_t before = file->bytesWritten();
      writer.finish(bucket.disk);
      bucket.bytes += file->bytesWritten() - before - bucket.memoryBytes;
      bucket.memoryBytes = 0;
      bucket.memory.reset();
    }
    const int64_t freed = storageBytes_;
    memory_->releaseStorage(freed);
    storageBytes_ = 0;
    return freed;
  }

  void appendBucketFrames(int b, std::string& out) const override {
    if constexpr (kSerializable<Record>) {
      const Bucket<Record> snapshot = bucket(b);
      if (snapshot.memory) appendRecordFrames(*snapshot.memory, out);
      for (const Segment& segment : snapshot.disk) segment.file->appendRawFrame(segment.where, out);
    } else {
      throw Error("a shuffle of records that cannot be serialized cannot cross processes: give " +
                  std::string(typeid(Record).name()) +
                  " a serialize() function (cereal or Boost.Serialization)");
    }
  }

 private:
  void appendRecordFrames(const std::vector<Record>& records, std::string& out) const {
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
  std::vector<Bucket<Record>> buckets_;
  MemoryManager* memory_;
  int64_t storageBytes_;
  SpillTarget target_;
};

}  // namespace ember
