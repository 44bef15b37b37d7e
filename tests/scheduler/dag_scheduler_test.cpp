// DagScheduler, observed through a SchedulerListener: stages, tasks, skipped
// stages, metrics, failures, retries and the delivery of events.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <ember/ember.hpp>

#include "support/shapes.hpp"

namespace {

using ::testing::HasSubstr;

/// Records every event, in order.
struct Recorder : ember::SchedulerListener {
  void onJobStart(const ember::JobStartEvent& e) override { jobStarts.push_back(e); }
  void onJobEnd(const ember::JobEndEvent& e) override { jobEnds.push_back(e); }
  void onStageSubmitted(const ember::StageSubmittedEvent& e) override { stageSubmits.push_back(e); }
  void onStageCompleted(const ember::StageCompletedEvent& e) override {
    stageCompletes.push_back(e);
  }
  void onTaskStart(const ember::TaskStartEvent& e) override { taskStarts.push_back(e); }
  void onTaskEnd(const ember::TaskEndEvent& e) override { taskEnds.push_back(e); }

  void clear() { *this = Recorder(); }

  std::vector<ember::TaskStartEvent> taskStartsOf(int stageId) const {
    std::vector<ember::TaskStartEvent> out;
    for (const auto& e : taskStarts) {
      if (e.task.stageId == stageId) out.push_back(e);
    }
    return out;
  }
  std::vector<ember::TaskEndEvent> taskEndsOf(int stageId) const {
    std::vector<ember::TaskEndEvent> out;
    for (const auto& e : taskEnds) {
      if (e.task.stageId == stageId) out.push_back(e);
    }
    return out;
  }
  const ember::StageCompletedEvent* completionOf(int stageId) const {
    for (const auto& e : stageCompletes) {
      if (e.stage.stageId == stageId) return &e;
    }
    return nullptr;
  }

  std::vector<ember::JobStartEvent> jobStarts;
  std::vector<ember::JobEndEvent> jobEnds;
  std::vector<ember::StageSubmittedEvent> stageSubmits;
  std::vector<ember::StageCompletedEvent> stageCompletes;
  std::vector<ember::TaskStartEvent> taskStarts;
  std::vector<ember::TaskEndEvent> taskEnds;
};

using Pair = std::pair<int, int64_t>;

/// n pairs over `keys` distinct keys.
std::vector<Pair> pairs(int n, int keys) {
  std::vector<Pair> out;
  for (int i = 0; i < n; ++i) out.emplace_back(i % keys, int64_t{i});
  return out;
}

/// Distinct keys in each of Spark's slices of `data`: what a map-side
/// combining shuffle writes.
int64_t distinctKeysPerSlice(const std::vector<Pair>& data, int slices) {
  int64_t total = 0;
  for (int i = 0; i < slices; ++i) {
    size_t begin = data.size() * static_cast<size_t>(i) / static_cast<size_t>(slices);
    size_t end = data.size() * static_cast<size_t>(i + 1) / static_cast<size_t>(slices);
    std::set<int> keys;
    for (size_t j = begin; j < end; ++j) keys.insert(data[j].first);
    total += static_cast<int64_t>(keys.size());
  }
  return total;
}

class DagScheduler : public ember::testing::ShapedTest {
 protected:
  void SetUp() override { ctx().addListener(recorder); }
  void TearDown() override { ctx().removeListener(recorder); }

