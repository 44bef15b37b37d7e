// StageAttempt's decisions, task attempt by task attempt, without a backend:
// retries up to the limit, failures that do not count, lost map outputs,
// speculative copies and kills.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <exception>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "scheduler/detail/stage_attempt.hpp"

namespace {

using ember::detail::StageAttempt;
using ember::detail::TaskDecision;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

ember::StageInfo stageNamed(const std::string& name) {
  ember::StageInfo stage;
  stage.stageId = 3;
  stage.name = name;
  return stage;
}

/// The outcome of `info` ending with `error` (null: success) on `executor`.
ember::TaskOutcome ended(ember::TaskInfo info, std::exception_ptr error,
                         const std::string& executor = "1") {
  ember::TaskOutcome outcome;
  info.executorId = executor;
  outcome.info = info;
  outcome.error = error;
  outcome.errorText = error ? "Error: boom" : "";
  return outcome;
}

std::exception_ptr boom() { return std::make_exception_ptr(ember::Error("boom")); }

TEST(StageAttempt, RetriesAFailedTaskElsewhereUntilTheLimitThenAbortsWithSparksMessage) {
  StageAttempt attempt(stageNamed("map at job.cpp:7"), 5, 3, {0, 1});
  EXPECT_THAT(attempt.takeLaunches(), ElementsAre(0, 1));
  int64_t taskId = 0;
  for (int failure = 1; failure <= 3; ++failure) {
    const ember::TaskInfo t = attempt.nextTask(1, taskId++);
    EXPECT_EQ(t.attemptNumber, failure - 1);
    attempt.started(t, false);
    const TaskDecision d = attempt.ended(ended(t, boom(), std::to_string(failure)));
    if (failure < 3) {
      EXPECT_EQ(d.kind, TaskDecision::kRetry);
      EXPECT_THAT(attempt.takeLaunches(), ElementsAre(1));
    } else {
      EXPECT_EQ(d.kind, TaskDecision::kAbort);
    }
  }
  EXPECT_THAT(attempt.failedOn(1), ElementsAre("1", "2", "3"));
  ASSERT_TRUE(attempt.aborted());
  EXPECT_TRUE(attempt.takeLaunches().empty());
  EXPECT_EQ(attempt.abortMessage(),
            "Job 5 aborted due to stage failure: Task 1 in stage 3.0 (map at job.cpp:7) failed 3 "
            "times, most recent failure: Lost task 1.2 in stage 3.0 (TID 2, executor 3): "
            "Error: boom");
  const ember::StageCompletedEvent done = attempt.completion();
  EXPECT_FALSE(done.succeeded);
  EXPECT_EQ(done.taskAttempts, 3);
  EXPECT_EQ(done.failedAttempts, 3);
}

TEST(StageAttempt, AFailureThatIsNotTheTasksFaultDoesNotCount) {
  StageAttempt attempt(stageNamed("s"), 0, 1, {0});
  attempt.takeLaunches();
  for (int i = 0; i < 5; ++i) {
    ember::TaskOutcome lost = ended(attempt.nextTask(0, i), boom());
    lost.countsAsFailure = false;  // its executor was lost
    EXPECT_EQ(attempt.ended(lost).kind, TaskDecision::kRetry);
    EXPECT_THAT(attempt.takeLaunches(), ElementsAre(0));
  }
  EXPECT_EQ(attempt.ended(ended(attempt.nextTask(0, 9), nullptr)).kind, TaskDecision::kSucceeded);
  EXPECT_FALSE(attempt.aborted());
  EXPECT_TRUE(attempt.completion().succeeded);
}

TEST(StageAttempt, AnUnreadableMapOutputIsUnregisteredAndItsTaskWaitsForTheNextStageAttempt) {
  StageAttempt attempt(stageNamed("s"), 0, 1, {0, 1});
  attempt.takeLaunches();
  const auto fetch =
      std::make_exception_ptr(ember::FetchFailed("bucket gone", /*shuffle*/ 2, /*map*/ 7, 1));
  ember::TaskOutcome outcome = ended(attempt.nextTask(1, 0), fetch);
  outcome.errorText = "FetchFailed: bucket gone";
  const TaskDecision d = attempt.ended(outcome);
  EXPECT_EQ(d.kind, TaskDecision::kInputLost);
  EXPECT_EQ(d.shuffleId, 2);
  EXPECT_EQ(d.mapId, 7);
  EXPECT_THAT(d.message, HasSubstr("could not read shuffle 2 map 7"));
  // Not retried in this attempt, not counted against maxTaskAttempts = 1.
  EXPECT_TRUE(attempt.takeLaunches().empty());
  EXPECT_FALSE(attempt.aborted());
  EXPECT_THAT(attempt.unreadable(), ElementsAre(1));
  EXPECT_EQ(attempt.fetchFailure(), "FetchFailed: bucket gone");
  EXPECT_FALSE(attempt.completion().succeeded);
}

TEST(StageAttempt, AFailureWhileASpeculativeCopyRunsIsLeftToTheCopy) {
  StageAttempt attempt(stageNamed("s"), 0, 4, {0});
  attempt.takeLaunches();
  const ember::TaskInfo first = attempt.nextTask(0, 0);
  attempt.started(first, false);
  ember::TaskInfo copy = first;
  copy.taskId = 1;
  copy.attemptNumber = 1;
  copy.speculative = true;
  attempt.started(copy, false);
  ember::TaskOutcome failed = ended(first, boom());
  failed.anotherAttemptRunning = true;
  EXPECT_EQ(attempt.ended(failed).kind, TaskDecision::kDropped);
  EXPECT_TRUE(attempt.takeLaunches().empty());
  EXPECT_EQ(attempt.ended(ended(copy, nullptr)).kind, TaskDecision::kSucceeded);
  // The copy took attempt number 1: a later retry would be attempt 2.
  EXPECT_EQ(attempt.nextTask(0, 2).attemptNumber, 2);
  const ember::StageCompletedEvent done = attempt.completion();
  EXPECT_TRUE(done.succeeded);
  EXPECT_EQ(done.speculativeAttempts, 1);
  EXPECT_EQ(done.failedAttempts, 1);
}

TEST(StageAttempt, AKilledAttemptIsNeitherAFailureNorASuccess) {
  StageAttempt attempt(stageNamed("s"), 0, 1, {0});
  attempt.takeLaunches();
  ember::TaskOutcome killed = ended(attempt.nextTask(0, 0), boom());
  killed.killed = true;
  EXPECT_EQ(attempt.ended(killed).kind, TaskDecision::kDropped);
  EXPECT_FALSE(attempt.aborted());
  EXPECT_EQ(attempt.completion().killedAttempts, 1);
  EXPECT_EQ(attempt.completion().failedAttempts, 0);
}

TEST(StageAttempt, RecomputedMapTasksAreCountedButNotTheirSpeculativeCopies) {
  StageAttempt attempt(stageNamed("s"), 0, 1, {0});
  attempt.takeLaunches();
  ember::TaskInfo t = attempt.nextTask(0, 0);
  attempt.started(t, true);
  t.speculative = true;
  attempt.started(t, true);
  EXPECT_EQ(attempt.completion().recomputedTasks, 1);
}

}  // namespace
