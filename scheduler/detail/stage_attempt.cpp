#include "scheduler/detail/stage_attempt.hpp"

#include <algorithm>
#include <optional>
#include <utility>

#include "common/error.hpp"

namespace ember::detail {
namespace {

/// The FetchFailed a task attempt failed with, if it did.
std::optional<FetchFailed> fetchFailureOf(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const FetchFailed& e) {
    return e;
  } catch (...) {
    return std::nullopt;
  }
}

TaskDecision only(TaskDecision::Kind kind) {
  TaskDecision decision;
  decision.kind = kind;
  return decision;
}

}  // namespace

std::vector<int> StageAttempt::takeLaunches() {
  if (aborted()) return {};
  return std::exchange(toLaunch_, {});
}

TaskInfo StageAttempt::nextTask(int partition, int64_t taskId) {
  const StageInfo& stage = completed_.stage;
  return TaskInfo{taskId,    stage.stageId,          stage.attemptNumber,
                  partition, attempts_[partition]++, ""};
}

std::vector<std::string> StageAttempt::failedOn(int partition) const {
  const auto it = failedOn_.find(partition);
  if (it == failedOn_.end()) return {};
  return {it->second.begin(), it->second.end()};
}

void StageAttempt::started(const TaskInfo& info, bool recomputes) {
  ++completed_.taskAttempts;
  if (info.speculative) ++completed_.speculativeAttempts;
  if (recomputes && !info.speculative) ++completed_.recomputedTasks;
  // A speculative copy took an attempt number: a retry takes the next.
  attempts_[info.partition] = std::max(attempts_[info.partition], info.attemptNumber + 1);
}

TaskDecision StageAttempt::ended(const TaskOutcome& outcome) {
  if (outcome.killed) {
    ++completed_.killedAttempts;
    return only(TaskDecision::kDropped);
  }
  if (!outcome.error) {
    completed_.metrics += outcome.metrics;
    return only(TaskDecision::kSucceeded);
  }
  ++completed_.failedAttempts;
  // Another attempt still runs: it decides whether the partition is retried.
  return fail(outcome, !outcome.anotherAttemptRunning);
}

TaskDecision StageAttempt::fail(const TaskOutcome& outcome, bool retry) {
  const TaskInfo& t = outcome.info;
  if (const auto lost = fetchFailureOf(outcome.error)) {
    // Not the task's fault: the map output goes, the task waits for it.
    if (retry) unreadable_.push_back(t.partition);
    fetchFailure_ = outcome.errorText;
    return {TaskDecision::kInputLost, lost->shuffleId(), lost->mapId(),
            "task " + std::to_string(t.partition) + " of stage " + std::to_string(t.stageId) +
                " could not read shuffle " + std::to_string(lost->shuffleId()) + " map " +
                std::to_string(lost->mapId()) + ": " + outcome.errorText};
  }
  failedOn_[t.partition].insert(t.executorId);
  if (!outcome.countsAsFailure || ++failures_[t.partition] < maxTaskAttempts_) {
    if (!retry) return only(TaskDecision::kDropped);
    toLaunch_.push_back(t.partition);
    return only(TaskDecision::kRetry);
  }
  const std::string attemptId = std::to_string(t.partition) + "." + std::to_string(t.attemptNumber);
  const std::string stageId = std::to_string(t.stageId) + "." + std::to_string(t.stageAttempt);
  fatal_ = outcome.error;
  fatalMessage_ = "Job " + std::to_string(jobId_) + " aborted due to stage failure: Task " +
                  std::to_string(t.partition) + " in stage " + stageId + " (" +
                  completed_.stage.name + ") failed " + std::to_string(failures_[t.partition]) +
                  " times, most recent failure: Lost task " + attemptId + " in stage " + stageId +
                  " (TID " + std::to_string(t.taskId) + ", executor " + t.executorId +
                  "): " + outcome.errorText;
  return only(TaskDecision::kAbort);
}

StageCompletedEvent StageAttempt::completion() const {
  StageCompletedEvent event = completed_;
  event.succeeded = !aborted() && unreadable_.empty();
  return event;
}

}  // namespace ember::detail
