#pragma once
// TaskContext: the identity and metrics of the task a thread is running.

#include <atomic>
#include <cstdint>
#include <string>

#include "common/error.hpp"
#include "scheduler/accumulator_updates.hpp"
#include "scheduler/task_metrics.hpp"

namespace ember {

/// Passed through a stage's fused transformations while one task computes
/// one partition. As in Spark, user code may call TaskContext::get() to learn
/// which partition and attempt it runs in.
///
/// Thread safety: a TaskContext belongs to the one thread running its task.
class TaskContext {
 public:
  /// `killed`, when given, is set by whoever may kill the attempt and
  /// outlives it.
  TaskContext(int stageId, int stageAttempt, int partitionId, int attemptNumber,
              int64_t taskAttemptId, const std::atomic<bool>* killed = nullptr)
      : stageId_(stageId),
        stageAttempt_(stageAttempt),
        partitionId_(partitionId),
        attemptNumber_(attemptNumber),
        taskAttemptId_(taskAttemptId),
        killed_(killed) {}

  int stageId() const { return stageId_; }
  int stageAttemptNumber() const { return stageAttempt_; }
  int partitionId() const { return partitionId_; }
  /// 0 for the first attempt of this partition, 1 for the first retry, ...
  int attemptNumber() const { return attemptNumber_; }
  /// Unique among all task attempts of the process (Spark's TID).
  int64_t taskAttemptId() const { return taskAttemptId_; }
  TaskMetrics& metrics() { return metrics_; }
  /// The task's adds to accumulators, merged on the driver if it succeeds.
  AccumulatorUpdates& accumulatorUpdates() { return accumulatorUpdates_; }

  /// True once the scheduler has killed this attempt (another attempt of
  /// the partition finished first): its work is no longer wanted.
  bool isInterrupted() const {
    return killed_ != nullptr && killed_->load(std::memory_order_relaxed);
  }
  /// Throws TaskKilled when isInterrupted(); long loops in user code may
  /// call it, ember's batches do.
  void killTaskIfInterrupted() const {
    if (isInterrupted())
      throw TaskKilled("task " + std::to_string(taskAttemptId_) + " (partition " +
                       std::to_string(partitionId_) +
                       ") was killed: another attempt of its partition finished first");
  }

  /// The task running on the calling thread, or nullptr outside a task.
  static TaskContext* get() { return current_; }

  /// Makes `tc` the calling thread's task for the lifetime of the scope.
  class Scope {
   public:
    explicit Scope(TaskContext& tc) : previous_(current_) { current_ = &tc; }
    ~Scope() { current_ = previous_; }
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    TaskContext* previous_;
  };

 private:
  static inline thread_local TaskContext* current_ = nullptr;
  int stageId_;
  int stageAttempt_;
  int partitionId_;
  int attemptNumber_;
  int64_t taskAttemptId_;
  const std::atomic<bool>* killed_;
  TaskMetrics metrics_;
  AccumulatorUpdates accumulatorUpdates_;
};

}  // namespace ember
