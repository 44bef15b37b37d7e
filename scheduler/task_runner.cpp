#include "scheduler/task_runner.hpp"

#include <chrono>
#include <optional>

#include "scheduler/detail/core_arena.hpp"
#include "scheduler/local_backend.hpp"

namespace ember {

TaskOutcome runTaskAttempt(const TaskSpec& spec, const std::string& executorId,
                           const std::atomic<bool>* killed) {
  TaskOutcome outcome{&spec, spec.info, {}, nullptr, "", std::nullopt, {}};
  outcome.info.executorId = executorId;
  TaskContext tc(spec.info.stageId, spec.info.stageAttempt, spec.info.partition,
                 spec.info.attemptNumber, spec.info.taskId, killed);
  auto start = std::chrono::steady_clock::now();
  try {
    TaskContext::Scope scope(tc);
    spec.body(tc);
  } catch (...) {
    outcome.error = std::current_exception();
    outcome.errorText = describeException(outcome.error);
  }
  outcome.metrics = tc.metrics();
  outcome.accumulatorUpdates = std::move(tc.accumulatorUpdates());
  outcome.metrics.durationNanos =
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start)
          .count();
  return outcome;
}

struct TaskRunner::Arena : detail::CoreArena {
  using CoreArena::CoreArena;
};

TaskRunner::TaskRunner(int cores, std::string executorId)
    : cores_(cores), executorId_(std::move(executorId)), arena_(std::make_unique<Arena>(cores)) {}

TaskRunner::~TaskRunner() {
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [this] { return running_ == 0; });
}

void TaskRunner::submit(TaskSpec spec, std::function<void(TaskOutcome)> done) {
  {
    std::lock_guard lock(mutex_);
    ++running_;
    auto killed = std::make_shared<std::atomic<bool>>(false);
    killFlags_[spec.info.taskId] = killed;
    submitted_.push_back({std::move(spec), std::move(done), std::move(killed)});
  }
  // The closure TBB copies holds only `this`; the task travels through
  // submitted_, under a mutex ThreadSanitizer sees, since TBB's recycling of
  // closure memory between threads is invisible to it. The release here and
  // the acquire in runNext() show it the hand-over itself too: without them
  // a slot's first lock of mutex_ looks racy with the mutex's construction.
  handedOver_.fetch_add(1, std::memory_order_release);
  arena_->arena.enqueue([this] { runNext(); });
}

void TaskRunner::runNext() {
  (void)handedOver_.load(std::memory_order_acquire);
  std::optional<Submitted> task;
  {
    std::lock_guard lock(mutex_);
    task.emplace(std::move(submitted_.front()));
    submitted_.pop_front();
  }
  TaskOutcome outcome = runTaskAttempt(task->spec, executorId_, task->killed.get());
  outcome.spec = nullptr;  // `spec` dies with this call
  const int64_t taskId = task->spec.info.taskId;
  task->done(std::move(outcome));
  task.reset();
  std::lock_guard lock(mutex_);
  killFlags_.erase(taskId);
  if (--running_ == 0) idle_.notify_all();
}

void TaskRunner::kill(int64_t taskId) {
  std::lock_guard lock(mutex_);
  if (auto it = killFlags_.find(taskId); it != killFlags_.end()) it->second->store(true);
}

void TaskRunner::killAllAndWait() {
  std::unique_lock lock(mutex_);
  for (auto& [id, killed] : killFlags_) killed->store(true);
  idle_.wait(lock, [this] { return running_ == 0; });
}

}  // namespace ember
