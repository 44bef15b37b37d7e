#pragma once
// RemoteMapOutput: a map output another process of the job holds.

#include <cstdint>
#include <string>
#include <utility>

#include "common/error.hpp"
#include "storage/map_output.hpp"
#include "storage/map_status.hpp"

namespace ember {

/// What the driver's map output tracker, and each executor after a map
/// stage, knows of a map task that ran elsewhere: where, and its status
/// (which buckets hold records, and about how many bytes, so reducers fetch
/// only those, bound the bytes they fetch at once, and a join can pick its
/// smaller side).
class RemoteMapOutput final : public MapOutputBase {
 public:
  RemoteMapOutput(int rank, MapStatus status) : MapOutputBase(std::move(status)), rank_(rank) {}

  int64_t bucketBytes(int b) const override { return status().bytes(b); }
  int64_t memoryBytes() const override { return 0; }
  int64_t spillToDisk() override { return 0; }
  int location() const override { return rank_; }
  void appendBucketFrames(int, std::string&) const override {
    throw Error("a map output of rank " + std::to_string(rank_) +
                " was asked for by a fetch that reached another process");
  }

 private:
  int rank_;
};

}  // namespace ember