  std::shared_ptr<Recorder> recorder = std::make_shared<Recorder>();
};
EMBER_INSTANTIATE_SHAPES(DagScheduler);

TEST_P(DagScheduler, JobWithoutShuffleHasOneStage) {
  auto rdd = ctx().parallelize(std::vector<int>{1, 2, 3, 4, 5}, 3).map([](int x) { return x * x; });
  EXPECT_EQ(rdd.collect(), (std::vector<int>{1, 4, 9, 16, 25}));
  ASSERT_EQ(recorder->jobStarts.size(), 1u);
  ASSERT_EQ(recorder->jobStarts[0].stages.size(), 1u);
  const auto& stage = recorder->jobStarts[0].stages[0];
  EXPECT_FALSE(stage.isShuffleMap);
  EXPECT_TRUE(stage.parentIds.empty());
  EXPECT_EQ(stage.numTasks, 3);
  EXPECT_EQ(recorder->taskStarts.size(), 3u);
  ASSERT_EQ(recorder->jobEnds.size(), 1u);
  EXPECT_TRUE(recorder->jobEnds[0].succeeded);
  EXPECT_EQ(recorder->jobEnds[0].jobId, recorder->jobStarts[0].jobId);
  EXPECT_EQ(recorder->jobEnds[0].error, "");
}

TEST_P(DagScheduler, ShuffleSplitsTheJobIntoTwoLinkedStages) {
  auto data = ctx().parallelize(pairs(200, 13), 5);
  auto sums = data.reduceByKey([](int64_t a, int64_t b) { return a + b; }, 3);
  sums.collect();

  ASSERT_EQ(recorder->jobStarts.size(), 1u);
  const auto& stages = recorder->jobStarts[0].stages;
  ASSERT_EQ(stages.size(), 2u);
  const ember::StageInfo& map = stages[0];  // parents first
  const ember::StageInfo& result = stages[1];
  EXPECT_TRUE(map.isShuffleMap);
  EXPECT_FALSE(result.isShuffleMap);
  EXPECT_NE(map.stageId, result.stageId);
  EXPECT_EQ(result.parentIds, std::vector<int>{map.stageId});
  EXPECT_TRUE(map.parentIds.empty());
  EXPECT_EQ(map.numTasks, 5);
  EXPECT_EQ(result.numTasks, 3);
  EXPECT_EQ(map.rddIds, std::vector<int>{data.id()});
  EXPECT_EQ(result.rddIds, std::vector<int>{sums.id()});
  EXPECT_THAT(map.name, HasSubstr("parallelize at dag_scheduler_test.cpp:"));
  EXPECT_THAT(result.name, HasSubstr("reduceByKey at dag_scheduler_test.cpp:"));
  EXPECT_THAT(recorder->jobStarts[0].callSite, HasSubstr("collect at dag_scheduler_test.cpp:"));

  // One task per partition of each stage, each partition once.
  for (const auto& [stageId, n] : {std::pair{map.stageId, 5}, std::pair{result.stageId, 3}}) {
    std::multiset<int> partitions;
    for (const auto& e : recorder->taskStartsOf(stageId)) partitions.insert(e.task.partition);
    std::multiset<int> expected;
    for (int p = 0; p < n; ++p) expected.insert(p);
    EXPECT_EQ(partitions, expected) << "stage " << stageId;
    EXPECT_EQ(recorder->taskEndsOf(stageId).size(), static_cast<size_t>(n));
  }
  // Every map task ended before the first result task started.
  size_t lastMapEnd = 0, firstResultStart = recorder->taskStarts.size();
  for (size_t i = 0; i < recorder->taskEnds.size(); ++i) {
    if (recorder->taskEnds[i].task.stageId == map.stageId) lastMapEnd = i;
  }
  EXPECT_EQ(lastMapEnd + 1, 5u) << "the first 5 task ends are the map stage's";
  for (size_t i = 0; i < recorder->taskStarts.size(); ++i) {
    if (recorder->taskStarts[i].task.stageId == result.stageId)
      firstResultStart = std::min(firstResultStart, i);
  }
  EXPECT_EQ(firstResultStart, 5u);
}

TEST_P(DagScheduler, StagesAreSubmittedAndCompletedParentsFirst) {
  ctx().parallelize(pairs(50, 5), 2).groupByKey(2).count();
  ASSERT_EQ(recorder->jobStarts.size(), 1u);
  const auto& stages = recorder->jobStarts[0].stages;
  ASSERT_EQ(stages.size(), 2u);
  ASSERT_EQ(recorder->stageSubmits.size(), 2u);
  ASSERT_EQ(recorder->stageCompletes.size(), 2u);
  EXPECT_EQ(recorder->stageSubmits[0].stage.stageId, stages[0].stageId);
  EXPECT_EQ(recorder->stageSubmits[1].stage.stageId, stages[1].stageId);
  EXPECT_EQ(recorder->stageCompletes[0].stage.stageId, stages[0].stageId);
  EXPECT_EQ(recorder->stageCompletes[1].stage.stageId, stages[1].stageId);
  for (const auto& e : recorder->stageCompletes) {
    EXPECT_TRUE(e.succeeded);
    EXPECT_FALSE(e.skipped);
  }
}

TEST_P(DagScheduler, TwoShufflesMakeThreeChainedStages) {
  auto result = ctx()
                    .parallelize(pairs(300, 30), 4)
                    .reduceByKey([](int64_t a, int64_t b) { return a + b; }, 3)
                    .map([](const Pair& p) {
                      return std::pair{p.first % 3, p.second};
                    })
                    .reduceByKey([](int64_t a, int64_t b) { return a + b; }, 2)
                    .collect();
  int64_t total = 0;
  for (const auto& [k, v] : result) total += v;
  EXPECT_EQ(total, 299 * 300 / 2);
  ASSERT_EQ(recorder->jobStarts.size(), 1u);
  const auto& stages = recorder->jobStarts[0].stages;
  ASSERT_EQ(stages.size(), 3u);
  EXPECT_TRUE(stages[0].parentIds.empty());
  EXPECT_EQ(stages[1].parentIds, std::vector<int>{stages[0].stageId});
  EXPECT_EQ(stages[2].parentIds, std::vector<int>{stages[1].stageId});
  EXPECT_EQ(stages[0].numTasks, 4);
  EXPECT_EQ(stages[1].numTasks, 3);
  EXPECT_EQ(stages[2].numTasks, 2);
  for (const auto& stage : stages) {
    EXPECT_EQ(recorder->taskStartsOf(stage.stageId).size(), static_cast<size_t>(stage.numTasks));
  }
}

TEST_P(DagScheduler, SecondActionOnAShuffledRddSkipsTheMapStage) {
  auto sums = ctx()
                  .parallelize(pairs(100, 7), 4)
                  .reduceByKey([](int64_t a, int64_t b) { return a + b; }, 2);
  auto first = sums.collect();
  recorder->clear();

  EXPECT_EQ(sums.count(), static_cast<int64_t>(first.size()));
  ASSERT_EQ(recorder->jobStarts.size(), 1u);
  const auto& stages = recorder->jobStarts[0].stages;
  ASSERT_EQ(stages.size(), 2u);
  const int mapStage = stages[0].stageId;
  const int resultStage = stages[1].stageId;

  const ember::StageCompletedEvent* mapDone = recorder->completionOf(mapStage);
  ASSERT_NE(mapDone, nullptr) << "the skipped stage must still be reported completed";
  EXPECT_TRUE(mapDone->skipped);
  EXPECT_TRUE(mapDone->succeeded);
  EXPECT_TRUE(recorder->taskStartsOf(mapStage).empty());
  EXPECT_TRUE(recorder->taskEndsOf(mapStage).empty());
  for (const auto& e : recorder->stageSubmits)
    EXPECT_NE(e.stage.stageId, mapStage) << "a skipped stage is not submitted";

  const ember::StageCompletedEvent* resultDone = recorder->completionOf(resultStage);
  ASSERT_NE(resultDone, nullptr);
  EXPECT_FALSE(resultDone->skipped);
  EXPECT_EQ(recorder->taskStartsOf(resultStage).size(), 2u);
  EXPECT_EQ(recorder->taskStarts.size(), 2u);
}

TEST_P(DagScheduler, ShuffleWriteRecordsEqualShuffleReadRecords) {
  const auto data = pairs(1000, 17);
  ctx().parallelize(data, 6).reduceByKey([](int64_t a, int64_t b) { return a + b; }, 4).collect();
  ASSERT_EQ(recorder->jobStarts.size(), 1u);
  const auto& stages = recorder->jobStarts[0].stages;
  ASSERT_EQ(stages.size(), 2u);

  ember::TaskMetrics map, result;
  for (const auto& e : recorder->taskEndsOf(stages[0].stageId)) map += e.metrics;
  for (const auto& e : recorder->taskEndsOf(stages[1].stageId)) result += e.metrics;
  EXPECT_EQ(map.inputRecords, 1000);
  EXPECT_GT(map.inputBytes, 0);
  // Map-side combine: each map task writes one record per distinct key of
  // its slice.
  EXPECT_EQ(map.shuffleWriteRecords, distinctKeysPerSlice(data, 6));
  EXPECT_EQ(result.shuffleReadRecords, map.shuffleWriteRecords);
  EXPECT_EQ(result.shuffleReadBytes, map.shuffleWriteBytes);
  EXPECT_GT(map.shuffleWriteBytes, 0);
  EXPECT_EQ(map.shuffleReadRecords, 0);
  EXPECT_EQ(result.shuffleWriteRecords, 0);
  EXPECT_EQ(result.outputRecords, 17) << "collect receives one record per key";

  // The stage totals are the sums of their tasks'.
  for (const auto& [stage, sum] :
       {std::pair{stages[0].stageId, map}, std::pair{stages[1].stageId, result}}) {
    const ember::StageCompletedEvent* done = recorder->completionOf(stage);
    ASSERT_NE(done, nullptr);
    EXPECT_EQ(done->metrics.inputRecords, sum.inputRecords);
    EXPECT_EQ(done->metrics.shuffleWriteRecords, sum.shuffleWriteRecords);
    EXPECT_EQ(done->metrics.shuffleReadRecords, sum.shuffleReadRecords);
    EXPECT_EQ(done->metrics.shuffleWriteBytes, sum.shuffleWriteBytes);
    EXPECT_EQ(done->metrics.outputRecords, sum.outputRecords);
  }
}

TEST_P(DagScheduler, ShuffleWithoutCombineMovesEveryRecord) {
  ctx().parallelize(pairs(500, 9), 5).groupByKey(3).count();
  const auto& stages = recorder->jobStarts.at(0).stages;
  ASSERT_EQ(stages.size(), 2u);
  ember::TaskMetrics map, result;
  for (const auto& e : recorder->taskEndsOf(stages[0].stageId)) map += e.metrics;
  for (const auto& e : recorder->taskEndsOf(stages[1].stageId)) result += e.metrics;
  EXPECT_EQ(map.inputRecords, 500);
  EXPECT_EQ(map.shuffleWriteRecords, 500);
  EXPECT_EQ(result.shuffleReadRecords, 500);
}

TEST_P(DagScheduler, InputRecordsCountTheSourceElements) {
  ctx().range(0, 777, 1, 4).filter([](int64_t x) { return x % 2 == 0; }).count();
  int64_t input = 0, output = 0;
  for (const auto& e : recorder->taskEnds) {
    input += e.metrics.inputRecords;
    output += e.metrics.outputRecords;
  }
  EXPECT_EQ(input, 777);
  EXPECT_EQ(output, 389);
}

TEST_P(DagScheduler, TaskIdsAreUniqueAndJobIdsIncrease) {
  auto rdd =
      ctx().parallelize(pairs(40, 4), 4).reduceByKey([](int64_t a, int64_t b) { return a + b; });
  rdd.collect();
  rdd.count();
  ctx().range(0, 10, 1, 3).count();
  std::set<int64_t> ids;
  for (const auto& e : recorder->taskStarts)
    EXPECT_TRUE(ids.insert(e.task.taskId).second) << e.task.taskId;
  ASSERT_EQ(recorder->jobStarts.size(), 3u);
  EXPECT_LT(recorder->jobStarts[0].jobId, recorder->jobStarts[1].jobId);
  EXPECT_LT(recorder->jobStarts[1].jobId, recorder->jobStarts[2].jobId);
}

TEST_P(DagScheduler, TaskContextDescribesTheRunningTask) {
  EXPECT_EQ(ember::TaskContext::get(), nullptr) << "no task runs on the test's thread";
  auto seen = ctx()
                  .parallelize(std::vector<int>{0, 0, 0, 0, 0, 0}, 3)
                  .mapPartitionsWithIndex([](int index, std::vector<int>&&) {
                    ember::TaskContext* tc = ember::TaskContext::get();
                    std::vector<std::pair<int, int>> out;
                    out.emplace_back(index, tc ? tc->partitionId() : -1);
                    out.emplace_back(tc ? tc->attemptNumber() : -1, tc ? tc->stageId() : -1);
                    return out;
                  })
                  .collect();
  ASSERT_EQ(seen.size(), 6u);
  const int stage = recorder->jobStarts.at(0).stages.at(0).stageId;
  for (int p = 0; p < 3; ++p) {
    EXPECT_EQ(seen[2 * p], (std::pair{p, p}));
    EXPECT_EQ(seen[2 * p + 1], (std::pair{0, stage}));
  }
}

// ---- Failures ----

struct CustomFailure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

TEST_P(DagScheduler, FailedTaskFailsTheJobNamingTaskStageAndCause) {
  auto rdd = ctx().parallelize(std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7}, 4).map([](int x) {
    if (x == 5) throw CustomFailure("record five is cursed");
    return x;
  });
  std::string message;
  std::exception_ptr cause;
  try {
    rdd.collect();
    FAIL() << "the job did not fail";
  } catch (const ember::JobFailed& e) {
    message = e.what();
    cause = e.cause();
  }
  ASSERT_EQ(recorder->jobStarts.size(), 1u);
  const int stage = recorder->jobStarts[0].stages.at(0).stageId;
  // Element 5 of 8 in 4 slices lies in partition 2.
  EXPECT_THAT(message, HasSubstr("Task 2 in stage " + std::to_string(stage) + ".0"));
  EXPECT_THAT(message, HasSubstr("failed 1 times"));
  EXPECT_THAT(message, HasSubstr("record five is cursed"));
  EXPECT_THAT(message, HasSubstr("CustomFailure"));
  EXPECT_THAT(message,
              HasSubstr("Job " + std::to_string(recorder->jobStarts[0].jobId) + " aborted"));

