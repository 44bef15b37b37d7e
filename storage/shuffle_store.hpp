#pragma once
// ShuffleStore: the map outputs of every live shuffle of a process.

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "storage/map_output.hpp"

namespace ember {

/// Registry of shuffle outputs, keyed by (shuffle id, map partition). It is
/// the seam between the map and reduce sides of a shuffle: the scheduler asks
/// it which map outputs exist (to skip finished stages), reducers read
/// buckets from it, and a shuffle's outputs are dropped when the dependency
/// that created them is destroyed.
///
/// Thread safety: every method may be called concurrently.
class ShuffleStore {
 public:
  void registerShuffle(int shuffleId, int numMaps);
  void unregisterShuffle(int shuffleId);

  /// REQUIRES: the shuffle is registered and mapId < numMaps.
  void putMapOutput(int shuffleId, int mapId, std::shared_ptr<MapOutputBase> output);

  /// The output of one map task; null when it has none here (the shuffle
  /// is not registered, or the map has not run).
  std::shared_ptr<MapOutputBase> mapOutput(int shuffleId, int mapId) const;

  /// Forgets one map output (it could not be read), so that it counts as
  /// missing and its map task runs again.
  void removeMapOutput(int shuffleId, int mapId);
  /// Forgets every output that process `rank` held, of every shuffle (it was
  /// lost); returns how many.
  int removeOutputsAt(int rank);

  /// Map partitions of the shuffle that have no output yet.
  std::vector<int> missingMaps(int shuffleId) const;

  /// All map outputs, in map order (null for a missing one).
  std::vector<std::shared_ptr<MapOutputBase>> mapOutputs(int shuffleId) const;

  /// The map outputs of a shuffle whose bucket `reduceId` holds records, in
  /// map order: what a reducer reads. Each map output is looked at once per
  /// shuffle (not once per reducer), so a reducer's cost grows with what
  /// it reads, not with the number of maps.
  struct BucketSources {
    std::vector<std::pair<int, std::shared_ptr<MapOutputBase>>> maps;  ///< (map id, output)
    int missingMap = -1;  ///< a map without output, when there is one: nothing can be read
  };
  BucketSources bucketSources(int shuffleId, int reduceId) const;

  /// Moves map outputs held in memory to disk, oldest shuffle first, until
  /// `bytes` of storage memory are freed; returns the bytes freed. The
  /// MemoryManager calls it when execution needs the memory back.
  int64_t evict(int64_t bytes);

 private:
  struct Shuffle {
    explicit Shuffle(size_t numMaps) : outputs(numMaps) {}
    std::vector<std::shared_ptr<MapOutputBase>> outputs;
    /// Per reducer, the maps whose bucket for it holds records; built on
    /// the first read after the outputs changed.
    std::vector<std::vector<int32_t>> readers;
    bool indexed = false;
  };
  static void index(Shuffle& shuffle);

  mutable std::mutex mutex_;
  mutable std::map<int, Shuffle> shuffles_;
};

}  // namespace ember
