#pragma once
// TaskRunner: runs task attempts on this process's task slots, one at a time
// per slot, without waiting for them.

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "scheduler/task_backend.hpp"

namespace ember {

/// Runs one task attempt on the calling thread: makes its TaskContext
/// current, times it, and turns an exception into the outcome's error.
/// `killed`, when given, tells the attempt to stop (see TaskContext::isInterrupted).
TaskOutcome runTaskAttempt(const TaskSpec& spec, const std::string& executorId,
                           const std::atomic<bool>* killed = nullptr);

/// The task slots of an executor: a TBB arena of `cores` threads that tasks
/// are handed to as they arrive (a process of a cluster receives its tasks
/// one message at a time, unlike local mode's task sets).
///
/// Thread safety: submit() may be called from any thread; `done` runs on
/// the slot's thread. The destructor waits for the tasks submitted.
class TaskRunner {
 public:
  TaskRunner(int cores, std::string executorId);
  ~TaskRunner();
  TaskRunner(const TaskRunner&) = delete;
  TaskRunner& operator=(const TaskRunner&) = delete;

  int cores() const { return cores_; }
  void submit(TaskSpec spec, std::function<void(TaskOutcome)> done);
  /// Asks the attempt `taskId`, if it waits or runs here, to stop: it ends
  /// with TaskKilled at its next batch (or at once when not started yet).
  void kill(int64_t taskId);
  /// Asks every attempt submitted to stop, and returns once all have ended:
  /// what their closures point to may then be destroyed.
  void killAllAndWait();

 private:
  struct Arena;
  using KillFlag = std::shared_ptr<std::atomic<bool>>;
  struct Submitted {
    TaskSpec spec;
    std::function<void(TaskOutcome)> done;
    KillFlag killed;
  };

  /// Runs the oldest submitted task on the calling slot.
  void runNext();

  int cores_;
  std::string executorId_;
  std::unique_ptr<Arena> arena_;
  std::mutex mutex_;
  std::condition_variable idle_;
  std::deque<Submitted> submitted_;        ///< not yet taken by a slot
  std::map<int64_t, KillFlag> killFlags_;  ///< of the tasks submitted and not ended, by id
  int running_ = 0;
  std::atomic<uint64_t> handedOver_{0};  ///< tasks enqueued (see submit)
};

}  // namespace ember