  // The failed attempt's TID appears in the message.
  const ember::TaskEndEvent* failed = nullptr;
  for (const auto& e : recorder->taskEnds) {
    if (!e.succeeded) failed = &e;
  }
  ASSERT_NE(failed, nullptr);
  EXPECT_EQ(failed->task.partition, 2);
  EXPECT_EQ(failed->task.attemptNumber, 0);
  EXPECT_THAT(failed->error, HasSubstr("CustomFailure"));
  EXPECT_THAT(failed->error, HasSubstr("record five is cursed"));
  EXPECT_THAT(message, HasSubstr("Lost task 2.0 in stage " + std::to_string(stage) + ".0 (TID " +
                                 std::to_string(failed->task.taskId) + ","));

  ASSERT_TRUE(cause);
  EXPECT_THROW(std::rethrow_exception(cause), CustomFailure);
  try {
    std::rethrow_exception(cause);
  } catch (const CustomFailure& e) {
    EXPECT_STREQ(e.what(), "record five is cursed");
  }

  ASSERT_EQ(recorder->jobEnds.size(), 1u);
  EXPECT_FALSE(recorder->jobEnds[0].succeeded);
  EXPECT_EQ(recorder->jobEnds[0].error, message);
  const ember::StageCompletedEvent* done = recorder->completionOf(stage);
  ASSERT_NE(done, nullptr);
  EXPECT_FALSE(done->succeeded);
}

