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
  findShuffle(shuffles_, shuffleId).at(static_cast<size_t>(mapId)) = std::move(output);
}

std::shared_ptr<MapOutputBase> ShuffleStore::mapOutput(int shuffleId, int mapId) const {
  std::lock_guard lock(mutex_);
  auto it = shuffles_.find(shuffleId);
  if (it == shuffles_.end() || mapId < 0 || static_cast<size_t>(mapId) >= it->second.size())
    return nullptr;
  return it->second[static_cast<size_t>(mapId)];
}

void ShuffleStore::removeMapOutput(int shuffleId, int mapId) {
  std::lock_guard lock(mutex_);
  auto it = shuffles_.find(shuffleId);
  if (it != shuffles_.end() && mapId >= 0 && static_cast<size_t>(mapId) < it->second.size())
    it->second[static_cast<size_t>(mapId)].reset();
}

int ShuffleStore::removeOutputsAt(int rank) {
  std::lock_guard lock(mutex_);
  int removed = 0;
  for (auto& [id, outputs] : shuffles_) {
    for (auto& output : outputs) {
      if (output && output->location() == rank) {
        output.reset();
        ++removed;
      }
    }
  }
  return removed;
}

std::vector<int> ShuffleStore::missingMaps(int shuffleId) const {
  std::lock_guard lock(mutex_);
  const auto& outputs = findShuffle(shuffles_, shuffleId);
  std::vector<int> missing;
  for (size_t i = 0; i < outputs.size(); ++i) {
    if (!outputs[i]) missing.push_back(static_cast<int>(i));
  }
  return missing;
}

std::vector<std::shared_ptr<MapOutputBase>> ShuffleStore::mapOutputs(int shuffleId) const {
  std::lock_guard lock(mutex_);
  return findShuffle(shuffles_, shuffleId);
}

int64_t ShuffleStore::evict(int64_t bytes) {
  std::vector<std::shared_ptr<MapOutputBase>> held;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, outputs] : shuffles_) {
      for (const auto& output : outputs) {
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
