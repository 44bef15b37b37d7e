#pragma once
// StageAttempt: the bookkeeping of one attempt of a stage, and what to do
// when each of its task attempts ends.

#include <cstdint>
#include <exception>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "scheduler/scheduler_events.hpp"
#include "scheduler/task_backend.hpp"

namespace ember::detail {

/// What the DAG scheduler does once a task attempt ended.
struct TaskDecision {
  enum Kind {
    kSucceeded,  ///< keep its result, metrics and accumulator adds
    kDropped,    ///< killed, or a failure another attempt will settle: nothing
    kRetry,      ///< it runs again in this stage attempt
    kInputLost,  ///< a map output it read is gone: unregister it
    kAbort,      ///< the job fails
  };
  Kind kind = kDropped;
  int shuffleId = -1;  ///< kInputLost: the map output that could not be read
  int mapId = -1;
  std::string message;  ///< kInputLost: what to log
};

/// Counts a stage attempt's task attempts, retries failed tasks up to
/// maxTaskAttempts (attempts failing through no fault of their own, such as
/// an executor lost, do not count), sets aside the partitions that could not
/// read a map output (they run in the next stage attempt, once the parents
/// recomputed it) and, past the limit, fails the job with Spark's message.
///
/// Thread safety: none; the backend calls the scheduler's callbacks one at
/// a time.
class StageAttempt {
 public:
  StageAttempt(const StageInfo& stage, int jobId, int maxTaskAttempts, std::vector<int> partitions)
      : jobId_(jobId), maxTaskAttempts_(maxTaskAttempts), toLaunch_(std::move(partitions)) {
    completed_.stage = stage;
  }

  /// Partitions to launch a task for (first all, then the retries); empty
  /// once the attempt aborted.
  std::vector<int> takeLaunches();
  /// The next attempt of `partition`'s task, as task `taskId`.
  TaskInfo nextTask(int partition, int64_t taskId);
  /// The executors `partition`'s task failed on, to run it elsewhere.
  std::vector<std::string> failedOn(int partition) const;

  /// An attempt started; `recomputes` when it computes again a map output
  /// that existed once.
  void started(const TaskInfo& info, bool recomputes);
  TaskDecision ended(const TaskOutcome& outcome);

  bool aborted() const { return fatal_ != nullptr; }
  /// REQUIRES: aborted(). Spark's "Job J aborted due to stage failure: ..."
  const std::string& abortMessage() const { return fatalMessage_; }
  const std::exception_ptr& abortCause() const { return fatal_; }
  /// Partitions that could not read a map output, and the last such error.
  const std::vector<int>& unreadable() const { return unreadable_; }
  const std::string& fetchFailure() const { return fetchFailure_; }
  /// The stage's completion event, `succeeded` set.
  StageCompletedEvent completion() const;

 private:
  TaskDecision fail(const TaskOutcome& outcome, bool retry);

  int jobId_;
  int maxTaskAttempts_;
  std::vector<int> toLaunch_;
  std::map<int, int> attempts_;                    // partition -> attempts started
  std::map<int, int> failures_;                    // partition -> failed attempts that count
  std::map<int, std::set<std::string>> failedOn_;  // partition -> executors it failed on
  std::vector<int> unreadable_;
  std::string fetchFailure_;
  StageCompletedEvent completed_;
  std::exception_ptr fatal_;
  std::string fatalMessage_;
};

}  // namespace ember::detail