TEST_P(DagScheduler, FailureInAMapStageNamesThatStage) {
  auto rdd = ctx()
                 .parallelize(pairs(40, 4), 4)
                 .map([](const Pair& p) {
                   if (p.second == 39) throw std::invalid_argument("bad pair 39");
                   return p;
                 })
                 .reduceByKey([](int64_t a, int64_t b) { return a + b; }, 2);
  try {
    rdd.collect();
    FAIL() << "the job did not fail";
  } catch (const ember::JobFailed& e) {
    const auto& stages = recorder->jobStarts.at(0).stages;
    ASSERT_EQ(stages.size(), 2u);
    EXPECT_THAT(e.what(), HasSubstr("Task 3 in stage " + std::to_string(stages[0].stageId) + ".0"));
    EXPECT_THAT(e.what(), HasSubstr("std::invalid_argument"));
    EXPECT_THAT(e.what(), HasSubstr("bad pair 39"));
    EXPECT_THROW(std::rethrow_exception(e.cause()), std::invalid_argument);
    EXPECT_TRUE(recorder->taskStartsOf(stages[1].stageId).empty())
        << "the result stage must not run";
  }
}

TEST_P(DagScheduler, ContextStaysUsableAfterAFailedJob) {
  auto failing = ctx().parallelize(std::vector<int>{1, 2, 3}, 3).map([](int x) {
    if (x == 2) throw std::runtime_error("no");
    return x;
  });
  EXPECT_THROW(failing.collect(), ember::JobFailed);
  EXPECT_EQ(
      ctx().parallelize(std::vector<int>{1, 2, 3}, 3).map([](int x) { return x + 1; }).collect(),
      (std::vector<int>{2, 3, 4}));
}

