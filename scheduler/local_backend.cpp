#include "scheduler/local_backend.hpp"

#include <cxxabi.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <typeinfo>

#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

namespace ember {

struct LocalBackend::Arena {
  explicit Arena(int cores)
      : parallelism(
            tbb::global_control::max_allowed_parallelism,
            std::max<size_t>(static_cast<size_t>(cores), std::thread::hardware_concurrency())),
        arena(cores) {}
  // TBB caps its threads at the core count; local[N] with more threads than
  // cores (to overlap I/O, or to test) must still get N.
  tbb::global_control parallelism;
  tbb::task_arena arena;
  bool stopped = false;  // guarded by callbackMutex(): the task set is failing
};

LocalBackend::LocalBackend(int cores, int maxTaskAttempts)
    : cores_(cores), maxTaskAttempts_(maxTaskAttempts), arena_(std::make_unique<Arena>(cores)) {}

LocalBackend::~LocalBackend() = default;

namespace {

/// Orders the callbacks of task sets. Static, so that it is initialized
/// before any TBB worker thread exists: a mutex created later would itself be
/// reached by the workers only through TBB's hand-overs, which are invisible
/// to ThreadSanitizer (libtbb is not instrumented). Task sets of different
/// Contexts share it; it is held only around callbacks.
std::mutex& callbackMutex() {
  static constinit std::mutex mutex;
  return mutex;
}

std::string demangle(const char* name) {
  int status = 0;
  char* readable = abi::__cxa_demangle(name, nullptr, nullptr, &status);
  std::string out = status == 0 ? readable : name;
  std::free(readable);
  return out;
}

TaskOutcome runOne(const TaskSpec& spec) {
  TaskOutcome outcome{&spec, spec.info, {}, nullptr, "", {}};
  outcome.info.executorId = "driver";
  TaskContext tc(spec.info.stageId, spec.info.stageAttempt, spec.info.partition,
                 spec.info.attemptNumber, spec.info.taskId);
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

}  // namespace

std::string describeException(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return demangle(typeid(e).name()) + ": " + e.what();
  } catch (...) {
    const std::type_info* type = abi::__cxa_current_exception_type();
    return (type ? demangle(type->name()) : std::string("unknown exception")) +
           " (not a std::exception)";
  }
}

void LocalBackend::runTasks(std::span<const TaskSpec> tasks,
                            const std::function<void(const TaskInfo&)>& onStart,
                            const std::function<bool(const TaskOutcome&)>& onEnd) {
  std::mutex& mutex = callbackMutex();
  bool& stopped = arena_->stopped;
  // Each task takes the mutex before it reads its spec and after it ran, and
  // so does this thread around the parallel loop: the hand-over of the specs
  // and of what the tasks wrote is then ordered by a mutex ThreadSanitizer
  // sees, not only by TBB's uninstrumented internals.
  {
    std::lock_guard lock(mutex);
    stopped = false;
  }
  arena_->arena.execute([&] {
    // One partition per TBB task: partitions are coarse and uneven, so let
    // idle threads steal them one at a time.
    tbb::parallel_for(
        size_t{0}, tasks.size(),
        [&](size_t i) {
          {
            std::lock_guard lock(mutex);
            if (stopped) return;
            onStart(tasks[i].info);
          }
          TaskOutcome outcome = runOne(tasks[i]);
          std::lock_guard lock(mutex);
          if (!onEnd(outcome)) stopped = true;
        },
        tbb::simple_partitioner());
  });
  std::lock_guard lock(mutex);
}

}  // namespace ember
