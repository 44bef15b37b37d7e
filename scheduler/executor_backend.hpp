#pragma once
// ExecutorBackend: a process other than the driver taking part in jobs.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "net/transport.hpp"
#include "scheduler/accumulator_updates.hpp"
#include "scheduler/detail/blocking_queue.hpp"
#include "scheduler/map_output_tracker.hpp"
#include "scheduler/rdd_node.hpp"
#include "scheduler/result_task.hpp"
#include "scheduler/task_runner.hpp"
#include "storage/shuffle_store.hpp"

namespace ember {

/// How an executor answers the start of a job.
enum JobRole : int {
  kTakesPart = 0,  ///< it is at the same action: send it tasks
  kAbsent = 1,     ///< it is at another action, or past the end of main()
  kRefuses = 2,    ///< same action, different lineage: the job must fail
};

/// Every process runs main(), so every process reaches each action. In a
/// process that is not the driver, the action waits here for the driver's
/// job: it checks that the driver scheduled the same lineage, runs the
/// tasks the driver sends it on its own slots, installs the locations of
/// map outputs, and returns when the driver announces the job's end, with
/// every partition's result loaded, so main() goes on as on the driver.
/// A job the driver runs at another action (one guarded by ctx.isDriver())
/// is answered "absent" and runs without this process.
///
/// Thread safety: deliver() and driverLost() are called on the transport's
/// threads; runJob and finish on the program's thread.
class ExecutorBackend {
 public:
  ExecutorBackend(net::Transport& transport, ShuffleStore& shuffles, MapOutputTracker& mapOutputs,
                  int cores);

  /// Messages of the driver for this process: job start and end, tasks,
  /// map output locations, shutdown.
  void deliver(net::Message message) { inbox_.push(Inbox{std::move(message), ""}); }
  void driverLost(const std::string& why) { inbox_.push(Inbox{std::nullopt, why}); }

  /// Takes part in the driver's next job, the one this process's main()
  /// reached, and returns the driver's accumulator totals after it. Throws
  /// JobFailed with the driver's message when it fails, Error when the
  /// driver scheduled a different lineage (after telling it), NetError when
  /// the driver went away.
  AccumulatorUpdates::Map runJob(const std::shared_ptr<RddNode>& rdd,
                                 const std::vector<int>& partitions, const ResultTask& resultTask,
                                 const std::string& callSite);

  /// At the end of main(): waits for the driver's shutdown, absent from the
  /// jobs the driver still runs, then says goodbye.
  void finish();

 private:
  struct Inbox {
    std::optional<net::Message> message;  ///< empty: the driver is gone
    std::string why;
  };
  struct Job;

  net::Message next(const char* waitingFor);
  void runTask(Job& job, const net::Message& message);
  void installMapStatuses(const net::Message& message);
  void acknowledge(int jobId, JobRole role, const std::string& why);

  net::Transport& transport_;
  ShuffleStore& shuffles_;
  MapOutputTracker& mapOutputs_;
  TaskRunner runner_;
  detail::BlockingQueue<Inbox> inbox_;
};

}  // namespace ember