TEST_P(DagScheduler, NonStandardExceptionIsReportedByType) {
  auto rdd = ctx().parallelize(std::vector<int>{1, 2}, 2).map([](int x) {
    if (x == 2) throw 42;
    return x;
  });
  try {
    rdd.collect();
    FAIL() << "the job did not fail";
  } catch (const ember::JobFailed& e) {
    EXPECT_THAT(e.what(), HasSubstr("int"));
    EXPECT_THAT(e.what(), HasSubstr("not a std::exception"));
    EXPECT_THROW(std::rethrow_exception(e.cause()), int);
  }
}

// ---- Retries: local[N,F] ----

class DagSchedulerRetries : public ::testing::Test {
 protected:
  ember::Context ctx{ember::Conf().set("ember.master", "local[2,3]")};
  std::shared_ptr<Recorder> recorder = std::make_shared<Recorder>();
  void SetUp() override { ctx.addListener(recorder); }
};

TEST_F(DagSchedulerRetries, TaskFailingOnlyItsFirstAttemptSucceeds) {
  auto rdd = ctx.parallelize(std::vector<int>{0, 1, 2, 3, 4, 5}, 3).map([](int x) {
    ember::TaskContext* tc = ember::TaskContext::get();
    if (tc->partitionId() == 1 && tc->attemptNumber() == 0) throw std::runtime_error("flaky");
    return x * 10;
  });
  EXPECT_EQ(rdd.collect(), (std::vector<int>{0, 10, 20, 30, 40, 50}));

  std::vector<std::pair<int, bool>> partition1;  // (attempt, succeeded)
  for (const auto& e : recorder->taskEnds) {
    if (e.task.partition == 1) {
      partition1.emplace_back(e.task.attemptNumber, e.succeeded);
    } else {
      EXPECT_EQ(e.task.attemptNumber, 0);
    }
  }
  EXPECT_EQ(partition1, (std::vector<std::pair<int, bool>>{{0, false}, {1, true}}));
  EXPECT_EQ(recorder->taskStarts.size(), 4u);
  ASSERT_EQ(recorder->jobEnds.size(), 1u);
  EXPECT_TRUE(recorder->jobEnds[0].succeeded);
}

