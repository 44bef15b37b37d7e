#pragma once
// ClusterBackend: the driver's view of the task slots of every process.

#include <functional>
#include <string>
#include <variant>
#include <vector>

#include "net/transport.hpp"
#include "scheduler/detail/blocking_queue.hpp"
#include "scheduler/task_backend.hpp"
#include "scheduler/task_runner.hpp"
#include "storage/shuffle_store.hpp"

namespace ember {

/// What an executor reports when a task attempt ends.
struct RemoteTaskEnd {
  int64_t taskId = 0;
  bool succeeded = false;
  std::string errorText;
  TaskMetrics metrics;
  std::string result;                ///< a result task's serialized result
  std::vector<int64_t> bucketBytes;  ///< a map task's buckets
  std::vector<int64_t> bucketRecords;
  AccumulatorUpdates::Map accumulators;  ///< the attempt's adds
};

/// Runs task sets on the driver's own slots and on those of the executors
/// at the job's action. A task goes to the process its partition maps to
/// (partition mod processes) when that one takes part and has a free slot,
/// so cached partitions are found where they were computed; otherwise to
/// the process with the most free slots. A map task
/// that ran elsewhere is recorded in the driver's ShuffleStore as a
/// RemoteMapOutput: the driver's map output tracker.
///
/// Thread safety: runTasks on one thread at a time; the report methods on
/// any thread (the transport's).
class ClusterBackend final : public TaskBackend {
 public:
  using Log = std::function<void(const std::string&)>;

  ClusterBackend(net::Transport& transport, ShuffleStore& shuffles, std::vector<int> coresPerRank,
                 int maxTaskAttempts, Log log);

  int defaultParallelism() const override;
  int maxTaskAttempts() const override { return maxTaskAttempts_; }
  void runTasks(std::span<const TaskSpec> tasks,
                const std::function<void(const TaskInfo&)>& onStart,
                const std::function<bool(const TaskOutcome&)>& onEnd) override;

  /// The processes at the job's action; the others get no task of it.
  void setParticipants(std::vector<bool> participants) { participants_ = std::move(participants); }

  void taskEnded(int rank, RemoteTaskEnd end) { events_.push(Ended{rank, std::move(end)}); }
  void executorLost(int rank, std::string why) { events_.push(Lost{rank, std::move(why)}); }

 private:
  struct Ended {
    int rank;
    RemoteTaskEnd end;
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
  };
  class TaskSet;

  int pickRank(const TaskSpec& spec) const;
  void launch(const TaskSpec& spec, int rank);

  net::Transport& transport_;
  ShuffleStore& shuffles_;
  std::vector<int> cores_;
  std::vector<int> free_;
  std::vector<bool> alive_;
  std::vector<bool> participants_;
  int maxTaskAttempts_;
  Log log_;
  TaskRunner local_;
  detail::BlockingQueue<Event> events_;
};

/// "driver" for rank 0, the rank's number otherwise, as Spark names executors.
std::string executorName(int rank);

}  // namespace ember
