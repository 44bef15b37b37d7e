#pragma once
// forEachBlockOf, blockIdsOf: the entries of one RDD in a map keyed by BlockId.

#include <climits>
#include <vector>

#include "storage/block_id.hpp"

namespace ember::detail {

/// Calls f(id, value) for each entry of `entries` (a std::map keyed by
/// BlockId) whose block belongs to RDD `rddId`: a contiguous range, since
/// block ids order by RDD first.
template <class Map, class F>
void forEachBlockOf(const Map& entries, int rddId, F&& f) {
  for (auto it = entries.lower_bound(BlockId{rddId, INT_MIN});
       it != entries.end() && it->first.rddId == rddId; ++it) {
    f(it->first, it->second);
  }
}

/// The ids of the entries of `entries` whose block belongs to RDD `rddId`,
/// in BlockId order.
template <class Map>
std::vector<BlockId> blockIdsOf(const Map& entries, int rddId) {
  std::vector<BlockId> ids;
  forEachBlockOf(entries, rddId, [&](const BlockId& id, const auto&) { ids.push_back(id); });
  return ids;
}

}  // namespace ember::detail
