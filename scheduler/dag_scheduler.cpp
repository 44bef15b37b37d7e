#include "scheduler/dag_scheduler.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>

#include "common/error.hpp"
#include "scheduler/cluster.hpp"
#include "scheduler/detail/stage_attempt.hpp"
#include "scheduler/lineage_signature.hpp"

namespace ember {

struct DagScheduler::Stage {
  StageInfo info;
  std::shared_ptr<RddNode> rdd;
  std::shared_ptr<ShuffleDependencyBase> shuffle;  // null for the result stage
  std::vector<std::shared_ptr<Stage>> parents;
  bool done = false;
  std::set<int> computed;  ///< partitions whose task succeeded, in any attempt
};

struct DagScheduler::Job {
  int id = 0;
  std::map<int, std::shared_ptr<Stage>>
      shuffleStages;                           // by shuffle id: a shuffle is one stage per job
  std::vector<std::shared_ptr<Stage>> stages;  // parents before children
};

namespace {

/// The RDDs computed inside the stage that ends at `rdd`: it and its
/// ancestors reached through narrow dependencies.
void collectStageRdds(const std::shared_ptr<RddNode>& rdd, std::set<int>& seen,
                      std::vector<int>& ids,
                      std::vector<std::shared_ptr<ShuffleDependencyBase>>& shuffles) {
  if (!seen.insert(rdd->id()).second) return;
  ids.push_back(rdd->id());
  for (const Dependency& dep : rdd->dependencies()) {
    if (dep.kind == DependencyKind::kShuffle) {
      shuffles.push_back(dep.shuffle);
    } else {
      collectStageRdds(dep.rdd, seen, ids, shuffles);
    }
  }
}

/// Adds the blocks of persisted RDDs that partition `p` of `rdd` reads
/// inside its stage, the nearest ones only: a cached block is read whole,
/// its ancestors not at all. `budget` bounds the walk, which a lineage of
/// many self-zips would make exponential.
void collectCachedInputs(const RddNode& rdd, int p, int& budget, std::vector<BlockId>& out) {
  if (--budget < 0) return;
  if (rdd.storageLevel().isValid()) {
    const BlockId input{rdd.id(), p};
    if (std::find(out.begin(), out.end(), input) == out.end()) out.push_back(input);
    return;
  }
  const std::vector<Dependency>& deps = rdd.dependencies();
  for (size_t d = 0; d < deps.size(); ++d) {
    if (deps[d].kind == DependencyKind::kShuffle) continue;
    for (int parent : rdd.parentPartitions(d, p))
      collectCachedInputs(*deps[d].rdd, parent, budget, out);
  }
}

/// Whether a task of the stage that ends at `rdd` may read a persisted RDD:
/// when none may, no task's cached inputs need finding.
bool readsPersistedRdd(const RddNode& rdd, std::set<int>& seen) {
  if (!seen.insert(rdd.id()).second) return false;
  if (rdd.storageLevel().isValid()) return true;
  for (const Dependency& dep : rdd.dependencies()) {
    if (dep.kind != DependencyKind::kShuffle && readsPersistedRdd(*dep.rdd, seen)) return true;
  }
  return false;
}

std::vector<BlockId> cachedInputs(const RddNode& rdd, int p) {
  constexpr int kMaxVisits = 4096;
  int budget = kMaxVisits;
  std::vector<BlockId> inputs;
  collectCachedInputs(rdd, p, budget, inputs);
  return inputs;
}

}  // namespace

std::vector<std::shared_ptr<DagScheduler::Stage>> DagScheduler::parentStages(
    Job& job, const std::shared_ptr<RddNode>& rdd) {
  std::set<int> seen;
  std::vector<int> ids;
  std::vector<std::shared_ptr<ShuffleDependencyBase>> shuffles;
  collectStageRdds(rdd, seen, ids, shuffles);
  std::vector<std::shared_ptr<Stage>> parents;
  for (const auto& shuffle : shuffles) {
    auto it = job.shuffleStages.find(shuffle->shuffleId());
    if (it == job.shuffleStages.end()) {
      auto stage = newStage(job, shuffle->rdd(), shuffle, shuffle->rdd()->numPartitions());
      it = job.shuffleStages.emplace(shuffle->shuffleId(), stage).first;
    }
    parents.push_back(it->second);
  }
  return parents;
}

std::shared_ptr<DagScheduler::Stage> DagScheduler::newStage(
    Job& job, const std::shared_ptr<RddNode>& rdd, std::shared_ptr<ShuffleDependencyBase> shuffle,
    int numTasks) {
  auto stage = std::make_shared<Stage>();
  stage->rdd = rdd;
  stage->shuffle = std::move(shuffle);
  stage->parents = parentStages(job, rdd);
  stage->info.stageId = nextStageId_++;
  stage->info.name = rdd->callSite();
  stage->info.numTasks = numTasks;
  stage->info.isShuffleMap = stage->shuffle != nullptr;
  for (const auto& parent : stage->parents) stage->info.parentIds.push_back(parent->info.stageId);
  std::set<int> seen;
  std::vector<std::shared_ptr<ShuffleDependencyBase>> unused;
  collectStageRdds(rdd, seen, stage->info.rddIds, unused);
  job.stages.push_back(stage);
  return stage;
}

void DagScheduler::runJob(const std::shared_ptr<RddNode>& rdd, const std::vector<int>& partitions,
                          const std::function<void(int, TaskContext&)>& task,
                          const std::string& callSite) {
  runJob(rdd, partitions,
         ResultTask{task, [](int) { return std::string(); }, [](int, std::string_view) {}},
         callSite);
}

void DagScheduler::runJob(const std::shared_ptr<RddNode>& rdd, const std::vector<int>& partitions,
                          const ResultTask& resultTask, const std::string& callSite) {
  if (TaskContext* tc = TaskContext::get()) {
    // Waiting for a job from inside a task of another would deadlock.
    throw Error(callSite + " was called inside a task (stage " + std::to_string(tc->stageId()) +
                ", partition " + std::to_string(tc->partitionId()) +
                "): actions run on the driver only: compute what the task needs before the job and "
                "capture it");
  }
  std::lock_guard lock(jobMutex_);
  if (cluster_ && !cluster_->isDriver()) {
    accumulators_.setTotals(cluster_->executor().runJob(rdd, partitions, resultTask, callSite));
    return;
  }
  runDriverJob(rdd, partitions, resultTask, callSite);
}

void DagScheduler::runDriverJob(const std::shared_ptr<RddNode>& rdd,
                                const std::vector<int>& partitions, const ResultTask& resultTask,
                                const std::string& callSite) {
  auto start = std::chrono::steady_clock::now();
  Job job;
  job.id = nextJobId_++;
  auto resultStage = newStage(job, rdd, nullptr, static_cast<int>(partitions.size()));

  JobStartEvent startEvent{job.id, callSite, {}};
  for (const auto& stage : job.stages) startEvent.stages.push_back(stage->info);
  bus_.post(&SchedulerListener::onJobStart, startEvent);

  JobEndEvent endEvent{job.id, false, "", 0};
  std::exception_ptr failure;
  std::vector<std::string> results;
  try {
    if (cluster_) cluster_->jobStarted(job.id, callSite, lineageSignature(rdd));
    for (const auto& parent : resultStage->parents) submitStage(job, *parent);
    runStage(job, *resultStage, partitions, resultTask.run, &resultTask);
    if (resultTask.end) resultTask.end(true);
    if (cluster_)
      for (int p : partitions) results.push_back(resultTask.save(p));
    endEvent.succeeded = true;
  } catch (const std::exception& e) {
    failure = std::current_exception();
    endEvent.error = e.what();
    if (resultTask.end) resultTask.end(false);
  }
  if (cluster_)
    cluster_->jobEnded(job.id, endEvent.succeeded, endEvent.error, results, accumulators_.totals());
  endEvent.durationNanos =
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start)
          .count();
  bus_.post(&SchedulerListener::onJobEnd, endEvent);
  if (failure) std::rethrow_exception(failure);
}

