#pragma once
// MapOutput: what one map task of a shuffle wrote, one bucket per reducer.

#include <cstdint>
#include <vector>

namespace ember {

/// The type-erased view the shuffle registry keeps of a map task's output.
class MapOutputBase {
 public:
  virtual ~MapOutputBase() = default;
  virtual int numBuckets() const = 0;
  virtual int64_t bucketRecords(int bucket) const = 0;
  /// Estimated bytes, reported in the shuffle metrics.
  virtual int64_t bucketBytes(int bucket) const = 0;
};

/// In local mode a shuffle block is the records themselves: no serialization
/// on the way from map task to reduce task. Buckets are written once by the
/// map task and only read afterwards, so readers need no locking.
template <class Record>
class MapOutput final : public MapOutputBase {
 public:
  MapOutput(std::vector<std::vector<Record>> buckets, std::vector<int64_t> bytes)
      : buckets_(std::move(buckets)), bytes_(std::move(bytes)) {}

  int numBuckets() const override { return static_cast<int>(buckets_.size()); }
  int64_t bucketRecords(int bucket) const override {
    return static_cast<int64_t>(buckets_[bucket].size());
  }
  int64_t bucketBytes(int bucket) const override { return bytes_[bucket]; }
  const std::vector<Record>& bucket(int b) const { return buckets_[b]; }

 private:
  std::vector<std::vector<Record>> buckets_;
  std::vector<int64_t> bytes_;
};

}  // namespace ember
