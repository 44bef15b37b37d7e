#pragma once
// MapOutputTracker: where the map outputs of every shuffle are, and who
// learns of them when.

#include <functional>
#include <vector>

#include "net/transport.hpp"
#include "scheduler/detail/protocol.hpp"
#include "storage/map_status.hpp"
#include "storage/shuffle_store.hpp"

namespace ember {

/// The control side of shuffles (Spark's MapOutputTrackerMaster and
/// ...Worker in one type); the outputs themselves live in the ShuffleStore,
/// whose map tasks put their own.
///
/// On the driver it registers each map output that ran elsewhere, as a
/// RemoteMapOutput of its MapStatus; unregisters the outputs that could not
/// be read and those lost with their executor, so that their map tasks run
/// again; and, once a shuffle's map stage ended, announces every map
/// output's place and status to the executors, which install them: their
/// reducers then know what to fetch from whom.
///
/// Thread safety: every method may be called concurrently.
class MapOutputTracker {
 public:
  /// Sends a message to every live executor.
  using Announce = std::function<void(const net::Message&)>;

  explicit MapOutputTracker(ShuffleStore& shuffles) : shuffles_(shuffles) {}

  /// On a cluster's driver: where announcements go. Until then (and in
  /// local mode) they go nowhere.
  void setAnnounce(Announce announce) { announce_ = std::move(announce); }

  /// The output of map `mapId` is on `rank`, with these buckets.
  void registerRemote(int shuffleId, int mapId, int rank, MapStatus status);
  /// The output could not be read: its map task must run again.
  void unregister(int shuffleId, int mapId);
  /// Every output `rank` held, of every shuffle, went with it; returns how
  /// many.
  int unregisterAt(int rank);
  /// Map partitions of the shuffle without an output.
  std::vector<int> missingMaps(int shuffleId) const;

  /// Every map output of the shuffle exists: tells the executors.
  void shuffleCompleted(int shuffleId);
  /// On an executor: the driver's announcement. Outputs of its own rank
  /// are already here; a shuffle it does not know is skipped (its job will
  /// report the lineage mismatch). Throws CorruptBlockError when the
  /// message does not hold a status per map.
  void install(detail::MapStatusesMessage statuses, int ownRank);

 private:
  ShuffleStore& shuffles_;
  Announce announce_;  // set before any job runs
};

}  // namespace ember