TEST_F(DagSchedulerRetries, RetriedMapTaskDoesNotDuplicateShuffleOutput) {
  auto sums = ctx.parallelize(pairs(60, 6), 3)
                  .map([](const Pair& p) {
                    ember::TaskContext* tc = ember::TaskContext::get();
                    if (tc->partitionId() == 2 && tc->attemptNumber() == 0 && p.second == 50) {
                      throw std::runtime_error("halfway");
                    }
                    return p;
                  })
                  .reduceByKey([](int64_t a, int64_t b) { return a + b; }, 2)
                  .collect();
  std::map<int, int64_t> expected;
  for (const auto& [k, v] : pairs(60, 6)) expected[k] += v;
  const std::map<int, int64_t> actual(sums.begin(), sums.end());
  EXPECT_EQ(actual, expected);
}

TEST_F(DagSchedulerRetries, TaskFailingEveryAttemptFailsTheJobAfterThreeAttempts) {
  auto rdd = ctx.parallelize(std::vector<int>{0, 1, 2, 3}, 2).map([](int x) {
    if (x == 3) throw CustomFailure("always");
    return x;
  });
  try {
    rdd.collect();
    FAIL() << "the job did not fail";
  } catch (const ember::JobFailed& e) {
    const int stage = recorder->jobStarts.at(0).stages.at(0).stageId;
    EXPECT_THAT(e.what(), HasSubstr("Task 1 in stage " + std::to_string(stage) + ".0"));
    EXPECT_THAT(e.what(), HasSubstr("failed 3 times"));
    EXPECT_THAT(e.what(), HasSubstr("Lost task 1.2 in stage"));
    EXPECT_THAT(e.what(), HasSubstr("always"));
    EXPECT_THROW(std::rethrow_exception(e.cause()), CustomFailure);
  }
  std::vector<int> attempts;
  for (const auto& e : recorder->taskEnds) {
    if (e.task.partition == 1) {
      EXPECT_FALSE(e.succeeded);
      attempts.push_back(e.task.attemptNumber);
    }
  }
  EXPECT_EQ(attempts, (std::vector<int>{0, 1, 2}));
}