void DagScheduler::submitStage(Job& job, Stage& stage) {
  if (stage.done) return;
  for (const auto& parent : stage.parents) submitStage(job, *parent);
  stage.done = true;
  ShuffleDependencyBase& shuffle = *stage.shuffle;
  std::vector<int> missing = mapOutputs_.missingMaps(shuffle.shuffleId());
  if (missing.empty()) {
    bus_.post(&SchedulerListener::onStageCompleted,
              StageCompletedEvent{stage.info, true, true, {}});
  } else {
    runStage(
        job, stage, std::move(missing),
        [&shuffle](int p, TaskContext& tc) { shuffle.runMapTask(p, tc); }, nullptr);
  }
  completedShuffles_.insert(shuffle.shuffleId());
  mapOutputs_.shuffleCompleted(shuffle.shuffleId());
}

void DagScheduler::runStage(Job& job, Stage& stage, std::vector<int> partitions,
                            const std::function<void(int, TaskContext&)>& body,
                            const ResultTask* result) {
  for (;;) {
    bus_.post(&SchedulerListener::onStageSubmitted, StageSubmittedEvent{stage.info});
    std::string reason;
    partitions = runStageTasks(job, stage, std::move(partitions), body, result, reason);
    if (stage.shuffle) {
      // Outputs of this stage's finished tasks lost with their executor.
      const std::set<int> failed(partitions.begin(), partitions.end());
      for (int p : mapOutputs_.missingMaps(stage.shuffle->shuffleId())) {
        if (failed.contains(p)) continue;
        partitions.push_back(p);
        if (reason.empty()) reason = "map outputs were lost with their executor";
      }
    }
    if (partitions.empty()) return;
    const std::string stageName = "stage " + std::to_string(stage.info.stageId) + "." +
                                  std::to_string(stage.info.attemptNumber) + " (" +
                                  stage.info.name + ")";
    if (++stage.info.attemptNumber >= kMaxStageAttempts) {
      throw JobFailed(
          "Job " + std::to_string(job.id) + " aborted due to stage failure: " + stageName +
              " has failed the maximum allowable number of times: " +
              std::to_string(kMaxStageAttempts) + ". Most recent failure reason: " + reason,
          std::make_exception_ptr(NetError(reason)));
    }
    // The map outputs the tasks could not read are unregistered: the
    // parents re-run just those map tasks, then this stage its failed tasks.
    log_("resubmitting " + stageName + " for " + std::to_string(partitions.size()) +
         " partitions after its parents recompute their missing map outputs: " + reason);
    for (const auto& parent : stage.parents) {
      if (mapOutputs_.missingMaps(parent->shuffle->shuffleId()).empty()) continue;
      parent->done = false;
      ++parent->info.attemptNumber;
      submitStage(job, *parent);
    }
  }
}

