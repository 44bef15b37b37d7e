#pragma once
// Messages of the driver/executor protocol that carry many fields: one
// struct per message type, whose field list both ends encode and decode.

#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

#include "net/transport.hpp"
#include "scheduler/accumulator_updates.hpp"
#include "scheduler/task_metrics.hpp"
#include "storage/detail/wire_message.hpp"
#include "storage/map_status.hpp"

namespace ember::detail {

/// What an executor reports when a task attempt ends.
struct TaskEndMessage {
  static constexpr WireType kType = WireType::kTaskEnd;

  int64_t taskId = 0;
  bool succeeded = false;
  std::string errorText;
  TaskMetrics metrics;
  std::string result;                    ///< a result task's serialized result
  MapStatus mapStatus;                   ///< a map task's buckets
  AccumulatorUpdates::Map accumulators;  ///< the attempt's adds
  /// Set when it failed reading a map output (a FetchFailed): which one.
  int fetchShuffle = -1;
  int fetchMap = -1;
  int fetchRank = -1;

  template <class Self>
  static auto fields(Self& m) {
    return std::tie(m.taskId, m.succeeded, m.errorText, m.metrics, m.result, m.mapStatus,
                    m.accumulators, m.fetchShuffle, m.fetchMap, m.fetchRank);
  }
};

/// The driver's map statuses of a shuffle whose map stage ended, to every
/// executor: where each map output is, and which of its buckets hold what.
struct MapStatusesMessage {
  static constexpr WireType kType = WireType::kMapStatuses;

  int shuffleId = 0;
  std::vector<int> ranks;  ///< per map
  std::vector<MapStatus> statuses;

  template <class Self>
  static auto fields(Self& m) {
    return std::tie(m.shuffleId, m.ranks, m.statuses);
  }
};

template <class M>
net::Message encode(const M& m) {
  return std::apply([](const auto&... f) { return encodeMessage(M::kType, f...); }, M::fields(m));
}

/// Throws CorruptBlockError when the payload does not hold an M.
template <class M>
M decode(const net::Message& message) {
  M m;
  std::apply([&](auto&... f) { decodeMessage(message, f...); }, M::fields(m));
  return m;
}

}  // namespace ember::detail
