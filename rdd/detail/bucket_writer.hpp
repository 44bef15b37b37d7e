#pragma once
// BucketWriter: the map side of a shuffle, buckets of records within a budget.

#include <algorithm>
#include <cstdint>
#include <memory>
#include <numeric>
#include <string>
#include <utility>
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
///
/// Only buckets that receive records exist: a task writing to a few of
/// thousands of reducers pays for a few (and one int per reducer, to find
/// them).
template <class Record>
class BucketWriter {
 public:
  BucketWriter(int numBuckets, const Runtime& rt, TaskMetrics& metrics)
      : rt_(rt),
        metrics_(metrics),
        reservation_(*rt.memory),
        numBuckets_(numBuckets),
        slotOf_(static_cast<size_t>(numBuckets), kNoSlot) {}

  void add(int bucket, Record&& record) {
    bytes_ += estimateSize(record);
    slots_[slot(bucket)].memory.push_back(std::move(record));
    if (bytes_ > reservation_.held() && !reservation_.ensure(bytes_)) spillBuckets();
  }

  /// Writes `entries` (pairs, or pair-like hash table entries) straight to
  /// disk, each into the bucket bucketOf(entry) names.
  template <class Entries, class BucketOf>
  void spill(const Entries& entries, BucketOf&& bucketOf, int64_t memoryBytes) {
    using Entry = typename Entries::value_type;
    std::vector<std::pair<uint32_t, const Entry*>> bySlot;
    bySlot.reserve(entries.size());
    for (const auto& entry : entries) bySlot.emplace_back(slot(bucketOf(entry)), &entry);
    std::sort(bySlot.begin(), bySlot.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    auto next = bySlot.begin();
    writeToDisk(memoryBytes, [&](uint32_t s, FrameWriter<Record>& writer) {
      int64_t n = 0;
      for (; next != bySlot.end() && next->first == s; ++next, ++n)
        writer.add(next->second->first, next->second->second);
      return n;
    });
  }

  bool spilled() const { return spilled_; }

  /// The map output: in memory if nothing spilled and storage has room.
  std::shared_ptr<MapOutput<Record>> finish() {
    const int64_t bytes = bytes_;
    reservation_.release();
    const std::vector<uint32_t> order = slotsInBucketOrder();
    typename MapOutput<Record>::Parts parts;
    parts.numBuckets = numBuckets_;
    if (!spilled_ && rt_.memory->acquireStorage(bytes)) {
      for (const uint32_t s : order) {
        Slot& slot = slots_[s];
        addPart(parts, s, static_cast<int64_t>(slot.memory.size()), estimateBatchSize(slot.memory));
        parts.memory.push_back(std::move(slot.memory));
      }
      recordWrites(parts, bytes);
      return std::make_shared<MapOutput<Record>>(std::move(parts), *rt_.memory, bytes, rt_.spill);
    }
    spillBuckets();
    int64_t written = 0;
    for (const uint32_t s : order) {
      Slot& slot = slots_[s];
      addPart(parts, s, slot.records, slot.diskBytes);
      parts.disk.insert(parts.disk.end(), slot.disk.begin(), slot.disk.end());
      parts.diskEnd.push_back(static_cast<uint32_t>(parts.disk.size()));
      written += slot.diskBytes;
    }
    recordWrites(parts, written);
    return std::make_shared<MapOutput<Record>>(std::move(parts), *rt_.memory, 0, rt_.spill);
  }

 private:
  static constexpr uint32_t kNoSlot = ~uint32_t{0};

  /// A bucket that received records.
  struct Slot {
    int bucket;
    std::vector<Record> memory;
    std::vector<Segment> disk;
    int64_t records = 0;  ///< on disk
    int64_t diskBytes = 0;
  };

  uint32_t slot(int bucket) {
    uint32_t& s = slotOf_[static_cast<size_t>(bucket)];
    if (s == kNoSlot) {
      s = static_cast<uint32_t>(slots_.size());
      slots_.push_back(Slot{bucket, {}, {}});
    }
    return s;
  }

  std::vector<uint32_t> slotsInBucketOrder() const {
    std::vector<uint32_t> order(slots_.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(),
              [&](uint32_t a, uint32_t b) { return slots_[a].bucket < slots_[b].bucket; });
    return order;
  }

  void addPart(typename MapOutput<Record>::Parts& parts, uint32_t s, int64_t records,
               int64_t bytes) const {
    parts.ids.push_back(slots_[s].bucket);
    parts.records.push_back(records);
    parts.bytes.push_back(bytes);
  }

  void spillBuckets() {
    if (bytes_ == 0) return;
    writeToDisk(bytes_, [&](uint32_t s, FrameWriter<Record>& writer) {
      std::vector<Record>& records = slots_[s].memory;
      for (const Record& record : records) writer.add(record);
      const auto n = static_cast<int64_t>(records.size());
      records = std::vector<Record>();
      return n;
    });
    bytes_ = 0;
    reservation_.release();
  }

  /// Appends the records of every bucket, as write(slot, writer) adds them,
  /// to a new spill file; a bucket that gets none gets no frame.
  template <class Write>
  void writeToDisk(int64_t memoryBytes, Write&& write) {
    auto file = rt_.spill.newFile("shuffle");
    for (uint32_t s = 0; s < slots_.size(); ++s) {
      Slot& slot = slots_[s];
      FrameWriter<Record> writer(file, rt_.spill.codec);
      const int64_t before = file->bytesWritten();
      slot.records += write(s, writer);
      writer.finish(slot.disk);
      slot.diskBytes += file->bytesWritten() - before;
    }
    spilled_ = true;
    metrics_.memoryBytesSpilled += memoryBytes;
    metrics_.diskBytesSpilled += file->bytesWritten();
  }

  void recordWrites(const typename MapOutput<Record>::Parts& parts, int64_t bytes) {
    for (const int64_t records : parts.records) metrics_.shuffleWriteRecords += records;
    metrics_.shuffleWriteBytes += bytes;
  }

  const Runtime& rt_;
  TaskMetrics& metrics_;
  MemoryReservation reservation_;
  int numBuckets_;
  std::vector<uint32_t> slotOf_;  ///< per bucket, its slot or kNoSlot
  std::vector<Slot> slots_;
  int64_t bytes_ = 0;
  bool spilled_ = false;
};

}  // namespace ember::detail
