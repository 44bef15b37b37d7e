#pragma once
// BucketWriter: the map side of a shuffle, buckets of records within a budget.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "rdd/detail/runtime.hpp"
#include "scheduler/task_metrics.hpp"
#include "storage/map_output.hpp"
#include "storage/memory_reservation.hpp"
#include "storage/size_estimator.hpp"

namespace ember::detail {

/// Collects a map task's records into one bucket per reduce partition. While
/// the task's share of execution memory lasts, buckets stay as objects; past
/// it, they are serialized, compressed and appended to a spill file, one
/// frame sequence per bucket. At the end the output stays in memory when
/// storage memory can hold it (local mode then ships objects, never bytes),
/// else it goes to disk too.
template <class Record>
class BucketWriter {
 public:
  BucketWriter(int numBuckets, const Runtime& rt, TaskMetrics& metrics)
      : rt_(rt),
        metrics_(metrics),
        reservation_(*rt.memory),
        memory_(static_cast<size_t>(numBuckets)),
        buckets_(static_cast<size_t>(numBuckets)) {}

  void add(int bucket, Record&& record) {
    bytes_ += estimateSize(record);
    memory_[static_cast<size_t>(bucket)].push_back(std::move(record));
    if (bytes_ > reservation_.held() && !reservation_.ensure(bytes_)) spillBuckets();
  }

  /// Writes `entries` (pairs, or pair-like hash table entries) straight to
  /// disk, each into the bucket bucketOf(entry) names.
  template <class Entries, class BucketOf>
  void spill(const Entries& entries, BucketOf&& bucketOf, int64_t memoryBytes) {
    std::vector<std::vector<const typename Entries::value_type*>> byBucket(buckets_.size());
    for (const auto& entry : entries)
      byBucket[static_cast<size_t>(bucketOf(entry))].push_back(&entry);
    writeToDisk(memoryBytes, [&](size_t b, FrameWriter<Record>& writer) {
      for (const auto* entry : byBucket[b]) writer.add(entry->first, entry->second);
      return static_cast<int64_t>(byBucket[b].size());
    });
  }

  bool spilled() const { return spilled_; }

  /// The map output: in memory if nothing spilled and storage has room.
  std::shared_ptr<MapOutput<Record>> finish() {
    const int64_t bytes = bytes_;
    reservation_.release();
    if (!spilled_ && rt_.memory->acquireStorage(bytes)) {
      for (size_t b = 0; b < buckets_.size(); ++b) {
        Bucket<Record>& bucket = buckets_[b];
        bucket.records = static_cast<int64_t>(memory_[b].size());
        bucket.memoryBytes = estimateBatchSize(memory_[b]);
        bucket.bytes = bucket.memoryBytes;
        bucket.memory = std::make_shared<const std::vector<Record>>(std::move(memory_[b]));
      }
      recordWrites(bytes);
      return std::make_shared<MapOutput<Record>>(std::move(buckets_), *rt_.memory, bytes,
                                                 rt_.spill);
    }
    spillBuckets();
    int64_t written = 0;
    for (const Bucket<Record>& bucket : buckets_) written += bucket.bytes;
    recordWrites(written);
    return std::make_shared<MapOutput<Record>>(std::move(buckets_), *rt_.memory, 0, rt_.spill);
  }

 private:
  void spillBuckets() {
    if (bytes_ == 0) return;
    writeToDisk(bytes_, [&](size_t b, FrameWriter<Record>& writer) {
      for (const Record& record : memory_[b]) writer.add(record);
      const auto n = static_cast<int64_t>(memory_[b].size());
      memory_[b] = std::vector<Record>();
      return n;
    });
    bytes_ = 0;
    reservation_.release();
  }

  /// Appends every bucket's records, as write(bucket, writer) adds them, to
  /// a new spill file.
  template <class Write>
  void writeToDisk(int64_t memoryBytes, Write&& write) {
    auto file = rt_.spill.newFile("shuffle");
    for (size_t b = 0; b < buckets_.size(); ++b) {
      FrameWriter<Record> writer(file, rt_.spill.codec);
      const int64_t before = file->bytesWritten();
      buckets_[b].records += write(b, writer);
      writer.finish(buckets_[b].disk);
      buckets_[b].bytes += file->bytesWritten() - before;
    }
    spilled_ = true;
    metrics_.memoryBytesSpilled += memoryBytes;
    metrics_.diskBytesSpilled += file->bytesWritten();
  }

  void recordWrites(int64_t bytes) {
    for (const Bucket<Record>& bucket : buckets_) metrics_.shuffleWriteRecords += bucket.records;
    metrics_.shuffleWriteBytes += bytes;
  }

  const Runtime& rt_;
  TaskMetrics& metrics_;
  MemoryReservation reservation_;
  std::vector<std::vector<Record>> memory_;
  std::vector<Bucket<Record>> buckets_;
  int64_t bytes_ = 0;
  bool spilled_ = false;
};

}  // namespace ember::detail
