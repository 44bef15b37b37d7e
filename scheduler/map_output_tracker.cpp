#include "scheduler/map_output_tracker.hpp"

#include <memory>
#include <stdexcept>
#include <string>
#include <utility>

#include "common/error.hpp"
#include "storage/remote_map_output.hpp"

namespace ember {

void MapOutputTracker::registerRemote(int shuffleId, int mapId, int rank, MapStatus status) {
  shuffles_.putMapOutput(shuffleId, mapId,
                         std::make_shared<RemoteMapOutput>(rank, std::move(status)));
}

void MapOutputTracker::unregister(int shuffleId, int mapId) {
  shuffles_.removeMapOutput(shuffleId, mapId);
}

int MapOutputTracker::unregisterAt(int rank) { return shuffles_.removeOutputsAt(rank); }

std::vector<int> MapOutputTracker::missingMaps(int shuffleId) const {
  return shuffles_.missingMaps(shuffleId);
}

void MapOutputTracker::shuffleCompleted(int shuffleId) {
  if (!announce_) return;
  detail::MapStatusesMessage statuses;
  statuses.shuffleId = shuffleId;
  for (const auto& output : shuffles_.mapOutputs(shuffleId)) {
    statuses.ranks.push_back(output->location() < 0 ? 0 : output->location());
    statuses.statuses.push_back(output->status());
  }
  announce_(detail::encode(statuses));
}

void MapOutputTracker::install(detail::MapStatusesMessage m, int ownRank) {
  if (m.statuses.size() != m.ranks.size())
    throw CorruptBlockError("map statuses of shuffle " + std::to_string(m.shuffleId) + ": " +
                            std::to_string(m.ranks.size()) + " ranks for " +
                            std::to_string(m.statuses.size()) + " statuses");
  for (size_t map = 0; map < m.ranks.size(); ++map) {
    if (m.ranks[map] == ownRank) continue;
    try {
      registerRemote(m.shuffleId, static_cast<int>(map), m.ranks[map], std::move(m.statuses[map]));
    } catch (const std::logic_error&) {
      return;  // not a shuffle of this process
    }
  }
}

}  // namespace ember
