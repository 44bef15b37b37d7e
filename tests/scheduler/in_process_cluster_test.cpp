// The cluster scheduler on the in-process cluster shape: three ranks as
// threads of this process over an InProcessTransport group. Each answer is
// checked against a plain loop; losses and slow tasks are made to happen at
// a chosen task, so every run takes the same path.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <ember/ember.hpp>

#include "support/event_log.hpp"
#include "support/in_process_cluster.hpp"

namespace ember::testing {
namespace {

using ::testing::HasSubstr;
using Clock = std::chrono::steady_clock;

constexpr int64_t kRecords = 24000;
constexpr int kMaps = 12;
constexpr int kKeys = 31;

using Sums = std::map<int64_t, int64_t>;

Sums plainSums() {
  Sums sums;
  for (int64_t x = 0; x < kRecords; ++x) sums[x % kKeys] += x;
  return sums;
}

Conf threeRanks() { return Conf().set("ember.executor.cores", "1"); }

TEST(InProcessCluster, EveryRankGetsTheAnswerOfAPlainLoop) {
  InProcessCluster cluster(3, threeRanks());
  std::atomic<int> ranksChecked{0};
  std::set<std::string> executors;
  std::mutex executorsMutex;
  cluster.run([&](Context& ctx) {
    auto events = std::make_shared<EventLog>();
    if (ctx.isDriver()) ctx.addListener(events);
    auto sums = ctx.range(0, kRecords, 1, kMaps)
                    .map([](int64_t x) {
                      return std::pair{x % kKeys, x};
                    })
                    .reduceByKey(std::plus<>{}, 5)
                    .collectAsMap();
    EXPECT_EQ(Sums(sums.begin(), sums.end()), plainSums());
    ++ranksChecked;
    if (!ctx.isDriver()) return;
    std::lock_guard lock(executorsMutex);
    for (const TaskInfo& t : events->started()) executors.insert(t.executorId);
  });
  EXPECT_EQ(ranksChecked, 3);
  EXPECT_EQ(executors, (std::set<std::string>{"driver", "1", "2"}))
      << "the tasks ran on every rank";
}

TEST(InProcessCluster, AnExecutorLostMidStageHasItsTasksAndOutputsRecomputedElsewhere) {
  InProcessCluster cluster(3, threeRanks());
  std::vector<StageCompletedEvent> stages;
  std::vector<TaskEndEvent> ends;
  cluster.run([&](Context& ctx) {
    auto events = std::make_shared<EventLog>();
    if (ctx.isDriver()) ctx.addListener(events);
    const int me = InProcessCluster::rankOf(ctx);
    auto sums = ctx.range(0, kRecords, 1, kMaps)
                    .map([](int64_t x) {
                      return std::pair{x % kKeys, x};
                    })
                    .reduceByKey(std::plus<>{}, 6)
                    .mapValues([&cluster, me](int64_t sum) {
                      // Rank 2 dies in its first reduce task, after its map
                      // tasks' outputs were registered.
                      if (me == 2) cluster.crash(2);
                      return sum;
                    })
                    .collectAsMap();
    ASSERT_NE(me, 2) << "rank 2's action ends with the driver's loss";
    EXPECT_EQ(Sums(sums.begin(), sums.end()), plainSums());
    if (!ctx.isDriver()) return;
    stages = events->completed();
    ends = events->ended();
  });
  bool lostTask = false;
  for (const TaskEndEvent& e : ends) {
    if (!e.succeeded && e.error.find("ExecutorLostFailure") != std::string::npos) lostTask = true;
    if (lostTask && e.succeeded) {
      EXPECT_NE(e.task.executorId, "2") << "after the loss, tasks run on the others only";
    }
  }
  EXPECT_TRUE(lostTask) << "a task of rank 2 ended with its executor";
  int recomputed = 0;
  for (const StageCompletedEvent& s : stages) recomputed += s.recomputedTasks;
  EXPECT_GT(recomputed, 0) << "rank 2's map outputs were computed again";
}

TEST(InProcessCluster, ASlowTaskGetsASpeculativeCopyThatWins) {
  constexpr int kSlow = 5;
  static constexpr auto kSlowFor = std::chrono::milliseconds(4000);
  InProcessCluster cluster(3, threeRanks()
                                  .set("ember.speculation", "true")
                                  .set("ember.speculation.interval", "20ms")
                                  .set("ember.speculation.minTaskRuntime", "300ms")
                                  .set("ember.batch.size", "16"));
  std::vector<TaskInfo> started;
  std::vector<TaskEndEvent> ends;
  Clock::duration took{};
  cluster.run([&](Context& ctx) {
    auto events = std::make_shared<EventLog>();
    if (ctx.isDriver()) ctx.addListener(events);
    const auto start = Clock::now();
    auto seen = ctx.longAccumulator("seen");
    auto sums = ctx.range(0, kRecords, 1, kMaps)
                    .map([seen](int64_t x) mutable {
                      const TaskContext* tc = TaskContext::get();
                      if (tc->partitionId() == kSlow && tc->attemptNumber() == 0)
                        std::this_thread::sleep_for(kSlowFor / (kRecords / kMaps));
                      seen.add(1);
                      return std::pair{x % kKeys, x};
                    })
                    .reduceByKey(std::plus<>{}, 4)
                    .collectAsMap();
    EXPECT_EQ(Sums(sums.begin(), sums.end()), plainSums());
    EXPECT_EQ(seen.value(), kRecords) << "the killed attempt's records count once";
    if (!ctx.isDriver()) return;
    took = Clock::now() - start;
    started = events->started();
    ends = events->ended();
  });
  EXPECT_LT(took, kSlowFor * 3 / 4) << "the copy finished long before the slow attempt would";
  std::string copyRanOn;
  for (const TaskInfo& t : started) {
    if (t.stageId == 0 && t.partition == kSlow && t.speculative) copyRanOn = t.executorId;
  }
  ASSERT_FALSE(copyRanOn.empty()) << "the slow task was not copied";
  for (const TaskEndEvent& e : ends) {
    if (e.task.stageId != 0 || e.task.partition != kSlow) continue;
    EXPECT_EQ(e.succeeded, e.task.speculative) << "the copy wins, the slow attempt is killed";
    if (!e.task.speculative) {
      EXPECT_THAT(e.error, HasSubstr("TaskKilled"));
      EXPECT_NE(e.task.executorId, copyRanOn);
    }
  }
}

}  // namespace
}  // namespace ember::testing
