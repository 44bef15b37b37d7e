#pragma once
// ExternalAggregator: a hash table of combiners that spills when memory runs out.

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <boost/unordered/unordered_flat_map.hpp>

#include "rdd/detail/aggregator.hpp"
#include "rdd/detail/key_hash.hpp"
#include "rdd/detail/runtime.hpp"
#include "scheduler/task_metrics.hpp"
#include "storage/memory_reservation.hpp"
#include "storage/record_frames.hpp"
#include "storage/size_estimator.hpp"

namespace ember::detail {

template <class K, class C>
using CombineTable = boost::unordered_flat_map<K, C, KeyHash<K>, KeyEqual<K>>;

/// Bytes a table holds: its slot array plus what keys and combiners own.
template <class Table>
int64_t tableBytes(const Table& table, int64_t heapBytes) {
  return static_cast<int64_t>(table.bucket_count() * (sizeof(typename Table::value_type) + 1)) +
         heapBytes;
}

/// Heap memory a value owns beyond its own object.
template <class T>
int64_t heapSize(const T& value) {
  return estimateSize(value) - static_cast<int64_t>(sizeof(T));
}

/// Combines (key, value) records into one combiner per key within the
/// task's share of execution memory. When the table outgrows it, the table
/// is written to disk cut into kFanout groups by key hash, and emptied.
/// drain() then aggregates each group on its own (recursively, with the next
/// hash bits, should a group still not fit), so memory stays bounded however
/// many keys there are. Spark sorts its spills by hash and merges them; the
/// grace-hash split used here needs no ordering and reads each spilled byte
/// once.
template <class K, class C, class MergeCombiners>
class ExternalAggregator {
 public:
  using Entry = std::pair<K, C>;

  ExternalAggregator(const MergeCombiners& merge, const Runtime& rt, TaskMetrics& metrics,
                     int depth = 0)
      : merge_(merge), rt_(rt), metrics_(metrics), depth_(depth), reservation_(*rt.memory) {}

  /// Adds a value for `key`: the combiner make() returns for a new key,
  /// update(C&) for a known one. `growth` estimates the bytes update adds to
  /// a combiner (the value, for a combiner that collects values).
  template <class Key, class Make, class Update>
  void insert(Key&& key, Make&& make, Update&& update, int64_t growth = 0) {
    auto [it, inserted] = tryEmplaceWith(table_, std::forward<Key>(key), std::forward<Make>(make));
    if (inserted) {
      heap_ += heapSize(it->first) + heapSize(it->second);
    } else {
      update(it->second);
      heap_ += growth;
    }
    if (inserted || growth > 0) checkMemory();
  }

  void insertCombiner(K&& key, C&& combiner) {
    insert(
        std::move(key), [&] { return std::move(combiner); },
        [&](C& into) { merge_(into, std::move(combiner)); });
  }

  /// Calls f(K&&, C&&) once per key, then leaves the aggregator empty.
  template <class F>
  void drain(F&& f) {
    if (spills_.empty()) {
      for (auto& [key, combiner] : table_) f(K(key), std::move(combiner));
      clear();
      return;
    }
    spill();
    auto spills = std::move(spills_);
    std::string scratch;
    std::vector<Entry> batch;
    for (size_t g = 0; g < kFanout; ++g) {
      ExternalAggregator child(merge_, rt_, metrics_, depth_ + 1);
      for (const auto& groups : spills) {
        for (const Segment& segment : groups[g]) {
          readFrame(segment, batch, scratch, "spilled aggregation run");
          for (Entry& e : batch) child.insertCombiner(std::move(e.first), std::move(e.second));
        }
      }
      child.drain(f);
    }
  }

 private:
  static constexpr size_t kFanout = 16;
  /// Past this depth a group is aggregated in memory even over budget: its
  /// keys all share 4 * kMaxDepth hash bits, so it is a few huge keys,
  /// which no split would separate.
  static constexpr int kMaxDepth = 3;

  void checkMemory() {
    const int64_t bytes = tableBytes(table_, heap_);
    if (bytes <= reservation_.held() || depth_ >= kMaxDepth) return;
    if (!reservation_.ensure(bytes)) spill();
  }

  size_t groupOf(const K& key) const {
    uint64_t h = mulFold(KeyHash<K>{}(key), 0x9E3779B97F4A7C15ull);
    return static_cast<size_t>(h >> (60 - 4 * depth_)) % kFanout;
  }

  void spill() {
    if (table_.empty()) return;
    auto file = rt_.spill.newFile("aggregation");
    std::array<std::unique_ptr<FrameWriter<Entry>>, kFanout> writers;
    for (auto& w : writers) w = std::make_unique<FrameWriter<Entry>>(file, rt_.spill.codec);
    for (auto& [key, combiner] : table_) {
      writers[groupOf(key)]->add(key, combiner);
    }
    auto& groups = spills_.emplace_back();
    for (size_t g = 0; g < kFanout; ++g) writers[g]->finish(groups[g]);
    metrics_.memoryBytesSpilled += tableBytes(table_, heap_);
    metrics_.diskBytesSpilled += file->bytesWritten();
    clear();
  }

  void clear() {
    table_ = CombineTable<K, C>();
    heap_ = 0;
    reservation_.release();
  }

  const MergeCombiners& merge_;
  const Runtime& rt_;
  TaskMetrics& metrics_;
  int depth_;
  MemoryReservation reservation_;
  CombineTable<K, C> table_;
  int64_t heap_ = 0;
  std::vector<std::array<std::vector<Segment>, kFanout>> spills_;
};

}  // namespace ember::detail
