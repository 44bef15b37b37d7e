#pragma once
// The driver/executor protocol: one struct per message type, whose field
// list both ends encode and decode (detail::encode, detail::decode), so a
// field cannot be added on one side only.

#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "scheduler/accumulator_updates.hpp"
#include "scheduler/task_metrics.hpp"
#include "storage/block_id.hpp"
#include "storage/detail/wire_message.hpp"
#include "storage/map_status.hpp"
#include "storage/rdd_block_status.hpp"
#include "storage/storage_level.hpp"

namespace ember::detail {

enum class MessageType : uint32_t {
  kExecutorHello = 1,
  kJobStart,
  kRunTask,
  kTaskEnd,
  kMapStatuses,
  kJobEnd,
  kShutdown,
  kBye,
  kJobAck,
  kRemoveShuffle,
  kBroadcast,
  kBlockStatus,
  kStorageStatus,
  kRemoveRdd,
  kRemoveRddAck,
  kHeartbeat,
  kKillTask,
};
static_assert(static_cast<uint32_t>(MessageType::kKillTask) < kFirstTransferMessageType);

/// An executor's hello (its task slots), and the driver's welcome (every
/// process's slots together, and the run id they share).
struct HelloMessage {
  static constexpr MessageType kType = MessageType::kExecutorHello;
  int cores = 0;
  std::string runId;  ///< empty in an executor's hello

  template <class Self>
  static auto fields(Self& m) {
    return std::tie(m.cores, m.runId);
  }
};

/// The driver reached an action; each executor answers with a JobAck.
struct JobStartMessage {
  static constexpr MessageType kType = MessageType::kJobStart;
  int jobId = 0;
  std::string callSite;
  std::vector<std::string> lineage;  ///< lineageSignature() of the action's RDD

  template <class Self>
  static auto fields(Self& m) {
    return std::tie(m.jobId, m.callSite, m.lineage);
  }
};

/// An executor's answer to a JobStart: a JobRole, and why it refuses.
struct JobAckMessage {
  static constexpr MessageType kType = MessageType::kJobAck;
  int jobId = 0;
  int role = 0;
  std::string why;

  template <class Self>
  static auto fields(Self& m) {
    return std::tie(m.jobId, m.role, m.why);
  }
};

/// A task attempt for an executor: the map task of `shuffleId`, or (when
/// -1) the job's result task, on `partition`.
struct RunTaskMessage {
  static constexpr MessageType kType = MessageType::kRunTask;
  int jobId = 0;
  int64_t taskId = 0;
  int stageId = 0;
  int stageAttempt = 0;
  int partition = 0;
  int attemptNumber = 0;
  int shuffleId = -1;

  template <class Self>
  static auto fields(Self& m) {
    return std::tie(m.jobId, m.taskId, m.stageId, m.stageAttempt, m.partition, m.attemptNumber,
                    m.shuffleId);
  }
};

struct KillTaskMessage {
  static constexpr MessageType kType = MessageType::kKillTask;
  int64_t taskId = 0;

  template <class Self>
  static auto fields(Self& m) {
    return std::tie(m.taskId);
  }
};

/// What an executor reports when a task attempt ends.
struct TaskEndMessage {
  static constexpr MessageType kType = MessageType::kTaskEnd;

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
  static constexpr MessageType kType = MessageType::kMapStatuses;

  int shuffleId = 0;
  std::vector<int> ranks;  ///< per map
  std::vector<MapStatus> statuses;

  template <class Self>
  static auto fields(Self& m) {
    return std::tie(m.shuffleId, m.ranks, m.statuses);
  }
};

/// The action's end, with its results and the accumulators' totals.
struct JobEndMessage {
  static constexpr MessageType kType = MessageType::kJobEnd;
  int jobId = 0;
  bool succeeded = false;
  std::string error;
  std::vector<std::string> results;  ///< per partition of the action
  AccumulatorUpdates::Map accumulators;

  template <class Self>
  static auto fields(Self& m) {
    return std::tie(m.jobId, m.succeeded, m.error, m.results, m.accumulators);
  }
};

/// The driver's value of a broadcast.
struct BroadcastMessage {
  static constexpr MessageType kType = MessageType::kBroadcast;
  int64_t id = 0;
  std::string bytes;

  template <class Self>
  static auto fields(Self& m) {
    return std::tie(m.id, m.bytes);
  }
};

/// An executor's block changed: its level and sizes now.
struct BlockStatusMessage {
  static constexpr MessageType kType = MessageType::kBlockStatus;
  BlockId id;
  StorageLevel level;
  int64_t memSize = 0;
  int64_t diskSize = 0;

  template <class Self>
  static auto fields(Self& m) {
    return std::tie(m.id, m.level, m.memSize, m.diskSize);
  }
};

/// The driver's status of every persisted RDD over every process.
struct StorageStatusMessage {
  static constexpr MessageType kType = MessageType::kStorageStatus;
  std::map<int, RddBlockStatus> status;

  template <class Self>
  static auto fields(Self& m) {
    return std::tie(m.status);
  }
};

/// Drop the RDD's blocks; with `blocking`, answer with a RemoveRddAck.
struct RemoveRddMessage {
  static constexpr MessageType kType = MessageType::kRemoveRdd;
  int rddId = 0;
  bool blocking = false;

  template <class Self>
  static auto fields(Self& m) {
    return std::tie(m.rddId, m.blocking);
  }
};

struct RemoveRddAckMessage {
  static constexpr MessageType kType = MessageType::kRemoveRddAck;
  int rddId = 0;

  template <class Self>
  static auto fields(Self& m) {
    return std::tie(m.rddId);
  }
};

/// The driver dropped the shuffle: drop its outputs.
struct RemoveShuffleMessage {
  static constexpr MessageType kType = MessageType::kRemoveShuffle;
  int shuffleId = 0;

  template <class Self>
  static auto fields(Self& m) {
    return std::tie(m.shuffleId);
  }
};

/// Messages that are only their type.
template <MessageType T>
struct SignalMessage {
  static constexpr MessageType kType = T;

  template <class Self>
  static auto fields(Self&) {
    return std::tie();
  }
};
using HeartbeatMessage = SignalMessage<MessageType::kHeartbeat>;  ///< alive
using ShutdownMessage = SignalMessage<MessageType::kShutdown>;    ///< the driver's main() ended
using ByeMessage = SignalMessage<MessageType::kBye>;              ///< an executor's last word

}  // namespace ember::detail
