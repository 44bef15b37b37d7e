#pragma once
// ClusterBackend: the driver's view of the task slots of every process.

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include "net/transport.hpp"
#include "scheduler/detail/blocking_queue.hpp"
#include "scheduler/detail/protocol.hpp"
#include "scheduler/map_output_tracker.hpp"
#include "scheduler/task_backend.hpp"
#include "scheduler/task_runner.hpp"

namespace ember {

/// Runs task sets on the driver's own slots and on those of the executors
/// at the job's action. A task that reads cached blocks goes to a process
/// that holds one, or that runs the task of its set computing one (Spark's
/// preferred locations), waiting up to the locality wait for a free slot
/// there before it runs elsewhere; other tasks go to the process with the
/// most free slots. With speculation on, a task much slower than the
/// finished ones of its set gets a copy in another process (Spark's
/// speculative execution): the first attempt to finish counts, the other is
/// killed, and the set ends when both have. A map task that ran elsewhere
/// has its output registered with the MapOutputTracker; an executor lost
/// has all of its outputs unregistered.
///
/// Thread safety: runTasks on one thread at a time; the report methods on
/// any thread (the transport's).
class ClusterBackend final : public TaskBackend {
 public:
  using Log = std::function<void(const std::string&)>;
  /// The ranks holding a block of a persisted RDD.
  using BlockLocator = std::function<std::vector<int>(const BlockId& block)>;

  /// Spark's spark.speculation.* settings.
  struct Speculation {
    bool enabled = false;
    /// How often running tasks are checked.
    std::chrono::milliseconds interval{100};
    /// A task is slow once it runs `multiplier` times the median duration
    /// of the finished tasks of its set, and at least `minTaskRuntime`...
    double multiplier = 1.5;
    std::chrono::milliseconds minTaskRuntime{100};
    /// ...after this share of the set has finished.
    double quantile = 0.75;
  };
  struct Options {
    int maxTaskAttempts = 4;
    std::chrono::milliseconds localityWait{3'000};
    Speculation speculation;
  };

  ClusterBackend(net::Transport& transport, MapOutputTracker& mapOutputs,
                 std::vector<int> coresPerRank, Options options, Log log);

  int defaultParallelism() const override;
  int maxTaskAttempts() const override { return options_.maxTaskAttempts; }
  bool placesByLocality() const override { return true; }
  void runTasks(std::span<const TaskSpec> tasks,
                const std::function<void(const TaskInfo&)>& onStart,
                const std::function<bool(const TaskOutcome&)>& onEnd) override;

  /// The processes at the job's action; the others get no task of it.
  void setParticipants(std::vector<bool> participants) { participants_ = std::move(participants); }
  /// Where cached blocks are; without one, tasks ignore their cached inputs.
  void setBlockLocator(BlockLocator locator) { locate_ = std::move(locator); }
  /// Called when an executor is found lost, on the scheduling thread, after
  /// its map outputs were unregistered: forget its cached blocks.
  void setExecutorLostHook(std::function<void(int rank)> hook) { onLost_ = std::move(hook); }

  void taskEnded(int rank, detail::TaskEndMessage end) {
    events_.push(Ended{rank, std::move(end)});
  }
  void executorLost(int rank, std::string why) { events_.push(Lost{rank, std::move(why)}); }

 private:
  struct Ended {
    int rank;
    detail::TaskEndMessage end;
  };
  struct LocalEnded {
    int64_t taskId;
    TaskOutcome outcome;
  };
  struct Lost {
    int rank;
    std::string why;
  };
  using Event = std::variant<Ended, LocalEnded, Lost>;
  struct Running {
    const TaskSpec* spec;
    int rank;
    std::chrono::steady_clock::time_point started;
    bool killed = false;  ///< another attempt of its partition finished first
  };
  class TaskSet;
  class PendingTasks;

  /// Which rank computes each missing cached block, in this task set.
  using Planned = std::map<BlockId, int>;

  bool usable(int rank) const { return alive_[rank] && participants_[rank]; }
  /// Of `ranks`, the usable one with the most free slots; -1 if none is free.
  int mostFree(const std::vector<int>& ranks) const;
  std::vector<int> preferredRanks(const TaskSpec& spec, const Planned& planned) const;
  /// -1 when the task should wait: no slot is free, or none where its
  /// blocks are and `localityWaitOver` is false.
  int pickRank(const TaskSpec& spec, const Planned& planned, bool localityWaitOver) const;
  void launch(const TaskSpec& spec, int rank);
  void kill(int64_t taskId, int rank);

  net::Transport& transport_;
  MapOutputTracker& mapOutputs_;
  std::vector<int> cores_;
  std::vector<int> free_;
  std::vector<bool> alive_;
  std::vector<bool> participants_;
  Options options_;
  BlockLocator locate_;
  std::function<void(int rank)> onLost_;
  Log log_;
  detail::BlockingQueue<Event> events_;
  /// After events_, so destroyed first: it waits for the driver's running
  /// tasks, whose ends push to events_.
  TaskRunner local_;
};

/// "driver" for rank 0, the rank's number otherwise, as Spark names executors.
std::string executorName(int rank);

}  // namespace ember
