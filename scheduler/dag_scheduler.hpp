#pragma once
// DagScheduler: turns an action into a job of stages of tasks.

#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "scheduler/accumulator_registry.hpp"
#include "scheduler/listener_bus.hpp"
#include "scheduler/map_output_tracker.hpp"
#include "scheduler/rdd_node.hpp"
#include "scheduler/result_task.hpp"
#include "scheduler/task_backend.hpp"

namespace ember {

/// Cuts the lineage of the RDD an action runs on into stages at shuffle
/// dependencies, runs parent stages first (skipping those whose shuffle
/// output exists, running only the missing map partitions of the others),
/// then runs the action's task on each requested partition.
///
/// Thread safety: runJob may be called from several threads; jobs run one at
/// a time. Called from inside a task, it throws Error.
class Cluster;

/// In a cluster the driver's scheduler also tells the executors when a job
/// starts and ends and where map outputs are, and an executor's scheduler
/// hands its jobs to its ExecutorBackend.
class DagScheduler {
 public:
  using Log = std::function<void(const std::string&)>;
  /// Attempts of a stage whose tasks could not read their parents' map
  /// outputs before the job fails (Spark's spark.stage.maxConsecutiveAttempts).
  static constexpr int kMaxStageAttempts = 4;

  /// `cluster` is null in local mode. Successful tasks' accumulator updates
  /// are merged into `accumulators`. `log` hears each recovery decision.
  DagScheduler(TaskBackend& backend, MapOutputTracker& mapOutputs, ListenerBus& bus,
               AccumulatorRegistry& accumulators, Cluster* cluster, Log log)
      : backend_(backend),
        mapOutputs_(mapOutputs),
        bus_(bus),
        accumulators_(accumulators),
        cluster_(cluster),
        log_(std::move(log)) {
    backend_.setTaskIdSource([this] { return nextTaskId_++; });
  }

  /// Runs the job. Throws JobFailed when a task fails its last attempt; the
  /// message names the job, the stage, the partition, the attempts and the
  /// last error, and cause() holds that error.
  void runJob(const std::shared_ptr<RddNode>& rdd, const std::vector<int>& partitions,
              const ResultTask& resultTask, const std::string& callSite);
  /// A job whose tasks return nothing to the driver (they write files or
  /// blocks).
  void runJob(const std::shared_ptr<RddNode>& rdd, const std::vector<int>& partitions,
              const std::function<void(int partition, TaskContext&)>& task,
              const std::string& callSite);

 private:
  struct Stage;
  struct Job;

  std::shared_ptr<Stage> newStage(Job& job, const std::shared_ptr<RddNode>& rdd,
                                  std::shared_ptr<ShuffleDependencyBase> shuffle, int numTasks);
  std::vector<std::shared_ptr<Stage>> parentStages(Job& job, const std::shared_ptr<RddNode>& rdd);
  void submitStage(Job& job, Stage& stage);
  void runDriverJob(const std::shared_ptr<RddNode>& rdd, const std::vector<int>& partitions,
                    const ResultTask& resultTask, const std::string& callSite);
  /// Runs the stage's tasks on `partitions`; when some cannot read a map
  /// output, re-runs the parents' missing map tasks and then those tasks,
  /// as a new attempt of the stage, up to kMaxStageAttempts.
  void runStage(Job& job, Stage& stage, std::vector<int> partitions,
                const std::function<void(int, TaskContext&)>& body, const ResultTask* result);
  /// One attempt of the stage: retries failed tasks up to maxTaskAttempts
  /// (throwing JobFailed after), and returns the partitions whose tasks
  /// could not read a map output, with the last such error in `fetchFailure`.
  std::vector<int> runStageTasks(Job& job, Stage& stage, std::vector<int> partitions,
                                 const std::function<void(int, TaskContext&)>& body,
                                 const ResultTask* result, std::string& fetchFailure);

  TaskBackend& backend_;
  MapOutputTracker& mapOutputs_;
  ListenerBus& bus_;
  AccumulatorRegistry& accumulators_;
  Cluster* cluster_;
  Log log_;
  std::mutex jobMutex_;
  int nextJobId_ = 0;
  int nextStageId_ = 0;
  int64_t nextTaskId_ = 0;
  /// Shuffles whose every map output existed once: a map task of theirs
  /// that runs again recomputes what was lost.
  std::set<int> completedShuffles_;
};

}  // namespace ember
