#pragma once
// forEachBlockOf: the entries of one RDD in a map keyed by BlockId.

#include <climits>

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

}  // namespace ember::detail
