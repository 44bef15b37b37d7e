#pragma once
// ExternalSorter: sorts more records than memory holds, by spilling sorted runs.

#include <algorithm>
#include <concepts>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "rdd/detail/runtime.hpp"
#include "scheduler/task_metrics.hpp"
#include "storage/memory_reservation.hpp"
#include "storage/record_frames.hpp"
#include "storage/size_estimator.hpp"

namespace ember::detail {

/// Buffers records within the task's share of execution memory; when the
/// buffer is full it is sorted and written to disk as a run. drain() merges
/// the runs and the last buffer, reading one frame of each run at a time.
template <class T, class Less>
class ExternalSorter {
 public:
  ExternalSorter(Less less, const Runtime& rt, TaskMetrics& metrics)
      : less_(std::move(less)), rt_(rt), metrics_(metrics), reservation_(*rt.memory) {}

  void add(T&& record) {
    bytes_ += estimateSize(record);
    buffer_.push_back(std::move(record));
    // The spare capacity, and the (prefix, index) array the sort will need.
    const int64_t held =
        bytes_ + static_cast<int64_t>((buffer_.capacity() - buffer_.size()) * sizeof(T) +
                                      buffer_.size() * sizeof(SortEntry));
    if (held > reservation_.held() && !reservation_.ensure(held)) spill();
  }

  /// Calls f(T&&) for every record, in order, then leaves the sorter empty.
  template <class F>
  void drain(F&& f) {
    if (runs_.empty()) {
      forEachSorted([&](T& record) { f(std::move(record)); });
    } else {
      sortBuffer();
      merge(f);
    }
    buffer_ = {};
    runs_.clear();
    bytes_ = 0;
    reservation_.release();
  }

 private:
  struct SortEntry {
    uint64_t prefix;
    size_t index;
  };
  static constexpr size_t kPlaced = static_cast<size_t>(-1);
  static constexpr bool kHasPrefix = requires(const Less& less, const T& record) {
    { less.prefix(record) } -> std::convertible_to<uint64_t>;
  };

  /// Records such as (string, string) are 64 bytes and compare through
  /// pointers, so rather than moving them in every swap the sort orders
  /// 16-byte (key prefix, index) entries, where most comparisons are one
  /// integer comparison.
  static constexpr bool kSortsIndices = kHasPrefix || sizeof(T) > 2 * sizeof(SortEntry);

  std::vector<SortEntry> sortedOrder() const {
    std::vector<SortEntry> order(buffer_.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = {prefixOf(buffer_[i]), i};
    std::sort(order.begin(), order.end(), [&](const SortEntry& a, const SortEntry& b) {
      if (a.prefix != b.prefix) return a.prefix < b.prefix;
      return less_(buffer_[a.index], buffer_[b.index]);
    });
    return order;
  }

  /// Calls f(T&) on the buffered records in order, without moving them
  /// into order first.
  template <class F>
  void forEachSorted(F&& f) {
    if constexpr (kSortsIndices) {
      for (const SortEntry& e : sortedOrder()) f(buffer_[e.index]);
    } else {
      std::sort(buffer_.begin(), buffer_.end(), less_);
      for (T& record : buffer_) f(record);
    }
  }

  /// Sorts the buffer in place, for the merge, which walks it as a run.
  void sortBuffer() {
    if constexpr (kSortsIndices) {
      auto order = sortedOrder();
      permute(order);
    } else {
      std::sort(buffer_.begin(), buffer_.end(), less_);
    }
  }

  uint64_t prefixOf(const T& record) const {
    if constexpr (kHasPrefix) {
      return less_.prefix(record);
    } else {
      return 0;
    }
  }

  /// Moves record order[k].index to position k, following each cycle of the
  /// permutation with one record held aside.
  void permute(std::vector<SortEntry>& order) {
    for (size_t i = 0; i < order.size(); ++i) {
      if (order[i].index == kPlaced) continue;
      T held = std::move(buffer_[i]);
      size_t j = i;
      while (order[j].index != i) {
        const size_t from = order[j].index;
        buffer_[j] = std::move(buffer_[from]);
        order[j].index = kPlaced;
        j = from;
      }
      buffer_[j] = std::move(held);
      order[j].index = kPlaced;
    }
  }

  /// A sorted run being merged: its current frame and the position in it.
  struct Cursor {
    const std::vector<Segment>* segments = nullptr;  // null for the in-memory run
    size_t nextSegment = 0;
    std::vector<T> batch;
    size_t pos = 0;
  };

  void spill() {
    auto file = rt_.spill.newFile("sort");
    FrameWriter<T> writer(file, rt_.spill.codec);
    forEachSorted([&](const T& record) { writer.add(record); });
    writer.finish(runs_.emplace_back());
    metrics_.memoryBytesSpilled += bytes_;
    metrics_.diskBytesSpilled += file->bytesWritten();
    buffer_ = {};
    bytes_ = 0;
    reservation_.release();
  }

  bool advance(Cursor& c, std::string& scratch) {
    if (++c.pos < c.batch.size()) return true;
    if (!c.segments || c.nextSegment == c.segments->size()) return false;
    readFrame((*c.segments)[c.nextSegment++], c.batch, scratch, "spilled sort run");
    c.pos = 0;
    return !c.batch.empty() || advance(c, scratch);
  }

  template <class F>
  void merge(F& f) {
    std::vector<Cursor> cursors(runs_.size() + 1);
    cursors.back().batch = std::move(buffer_);
    std::string scratch;
    std::vector<size_t> heap;
    for (size_t i = 0; i < cursors.size(); ++i) {
      if (i < runs_.size()) cursors[i].segments = &runs_[i];
      cursors[i].pos = static_cast<size_t>(-1);
      if (advance(cursors[i], scratch)) heap.push_back(i);
    }
    // A min-heap of cursors by their current record.
    auto greater = [&](size_t a, size_t b) {
      return less_(cursors[b].batch[cursors[b].pos], cursors[a].batch[cursors[a].pos]);
    };
    std::make_heap(heap.begin(), heap.end(), greater);
    while (!heap.empty()) {
      std::pop_heap(heap.begin(), heap.end(), greater);
      Cursor& c = cursors[heap.back()];
      f(std::move(c.batch[c.pos]));
      if (advance(c, scratch)) {
        std::push_heap(heap.begin(), heap.end(), greater);
      } else {
        heap.pop_back();
      }
    }
  }

  Less less_;
  const Runtime& rt_;
  TaskMetrics& metrics_;
  MemoryReservation reservation_;
  std::vector<T> buffer_;
  int64_t bytes_ = 0;
  std::vector<std::vector<Segment>> runs_;
};

}  // namespace ember::detail
