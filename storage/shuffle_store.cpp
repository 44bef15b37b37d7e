#include "storage/shuffle_store.hpp"

#include <stdexcept>
#include <string>

namespace ember {
namespace {

template <class Map>
auto& findShuffle(Map& shuffles, int shuffleId) {
  auto it = shuffles.find(shuffleId);
  if (it == shuffles.end())
    throw std::logic_error("shuffle " + std::to_string(shuffleId) + " is not registered");
  return it->second;
}

}  // namespace

void ShuffleStore::registerShuffle(int shuffleId, int numMaps) {
  std::lock_guard lock(mutex_);
  shuffles_.try_emplace(shuffleId, static_cast<size_t>(numMaps));
}

void ShuffleStore::unregisterShuffle(int shuffleId) {
  std::lock_guard lock(mutex_);
  shuffles_.erase(shuffleId);
}

void ShuffleStore::putMapOutput(int shuffleId, int mapId, std::shared_ptr<MapOutputBase> output) {
  std::lock_guard lock(mutex_);
  Shuffle& shuffle = findShuffle(shuffles_, shuffleId);
  shuffle.outputs.at(static_cast<size_t>(mapId)) = std::move(output);
  shuffle.indexed = false;
}

std::shared_ptr<MapOutputBase> ShuffleStore::mapOutput(int shuffleId, int mapId) const {
  std::lock_guard lock(mutex_);
  auto it = shuffles_.find(shuffleId);
  if (it == shuffles_.end() || mapId < 0 || static_cast<size_t>(mapId) >= it->second.outputs.size())
    return nullptr;
  return it->second.outputs[static_cast<size_t>(mapId)];
}

void ShuffleStore::removeMapOutput(int shuffleId, int mapId) {
  std::lock_guard lock(mutex_);
  auto it = shuffles_.find(shuffleId);
  if (it != shuffles_.end() && mapId >= 0 &&
      static_cast<size_t>(mapId) < it->second.outputs.size()) {
    it->second.outputs[static_cast<size_t>(mapId)].reset();
    it->second.indexed = false;
  }
}

int ShuffleStore::removeOutputsAt(int rank) {
  std::lock_guard lock(mutex_);
  int removed = 0;
  for (auto& [id, shuffle] : shuffles_) {
    for (auto& output : shuffle.outputs) {
      if (output && output->location() == rank) {
        output.reset();
        shuffle.indexed = false;
        ++removed;
      }
    }
  }
  return removed;
}

std::vector<int> ShuffleStore::missingMaps(int shuffleId) const {
  std::lock_guard lock(mutex_);
  const auto& outputs = findShuffle(shuffles_, shuffleId).outputs;
  std::vector<int> missing;
  for (size_t i = 0; i < outputs.size(); ++i) {
    if (!outputs[i]) missing.push_back(static_cast<int>(i));
  }
  return missing;
}

std::vector<std::shared_ptr<MapOutputBase>> ShuffleStore::mapOutputs(int shuffleId) const {
  std::lock_guard lock(mutex_);
  return findShuffle(shuffles_, shuffleId).outputs;
}

void ShuffleStore::index(Shuffle& shuffle) {
  shuffle.readers.clear();
  for (size_t map = 0; map < shuffle.outputs.size(); ++map) {
    const MapStatus& status = shuffle.outputs[map]->status();
    if (shuffle.readers.size() < static_cast<size_t>(status.numBuckets()))
      shuffle.readers.resize(static_cast<size_t>(status.numBuckets()));
    status.forEachNonEmpty([&](int bucket) {
      shuffle.readers[static_cast<size_t>(bucket)].push_back(static_cast<int32_t>(map));
    });
  }
  shuffle.indexed = true;
}

ShuffleStore::BucketSources ShuffleStore::bucketSources(int shuffleId, int reduceId) const {
  std::lock_guard lock(mutex_);
  Shuffle& shuffle = findShuffle(shuffles_, shuffleId);
  BucketSources sources;
  if (!shuffle.indexed) {
    // Unindexed means an output changed: one may be missing.
    for (size_t map = 0; map < shuffle.outputs.size(); ++map) {
      if (shuffle.outputs[map]) continue;
      sources.missingMap = static_cast<int>(map);
      return sources;
    }
    index(shuffle);
  }
  if (reduceId < 0 || static_cast<size_t>(reduceId) >= shuffle.readers.size()) return sources;
  const std::vector<int32_t>& maps = shuffle.readers[static_cast<size_t>(reduceId)];
  sources.maps.reserve(maps.size());
  for (const int32_t map : maps)
    sources.maps.emplace_back(map, shuffle.outputs[static_cast<size_t>(map)]);
  return sources;
}

int64_t ShuffleStore::evict(int64_t bytes) {
  std::vector<std::shared_ptr<MapOutputBase>> held;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, shuffle] : shuffles_) {
      for (const auto& output : shuffle.outputs) {
        if (output && output->memoryBytes() > 0) held.push_back(output);
      }
    }
  }
  // Spilling serializes and writes: done without the registry's lock, so
  // that reducers and other map tasks go on meanwhile.
  int64_t freed = 0;
  for (const auto& output : held) {
    if (freed >= bytes) break;
    freed += output->spillToDisk();
  }
  return freed;
}

}  // namespace ember
