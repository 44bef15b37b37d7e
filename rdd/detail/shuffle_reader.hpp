#pragma once
// ShuffleReader: the reduce side's reads of one partition's buckets.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/error.hpp"
#include "rdd/detail/runtime.hpp"
#include "scheduler/task_context.hpp"
#include "storage/block_frame.hpp"
#include "storage/block_transfer_service.hpp"
#include "storage/map_output.hpp"
#include "storage/shuffle_block_id.hpp"

namespace ember::detail {

/// Reads bucket `reduceId` of the map outputs of one shuffle that hold
/// records for it: from memory or local disk for the maps this process ran,
/// over the network (at most ember.reducer.maxSizeInFlight at a time) for
/// the others. Empty buckets are never looked at.
///
/// Throws FetchFailed, naming the map, when a map output is gone (its
/// process was lost) or a bucket cannot be read or fails its checks: the
/// scheduler then runs that map task again.
template <class Shipped>
class ShuffleReader {
 public:
  ShuffleReader(const Runtime& rt, int shuffleId, int reduceId, TaskContext& tc)
      : rt_(rt),
        shuffleId_(shuffleId),
        reduceId_(reduceId),
        tc_(tc),
        sources_(rt.shuffles.bucketSources(shuffleId, reduceId)) {
    if (sources_.missingMap >= 0) {
      const ShuffleBlockId block{shuffleId, sources_.missingMap, reduceId};
      throw FetchFailed(block.name() +
                            ": the map output is gone (its process was lost, or it was found "
                            "damaged) and its map task runs again",
                        shuffleId, sources_.missingMap, -1);
    }
  }

  /// The bytes of the buckets of the maps keepMap(map) accepts.
  template <class KeepMap>
  int64_t bytes(KeepMap keepMap) const {
    int64_t total = 0;
    for (const auto& [map, output] : sources_.maps) {
      if (keepMap(map)) total += output->bucketBytes(reduceId_);
    }
    return total;
  }

  /// Calls f on every record of the buckets of the maps keepMap(map)
  /// accepts: const lvalues for records held in memory (of buckets that
  /// `pins`, when given, keeps alive after the call), rvalues for records
  /// decoded from disk or the network.
  template <class KeepMap, class F>
  void read(KeepMap keepMap, F&& f, std::vector<std::shared_ptr<const void>>* pins = nullptr) {
    std::vector<BucketRequest> remote;
    for (const auto& [map, output] : sources_.maps) {
      if (!keepMap(map)) continue;
      if (const int rank = output->location(); rank >= 0) {
        remote.push_back({rank, shuffleId_, map, reduceId_, output->bucketBytes(reduceId_)});
      } else {
        readLocal(map, static_cast<const MapOutput<Shipped>&>(*output), f, pins);
      }
    }
    if (!remote.empty()) fetchRemote(remote, f);
  }

  /// read() of every map.
  template <class F>
  void readAll(F&& f, std::vector<std::shared_ptr<const void>>* pins = nullptr) {
    read([](int) { return true; }, f, pins);
  }

 private:
  template <class F>
  void readLocal(int map, const MapOutput<Shipped>& output, F& f,
                 std::vector<std::shared_ptr<const void>>* pins) {
    const Bucket<Shipped> bucket = output.bucket(reduceId_);
    TaskMetrics& m = tc_.metrics();
    m.shuffleReadRecords += bucket.records;
    m.shuffleReadBytes += bucket.bytes;
    m.shuffleReadDiskBytes += bucket.bytes - bucket.memoryBytes;
    if (bucket.pin) {
      for (const Shipped& kv : bucket.memory) f(kv);
      if (pins) pins->push_back(bucket.pin);
    }
    if (bucket.disk.empty()) return;
    const std::string block = ShuffleBlockId{shuffleId_, map, reduceId_}.name();
    for (const Segment& segment : bucket.disk) {
      try {
        readFrame(segment, batch_, scratch_, block);
      } catch (const CorruptBlockError& e) {
        // Damaged on disk: the map task runs again.
        throw FetchFailed(e.what(), shuffleId_, map, -1);
      }
      for (Shipped& kv : batch_) f(std::move(kv));
    }
  }

  template <class F>
  void fetchRemote(const std::vector<BucketRequest>& remote, F& f) {
    if constexpr (kSerializable<Shipped>) {
      TaskMetrics& m = tc_.metrics();
      auto consume = [&](const BucketRequest& r, std::string& frames) {
        const std::string block = r.name();
        m.shuffleReadBytes += static_cast<int64_t>(frames.size());
        for (std::string_view rest(frames); !rest.empty();) {
          rest.remove_prefix(decodeFrame(rest, scratch_, block));
          batch_.clear();
          ByteReader reader(scratch_, block);
          while (!reader.atEnd()) deserialize(reader, batch_.emplace_back());
          m.shuffleReadRecords += static_cast<int64_t>(batch_.size());
          for (Shipped& kv : batch_) f(std::move(kv));
        }
      };
      rt_.fetchRemote(remote, consume);
    } else {
      throw Error("a shuffle of records that cannot be serialized cannot cross processes");
    }
  }

  const Runtime& rt_;
  int shuffleId_;
  int reduceId_;
  TaskContext& tc_;
  ShuffleStore::BucketSources sources_;
  std::vector<Shipped> batch_;
  std::string scratch_;
};

}  // namespace ember::detail
