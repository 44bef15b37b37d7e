// Speculative execution on local-cluster[3,1]: one task of a stage is made
// very slow on its first attempt; with ember.speculation on, a copy runs in
// another process, the first to finish counts, the slow one is killed, and
// the answer and the accumulators equal a plain loop's, counted once.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <thread>
#include <utility>
#include <vector>

#include <ember/ember.hpp>

#include "support/event_log.hpp"
#include "support/shapes.hpp"

namespace ember::testing {
namespace {

using ::testing::HasSubstr;
using Clock = std::chrono::steady_clock;

constexpr int64_t kRecords = 24000;
constexpr int kPartitions = 12;
constexpr int kSlowPartition = 5;
constexpr int kKeys = 31;
/// The slow attempt would take 2 ms for each of its 2000 records: 4 s.
constexpr auto kSlowPerRecord = std::chrono::milliseconds(2);

Conf speculating(bool on) {
  return clusterConf(Conf()
                         .set("ember.master", "local-cluster[3,1]")
                         .set("ember.speculation", on ? "true" : "false")
                         // Small batches: a killed attempt stops at its next one.
                         .set("ember.batch.size", "16")
                         // Far above a fast task's time, even under a sanitizer
                         // (where one may still be copied: the test allows it).
                         .set("ember.speculation.minTaskRuntime", "1s"));
}

/// The first attempt of kSlowPartition is slow; every other attempt is fast.
void slowOnFirstAttempt() {
  const TaskContext* tc = TaskContext::get();
  if (tc->partitionId() == kSlowPartition && tc->attemptNumber() == 0)
    std::this_thread::sleep_for(kSlowPerRecord);
}

class Speculation : public ::testing::Test {
 protected:
  void SetUp() override { ctx.addListener(events); }

  /// Sums by key, counting the records seen in an accumulator.
  std::map<int64_t, int64_t> run() {
    auto seen = ctx.longAccumulator("records seen");
    auto sums = ctx.range(0, kRecords, 1, kPartitions)
                    .map([seen](int64_t x) mutable {
                      slowOnFirstAttempt();
                      seen.add(1);
                      return std::pair{x % kKeys, x};
                    })
                    .reduceByKey(std::plus<>{}, 4)
                    .collectAsMap();
    recordsSeen = seen.value();
    return {sums.begin(), sums.end()};
  }

  static std::map<int64_t, int64_t> plainSums() {
    std::map<int64_t, int64_t> sums;
    for (int64_t x = 0; x < kRecords; ++x) sums[x % kKeys] += x;
    return sums;
  }

  Context ctx{speculating(true)};
  std::shared_ptr<EventLog> events = std::make_shared<EventLog>();
  int64_t recordsSeen = 0;
};

TEST_F(Speculation, ASlowTaskIsCopiedElsewhereAndCountsOnce) {
  const auto start = Clock::now();
  EXPECT_EQ(run(), plainSums());
  EXPECT_EQ(recordsSeen, kRecords);
  if (!ctx.isDriver()) return;
  // The copy finished long before the slow attempt would have.
  EXPECT_LT(Clock::now() - start, kSlowPerRecord * (kRecords / kPartitions) * 3 / 4);

  // The slow partition has a copy, in another process, which won; the slow
  // attempt ended killed. On a slow (sanitized) machine another task may be
  // copied too: then one of its two attempts ended killed.
  std::map<int, std::string> copyExecutor;  // partition of stage 0 -> where its copy ran
  for (const TaskInfo& t : events->started()) {
    if (t.stageId != 0 || !t.speculative) continue;
    EXPECT_EQ(t.attemptNumber, 1);
    copyExecutor[t.partition] = t.executorId;
  }
  ASSERT_TRUE(copyExecutor.contains(kSlowPartition)) << "the slow task was not copied";
  int killed = 0;
  for (const TaskEndEvent& e : events->ended()) {
    if (e.task.stageId != 0) continue;
    if (!e.succeeded) {
      EXPECT_THAT(e.error, HasSubstr("TaskKilled"));
      EXPECT_TRUE(copyExecutor.contains(e.task.partition)) << "killed without a copy";
      ++killed;
    }
    if (e.task.partition != kSlowPartition) continue;
    EXPECT_EQ(e.succeeded, e.task.speculative) << "the copy wins, the slow attempt is killed";
    if (!e.task.speculative) {
      EXPECT_NE(copyExecutor[kSlowPartition], e.task.executorId);
    }
  }
  const int copies = static_cast<int>(copyExecutor.size());
  EXPECT_EQ(killed, copies);

  const StageCompletedEvent mapStage = events->completed().at(0);
  EXPECT_TRUE(mapStage.succeeded);
  EXPECT_EQ(mapStage.taskAttempts, kPartitions + copies);
  EXPECT_EQ(mapStage.speculativeAttempts, copies);
  EXPECT_EQ(mapStage.killedAttempts, copies);
  EXPECT_EQ(mapStage.failedAttempts, 0);
  EXPECT_EQ(mapStage.recomputedTasks, 0) << "a copy is not a recomputation";
  // Only the winners' records count in the stage's metrics.
  EXPECT_EQ(mapStage.metrics.inputRecords, kRecords);
}

TEST(SpeculationOff, TheSlowTaskIsWaitedForAndNothingIsCopied) {
  Context ctx(speculating(false));
  auto events = std::make_shared<EventLog>();
  ctx.addListener(events);
  const auto start = Clock::now();
  const int64_t count = ctx.range(0, kRecords, 1, kPartitions)
                            .map([](int64_t x) {
                              slowOnFirstAttempt();
                              return x;
                            })
                            .count();
  EXPECT_EQ(count, kRecords);
  if (!ctx.isDriver()) return;
  EXPECT_GE(Clock::now() - start, kSlowPerRecord * (kRecords / kPartitions));
  for (const TaskInfo& t : events->started()) EXPECT_FALSE(t.speculative);
}

}  // namespace
}  // namespace ember::testing
