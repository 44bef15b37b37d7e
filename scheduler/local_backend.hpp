#pragma once
// LocalBackend: runs tasks on a TBB arena of N threads in this process.

#include <memory>

#include "scheduler/task_backend.hpp"

namespace ember {

/// local[N]: N task slots, one per arena thread; the calling thread joins
/// the arena while the tasks run.
class LocalBackend final : public TaskBackend {
 public:
  LocalBackend(int cores, int maxTaskAttempts);
  ~LocalBackend() override;

  int defaultParallelism() const override { return cores_; }
  int maxTaskAttempts() const override { return maxTaskAttempts_; }
  void runTasks(std::span<const TaskSpec> tasks,
                const std::function<void(const TaskInfo&)>& onStart,
                const std::function<bool(const TaskOutcome&)>& onEnd) override;

 private:
  struct Arena;
  int cores_;
  int maxTaskAttempts_;
  std::unique_ptr<Arena> arena_;
};

/// "type: message" of the exception in flight, for task failure reports.
std::string describeException(const std::exception_ptr& error);

}  // namespace ember
