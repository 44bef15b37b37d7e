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
/// the runs, reading one frame of each at a time.
///
/// Records a shuffle holds in memory outlive the sorter: addBorrowed keeps
/// only a pointer to them (they are storage memory already) and copies them
/// when they are drained, so a reducer does not hold a second copy of its
/// partition while it sorts.
template <class T, class Less>
class ExternalSorter {
 public:
  ExternalSorter(Less less, const Runtime& rt, TaskMetrics& metrics)
      : less_(std::move(less)), rt_(rt), metrics_(metrics), reservation_(*rt.memory) {}

  /// Adds a record the sorter owns from now on.
  void add(T&& record) {
    bytes_ += estimateSize(record);
    owned_.push_back(std::move(record));
    checkMemory();
  }

  /// Adds a record that stays valid and unchanged until drain() returns.
  void addBorrowed(const T& record) {
    if constexpr (kSortsIndices) {
      borrowed_.push_back(&record);
      checkMemory();
    } else {
      add(T(record));  // as cheap to copy as to point at
    }
  }

  /// Calls f(T&&) for every record, in order, then leaves the sorter empty.
  template <class F>
  void drain(F&& f) {
    if (runs_.empty()) {
      forEachSorted([&](auto& record) { f(takeOrCopy(record)); });
    } else {
      spill();
      merge(f);
    }
    owned_ = {};
    borrowed_ = {};
    runs_.clear();
    bytes_ = 0;
    reservation_.release();
  }

 private:
  struct SortEntry {
    uint64_t prefix;
    size_t index;
  };
  static constexpr bool kHasPrefix = requires(const Less& less, const T& record) {
    { less.prefix(record) } -> std::convertible_to<uint64_t>;
  };
  /// Records such as (string, string) are 64 bytes and compare through
  /// pointers, so rather than moving them in every swap the sort orders
  /// 16-byte (key prefix, index) entries, where most comparisons are one
  /// integer comparison.
  static constexpr bool kSortsIndices = kHasPrefix || sizeof(T) > 2 * sizeof(SortEntry);

  static T takeOrCopy(T& record) { return std::move(record); }
  static T takeOrCopy(const T& record) { return record; }

  void checkMemory() {
    // Spare capacity, borrowed pointers, and the entries the sort will need.
    const size_t records = owned_.size() + borrowed_.size();
    const int64_t held =
        bytes_ +
        static_cast<int64_t>((owned_.capacity() - owned_.size()) * sizeof(T) +
                             borrowed_.capacity() * sizeof(const T*) + records * sizeof(SortEntry));
    if (held > reservation_.held() && !reservation_.ensure(held)) spill();
  }

  const T& at(size_t i) const {
    return i < owned_.size() ? owned_[i] : *borrowed_[i - owned_.size()];
  }

  uint64_t prefixOf(const T& record) const {
    if constexpr (kHasPrefix) {
      return less_.prefix(record);
    } else {
      return 0;
    }
  }

  /// Calls f(T&) on owned and f(const T&) on borrowed records, in order.
  template <class F>
  void forEachSorted(F&& f) {
    if constexpr (kSortsIndices) {
      std::vector<SortEntry> order(owned_.size() + borrowed_.size());
      for (size_t i = 0; i < order.size(); ++i) order[i] = {prefixOf(at(i)), i};
      std::sort(order.begin(), order.end(), [&](const SortEntry& a, const SortEntry& b) {
        if (a.prefix != b.prefix) return a.prefix < b.prefix;
        return less_(at(a.index), at(b.index));
      });
      for (const SortEntry& e : order) {
        if (e.index < owned_.size()) {
          f(owned_[e.index]);
        } else {
          f(*borrowed_[e.index - owned_.size()]);
        }
      }
    } else {
      std::sort(owned_.begin(), owned_.end(), less_);
      for (T& record : owned_) f(record);
    }
  }

  /// A sorted run being merged: its current frame and the position in it.
  struct Cursor {
    const std::vector<Segment>* segments = nullptr;
    size_t nextSegment = 0;
    std::vector<T> batch;
    size_t pos = 0;
  };

  void spill() {
    if (owned_.empty() && borrowed_.empty()) return;
    auto file = rt_.spill.newFile("sort");
    FrameWriter<T> writer(file, rt_.spill.codec);
    forEachSorted([&](const T& record) { writer.add(record); });
    writer.finish(runs_.emplace_back());
    metrics_.memoryBytesSpilled += bytes_;
    metrics_.diskBytesSpilled += file->bytesWritten();
    owned_ = {};
    borrowed_ = {};
    bytes_ = 0;
    reservation_.release();
  }

  bool advance(Cursor& c, std::string& scratch) {
    if (++c.pos < c.batch.size()) return true;
    if (c.nextSegment == c.segments->size()) return false;
    readFrame((*c.segments)[c.nextSegment++], c.batch, scratch, "spilled sort run");
    c.pos = 0;
    return !c.batch.empty() || advance(c, scratch);
  }

  template <class F>
  void merge(F& f) {
    std::vector<Cursor> cursors(runs_.size());
    std::string scratch;
    std::vector<size_t> heap;
    for (size_t i = 0; i < cursors.size(); ++i) {
      cursors[i].segments = &runs_[i];
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
  std::vector<T> owned_;
  std::vector<const T*> borrowed_;
  int64_t bytes_ = 0;
  std::vector<std::vector<Segment>> runs_;
};

}  // namespace ember::detail
