#pragma once
// IntegerMap: 64-bit integer keys to 32-bit numbers, open addressing with
// linear probing, for the hash tables of aggregation and joins.

#include <cstdint>
#include <vector>

namespace ember::sql {

/// A key and its number share one 16-byte slot, so that a probe touches
/// one cache line; prefetch() lets a loop over a batch ask for a later
/// row's line while it works on this one, hiding the miss that dominates
/// lookups in tables larger than the caches. Grows at half full.
class IntegerMap {
 public:
  static constexpr uint32_t kEmpty = UINT32_MAX;

  IntegerMap() : slots_(kInitial) {}

  /// The number of `key`, which is `initial` when it is new. An `initial`
  /// of kEmpty must be overwritten before the next call (it marks empty
  /// slots).
  uint32_t& findOrInsert(int64_t key, uint32_t initial) {
    if (2 * (size_ + 1) > slots_.size()) grow();
    for (size_t i = home(key);; i = (i + 1) & mask()) {
      Slot& s = slots_[i];
      if (s.value == kEmpty) {
        s.key = key;
        s.value = initial;
        ++size_;
        return s.value;
      }
      if (s.key == key) return s.value;
    }
  }

  /// The number of `key`, or kEmpty.
  uint32_t find(int64_t key) const {
    for (size_t i = home(key);; i = (i + 1) & mask()) {
      const Slot& s = slots_[i];
      if (s.value == kEmpty) return kEmpty;
      if (s.key == key) return s.value;
    }
  }

  void prefetch(int64_t key) const { __builtin_prefetch(&slots_[home(key)]); }
  size_t size() const { return size_; }

 private:
  struct Slot {
    int64_t key = 0;
    uint32_t value = kEmpty;
  };
  static constexpr size_t kInitial = 1024;

  size_t mask() const { return slots_.size() - 1; }
  /// Fibonacci hashing: the high bits of key * 2^64/phi, which spread
  /// runs of consecutive keys (ids, dates) over the whole table.
  size_t home(int64_t key) const {
    return static_cast<size_t>((static_cast<uint64_t>(key) * 0x9E3779B97F4A7C15ULL) >> shift_);
  }

  void grow() {
    std::vector<Slot> old(slots_.size() * 2);
    old.swap(slots_);
    --shift_;
    size_ = 0;
    for (const Slot& s : old)
      if (s.value != kEmpty) findOrInsert(s.key, s.value);
  }

  std::vector<Slot> slots_;
  size_t size_ = 0;
  int shift_ = 64 - 10;  ///< 64 - log2(slots)
};

}  // namespace ember::sql
