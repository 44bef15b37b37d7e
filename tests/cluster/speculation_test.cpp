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
/// The slow attempt would take 1 ms for each of its 2000 records: 2 s.
constexpr auto kSlowPerRecord = std::chrono::milliseconds(1);

Conf speculating(bool on) {
  return clusterConf(Conf()
                         .set("ember.master", "local-cluster[3,1]")
                         .set("ember.speculation", on ? "true" : "false")
                         // Small batches: a killed attempt stops at its next one.
                         .set("ember.batch.size", "16"));
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
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(1));

  std::vector<TaskInfo> copies;
  for (const TaskInfo& t : events->started())
    if (t.speculative) copies.push_back(t);
  ASSERT_EQ(copies.size(), 1u);
  EXPECT_EQ(copies[0].partition, kSlowPartition);
  EXPECT_EQ(copies[0].attemptNumber, 1);
  std::string slowExecutor;
  int killed = 0;
  for (const TaskEndEvent& e : events->ended()) {
    if (e.task.stageId != 0 || e.task.partition != kSlowPartition) continue;
    if (e.task.speculative) {
      EXPECT_TRUE(e.succeeded) << e.error;
    } else {
      EXPECT_FALSE(e.succeeded);
      EXPECT_THAT(e.error, HasSubstr("TaskKilled"));
      slowExecutor = e.task.executorId;
      ++killed;
    }
  }
  EXPECT_EQ(killed, 1);
  EXPECT_NE(copies[0].executorId, slowExecutor) << "the copy must run in another process";

  const StageCompletedEvent& mapStage = events->completed().at(0);
  EXPECT_TRUE(mapStage.succeeded);
  EXPECT_EQ(mapStage.taskAttempts, kPartitions + 1);
  EXPECT_EQ(mapStage.speculativeAttempts, 1);
  EXPECT_EQ(mapStage.killedAttempts, 1);
  EXPECT_EQ(mapStage.failedAttempts, 0);
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
