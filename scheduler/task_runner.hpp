#pragma once
// TaskRunner: runs task attempts on this process's task slots, one at a time
// per slot, without waiting for them.

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "scheduler/task_backend.hpp"

namespace ember {

/// Runs one task attempt on the calling thread: makes its TaskContext
/// current, times it, and turns an exception into the outcome's error.
TaskOutcome runTaskAttempt(const TaskSpec& spec, const std::string& executorId);

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

 private:
  struct Arena;
  struct Submitted {
    TaskSpec spec;
    std::function<void(TaskOutcome)> done;
  };

  /// Runs the oldest submitted task on the calling slot.
  void runNext();

  int cores_;
  std::string executorId_;
  std::unique_ptr<Arena> arena_;
  std::mutex mutex_;
  std::condition_variable idle_;
  std::deque<Submitted> submitted_;  ///< not yet taken by a slot
  int running_ = 0;
};

}  // namespace ember
