#include "scheduler/local_backend.hpp"

#include <cxxabi.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <typeinfo>

#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

namespace ember {

struct LocalBackend::Arena {
  explicit Arena(int cores) : arena(cores) {}
  tbb::task_arena arena;
};

LocalBackend::LocalBackend(int cores, int maxTaskAttempts)
    : cores_(cores), maxTaskAttempts_(maxTaskAttempts), arena_(std::make_unique<Arena>(cores)) {}

LocalBackend::~LocalBackend() = default;

namespace {

std::string demangle(const char* name) {
  int status = 0;
  char* readable = abi::__cxa_demangle(name, nullptr, nullptr, &status);
  std::string out = status == 0 ? readable : name;
  std::free(readable);
  return out;
}

TaskOutcome runOne(const TaskSpec& spec) {
  TaskOutcome outcome{&spec, spec.info, {}, nullptr, ""};
  outcome.info.executorId = "driver";
  TaskContext tc(spec.info.stageId, spec.info.stageAttempt, spec.info.partition, spec.info.attemptNumber,
                 spec.info.taskId);
  auto start = std::chrono::steady_clock::now();
  try {
    TaskContext::Scope scope(tc);
    spec.body(tc);
  } catch (...) {
    outcome.error = std::current_exception();
    outcome.errorText = describeException(outcome.error);
  }
  outcome.metrics = tc.metrics();
  outcome.metrics.durationNanos =
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start).count();
  return outcome;
}

}  // namespace

std::string describeException(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return demangle(typeid(e).name()) + ": " + e.what();
  } catch (...) {
    const std::type_info* type = abi::__cxa_current_exception_type();
    return (type ? demangle(type->name()) : std::string("unknown exception")) + " (not a std::exception)";
  }
}

void LocalBackend::runTasks(std::span<const TaskSpec> tasks, const std::function<void(const TaskInfo&)>& onStart,
                            const std::function<bool(const TaskOutcome&)>& onEnd) {
  std::mutex callbackMutex;
  std::atomic<bool> stopped{false};
  arena_->arena.execute([&] {
    // One partition per TBB task: partitions are coarse and uneven, so let
    // idle threads steal them one at a time.
    tbb::parallel_for(
        size_t{0}, tasks.size(),
        [&](size_t i) {
          if (stopped.load()) return;
          {
            std::lock_guard lock(callbackMutex);
            if (stopped.load()) return;
            onStart(tasks[i].info);
          }
          TaskOutcome outcome = runOne(tasks[i]);
          std::lock_guard lock(callbackMutex);
          if (!onEnd(outcome)) stopped = true;
        },
        tbb::simple_partitioner());
  });
}

}  // namespace ember