std::vector<int> DagScheduler::runStageTasks(Job& job, Stage& stage, std::vector<int> partitions,
                                             const std::function<void(int, TaskContext&)>& body,
                                             const ResultTask* result, std::string& fetchFailure) {
  detail::StageAttempt attempt(stage.info, job.id, backend_.maxTaskAttempts(),
                               std::move(partitions));
  const int shuffleId = stage.shuffle ? stage.shuffle->shuffleId() : -1;
  std::set<int> seen;
  const bool findInputs = backend_.placesByLocality() && readsPersistedRdd(*stage.rdd, seen);
  auto onStart = [&](const TaskInfo& info) {
    attempt.started(info, shuffleId >= 0 && (stage.computed.contains(info.partition) ||
                                             completedShuffles_.contains(shuffleId)));
    bus_.post(&SchedulerListener::onTaskStart, TaskStartEvent{info});
  };
  auto onEnd = [&](const TaskOutcome& outcome) {
    bus_.post(&SchedulerListener::onTaskEnd, TaskEndEvent{outcome.info, outcome.error == nullptr,
                                                          outcome.errorText, outcome.metrics});
    const detail::TaskDecision decision = attempt.ended(outcome);
    if (decision.kind == detail::TaskDecision::kSucceeded) {
      stage.computed.insert(outcome.info.partition);
      if (result && outcome.result) result->load(outcome.info.partition, *outcome.result);
      accumulators_.merge(outcome.accumulatorUpdates);
    } else if (decision.kind == detail::TaskDecision::kInputLost) {
      mapOutputs_.unregister(decision.shuffleId, decision.mapId);
      log_(decision.message);
    }
    return decision.kind != detail::TaskDecision::kAbort;
  };
  for (std::vector<int> launch = attempt.takeLaunches(); !launch.empty();
       launch = attempt.takeLaunches()) {
    std::vector<TaskSpec> tasks;
    tasks.reserve(launch.size());
    for (int p : launch) {
      TaskSpec& spec = tasks.emplace_back();
      spec.info = attempt.nextTask(p, nextTaskId_++);
      spec.body = [&body, p](TaskContext& tc) { body(p, tc); };
      spec.shuffleId = shuffleId;
      spec.jobId = job.id;
      if (findInputs) spec.cachedInputs = cachedInputs(*stage.rdd, p);
      spec.failedOn = attempt.failedOn(p);
    }
    backend_.runTasks(tasks, onStart, onEnd);
  }
  bus_.post(&SchedulerListener::onStageCompleted, attempt.completion());
  if (attempt.aborted()) throw JobFailed(attempt.abortMessage(), attempt.abortCause());
  fetchFailure = attempt.fetchFailure();
  return attempt.unreadable();
}

}  // namespace ember
