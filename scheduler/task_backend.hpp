#pragma once
// TaskBackend: where the tasks of a stage run.

#include <exception>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "scheduler/scheduler_events.hpp"
#include "scheduler/task_context.hpp"
#include "storage/block_id.hpp"

namespace ember {

/// One task attempt to run: its identity and the work (compute a partition
/// and hand it to a shuffle or an action).
struct TaskSpec {
  TaskInfo info;
  std::function<void(TaskContext&)> body;
  /// What another process runs instead of `body`, which exists only here:
  /// the map task of this shuffle, or (when -1) the result task of `jobId`.
  int shuffleId = -1;
  int jobId = 0;
  /// The blocks of persisted RDDs the task reads (computing and caching the
  /// missing ones): a cluster runs it where they are, or where another task
  /// is computing them, rather than compute a partition twice.
  std::vector<BlockId> cachedInputs;
  /// Executors where earlier attempts of this task failed: a cluster runs it
  /// elsewhere when another executor can take it.
  std::vector<std::string> failedOn;
};

/// How a task attempt ended.
struct TaskOutcome {
  const TaskSpec* spec = nullptr;
  TaskInfo info;  ///< the spec's info, with the executor that ran it
  TaskMetrics metrics;
  std::exception_ptr error;  ///< null on success
  std::string errorText;     ///< "type: message" of the error
  /// The serialized result of a result task that ran in another process.
  std::optional<std::string> result;
  /// The attempt's accumulator adds, also of a failed attempt: the scheduler
  /// decides what counts (only a success's, once).
  AccumulatorUpdates accumulatorUpdates;
  /// False when the attempt failed through no fault of its own (its
  /// executor was lost): it does not count towards ember.task.maxFailures.
  bool countsAsFailure = true;
  /// The attempt was killed because another attempt of its partition
  /// finished first: not a failure, nothing to retry.
  bool killed = false;
  /// It failed while another attempt of its partition (a speculative copy)
  /// still runs: that one decides, so the partition is not retried yet.
  bool anotherAttemptRunning = false;
};

/// Runs task sets for the DAG scheduler. The local backend runs them on a
/// thread pool; the distributed backend sends them to executors.
class TaskBackend {
 public:
  virtual ~TaskBackend() = default;
  /// Task slots in total: the default partition count of sources.
  virtual int defaultParallelism() const = 0;
  /// Attempts per task before a job fails.
  virtual int maxTaskAttempts() const = 0;
  /// Whether tasks are placed by TaskSpec::cachedInputs: when not, the
  /// scheduler need not find them.
  virtual bool placesByLocality() const { return false; }

  /// Runs every task once, concurrently. `onStart` and `onEnd` are called
  /// one at a time, never concurrently; when `onEnd` returns false, tasks not
  /// yet started are dropped (the job is failing). Returns when no task runs
  /// whose end still matters. A backend that speculates starts extra
  /// attempts of a partition, yet calls `onEnd` with a success at most once
  /// per partition: the others end killed.
  virtual void runTasks(std::span<const TaskSpec> tasks,
                        const std::function<void(const TaskInfo&)>& onStart,
                        const std::function<bool(const TaskOutcome&)>& onEnd) = 0;

  /// Where a backend takes the id of an attempt it adds (a speculative
  /// copy): the scheduler's own counter, so that ids stay unique.
  void setTaskIdSource(std::function<int64_t()> next) { newTaskId_ = std::move(next); }

 protected:
  std::function<int64_t()> newTaskId_;
};

}  // namespace ember
