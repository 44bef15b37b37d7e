#pragma once
// MapStatus: which buckets of a map task's output hold records, and about
// how many bytes each.

#include <bit>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include <cereal/types/utility.hpp>
#include <cereal/types/vector.hpp>

namespace ember {

/// What the map output tracker keeps of a map output, and what crosses the
/// wire for it, in Spark's compact forms (CompressedMapStatus and
/// HighlyCompressedMapStatus), so that a shuffle of M maps and R reducers
/// costs about M + R and the number of non-empty buckets, not M x R:
///
/// - the non-empty buckets, as a sorted list or a bitmap, whichever is
///   smaller: an empty bucket costs at most one bit, and nobody fetches it;
/// - their sizes, each in one byte on a log scale (within 10%) when there
///   are at most kAccurateBuckets of them; beyond that, the average of the
///   small ones and the exact size of each bucket over kHugeFactor times
///   the average, so that skew stays visible.
///
/// Sizes bound the bytes a reducer fetches at once and tell a join its
/// smaller side; they are estimates, never used to read data.
class MapStatus {
 public:
  static constexpr size_t kAccurateBuckets = 2000;
  static constexpr int64_t kHugeFactor = 4;

  MapStatus() = default;
  /// `buckets` holds (bucket, bytes) of the non-empty buckets in bucket
  /// order. REQUIRES: buckets are in [0, numBuckets), strictly ascending.
  MapStatus(int numBuckets, std::span<const std::pair<int32_t, int64_t>> buckets);

  int numBuckets() const { return numBuckets_; }
  size_t nonEmptyBuckets() const { return count_; }
  bool holds(int bucket) const;
  /// About the bytes of `bucket`: 0 when it is empty.
  int64_t bytes(int bucket) const;

  /// Calls f(bucket) for every non-empty bucket, in order.
  template <class F>
  void forEachNonEmpty(F&& f) const {
    for (const int32_t b : ids_) f(static_cast<int>(b));
    for (size_t w = 0; w < bits_.size(); ++w) {
      for (uint64_t word = bits_[w]; word != 0; word &= word - 1)
        f(static_cast<int>(w * 64 + static_cast<size_t>(std::countr_zero(word))));
    }
  }

  /// Bytes the status takes in memory, beyond its own object.
  size_t heapBytes() const;

  template <class Archive>
  void save(Archive& a) const {
    a(numBuckets_, ids_, bits_, codes_, average_, huge_);
  }
  /// Throws CorruptBlockError when the fields contradict each other.
  template <class Archive>
  void load(Archive& a) {
    a(numBuckets_, ids_, bits_, codes_, average_, huge_);
    validate();
  }

 private:
  /// The position of non-empty `bucket` among the non-empty ones.
  size_t rankOf(int bucket) const;
  void index();
  void validate();

  int32_t numBuckets_ = 0;
  std::vector<int32_t> ids_;   ///< the sparse form, sorted
  std::vector<uint64_t> bits_;  ///< the dense form, a bit per bucket
  std::vector<uint8_t> codes_;  ///< log-scale sizes, by rank; or empty
  int64_t average_ = 0;
  std::vector<std::pair<int32_t, int64_t>> huge_;  ///< sorted by bucket
  // Derived, not shipped.
  size_t count_ = 0;
  std::vector<uint32_t> wordRanks_;  ///< non-empty buckets before each word
};

}  // namespace ember
