#pragma once
// RemoteMapOutput: a map output another process of the job holds.

#include <cstdint>
#include <utility>
#include <vector>

#include "common/error.hpp"
#include "storage/map_output.hpp"

namespace ember {

/// What the driver's map output tracker, and each executor after a map
/// stage, knows of a map task that ran elsewhere: where, and the size of
/// each bucket (so reducers can bound the bytes they fetch at once, and a
/// join can pick its smaller side).
class RemoteMapOutput final : public MapOutputBase {
 public:
  RemoteMapOutput(int rank, std::vector<int64_t> bucketBytes, std::vector<int64_t> bucketRecords)
      : rank_(rank), bytes_(std::move(bucketBytes)), records_(std::move(bucketRecords)) {}

  int numBuckets() const override { return static_cast<int>(bytes_.size()); }
  int64_t bucketRecords(int b) const override { return records_[static_cast<size_t>(b)]; }
  int64_t bucketBytes(int b) const override { return bytes_[static_cast<size_t>(b)]; }
  int64_t memoryBytes() const override { return 0; }
  int64_t spillToDisk() override { return 0; }
  int location() const override { return rank_; }
  void appendBucketFrames(int, std::string&) const override {
    throw Error("a map output of rank " + std::to_string(rank_) +
                " was asked for by a fetch that reached another process");
  }

 private:
  int rank_;
  std::vector<int64_t> bytes_;
  std::vector<int64_t> records_;
};

}  // namespace ember
