#pragma once
// ShuffleBlockId: the name of one bucket of one map output of a shuffle.

#include <string>

namespace ember {

/// Bucket `reduceId` of map `mapId` of shuffle `shuffleId`: what a reducer
/// reads, and what an error about a damaged or unreachable bucket names.
struct ShuffleBlockId {
  int shuffleId = 0;
  int mapId = 0;
  int reduceId = 0;

  std::string name() const {
    return "shuffle " + std::to_string(shuffleId) + " map " + std::to_string(mapId) + " reduce " +
           std::to_string(reduceId);
  }
};

}  // namespace ember