TEST(DagSchedulerAttempts, LocalWithoutFailureCountMakesOneAttempt) {
  ember::Context ctx(
      ember::Conf().set("ember.master", "local[2]").set("ember.task.maxFailures", "4"));
  std::atomic<int> attempts{0};
  auto rdd = ctx.parallelize(std::vector<int>{1}, 1).map([&attempts](int x) {
    ++attempts;
    throw std::runtime_error("once");
    return x;
  });
  try {
    rdd.collect();
    FAIL() << "the job did not fail";
  } catch (const ember::JobFailed& e) {
    EXPECT_THAT(e.what(), HasSubstr("failed 1 times"));
  }
  EXPECT_EQ(attempts.load(), 1);
}

// ---- Delivery ----

/// Fails the test if two events are delivered at the same time.
struct ConcurrencyDetector : ember::SchedulerListener {
  void enter() {
    if (inside.exchange(true)) overlaps.fetch_add(1);
    // Widen the window in which an overlapping call would be caught.
    std::this_thread::sleep_for(std::chrono::microseconds(200));
    ++events;
    inside.store(false);
  }
  void onJobStart(const ember::JobStartEvent&) override { enter(); }
  void onJobEnd(const ember::JobEndEvent&) override { enter(); }
  void onStageSubmitted(const ember::StageSubmittedEvent&) override { enter(); }
  void onStageCompleted(const ember::StageCompletedEvent&) override { enter(); }
  void onTaskStart(const ember::TaskStartEvent&) override { enter(); }
  void onTaskEnd(const ember::TaskEndEvent&) override { enter(); }

  std::atomic<bool> inside{false};
  std::atomic<int> overlaps{0};
  int events = 0;
};

TEST(DagSchedulerEvents, ListenerReceivesOneEventAtATime) {
  ember::Context ctx(ember::Conf().set("ember.master", "local[4]"));
  auto detector = std::make_shared<ConcurrencyDetector>();
  ctx.addListener(detector);
  auto sums = ctx.parallelize(pairs(2000, 50), 32)
                  .reduceByKey([](int64_t a, int64_t b) { return a + b; }, 16);
  EXPECT_EQ(sums.count(), 50);
  EXPECT_EQ(detector->overlaps.load(), 0);
  // job start/end, 2 stages submitted/completed, 48 task starts and ends.
  EXPECT_EQ(detector->events, 2 + 4 + 2 * 48);
}

TEST(DagSchedulerEvents, TwoListenersBothSeeEveryEventAndRemovedOnesNone) {
  ember::Context ctx(ember::Conf().set("ember.master", "local[2]"));
  auto a = std::make_shared<Recorder>();
  auto b = std::make_shared<Recorder>();
  ctx.addListener(a);
  ctx.addListener(b);
  ctx.range(0, 100, 1, 4).count();
  ctx.removeListener(b);
  ctx.range(0, 100, 1, 4).count();
  EXPECT_EQ(a->jobStarts.size(), 2u);
  EXPECT_EQ(a->taskEnds.size(), 8u);
  EXPECT_EQ(b->jobStarts.size(), 1u);
  EXPECT_EQ(b->taskEnds.size(), 4u);
}

}  // namespace

namespace {

TEST_P(DagScheduler, ActionInsideATaskFailsInsteadOfDeadlocking) {
  auto inner = ctx().parallelize(std::vector<int>{1, 2, 3}, 2);
  auto outer = ctx().parallelize(std::vector<int>{10, 20}, 2).map([inner](const int& x) {
    return x + static_cast<int>(inner.count());
  });
  try {
    outer.collect();
    FAIL() << "an action inside a task must fail";
  } catch (const ember::JobFailed& e) {
    EXPECT_THAT(e.what(), HasSubstr("was called inside a task"));
    EXPECT_THAT(e.what(), HasSubstr("actions run on the driver only"));
  }
  // The context still runs jobs afterwards.
  EXPECT_EQ(inner.count(), 3);
}

}  // namespace
