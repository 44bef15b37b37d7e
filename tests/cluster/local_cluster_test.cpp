// local-cluster[3,1]: three processes of this test program on loopback, the
// same code path as ember-run. Every answer is checked against a plain loop;
// the driver also checks that tasks really ran in other processes, that an
// action under ctx.isDriver() works, and that processes which built
// different RDDs fail with the lineage error instead of hanging.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <ember/ember.hpp>

#include "support/shapes.hpp"
#include "support/temp_dir.hpp"

namespace {

using ember::testing::clusterConf;
using ember::testing::TempDir;
using ::testing::HasSubstr;

/// The executors tasks ran on, as the driver's events name them.
class ExecutorRecorder : public ember::SchedulerListener {
 public:
  void onTaskEnd(const ember::TaskEndEvent& e) override {
    std::lock_guard lock(mutex_);
    executors_.insert(e.task.executorId);
  }
  std::set<std::string> executors() const {
    std::lock_guard lock(mutex_);
    return executors_;
  }

 private:
  mutable std::mutex mutex_;
  std::set<std::string> executors_;
};

ember::Context makeContext() {
  return ember::Context(clusterConf(ember::Conf().set("ember.master", "local-cluster[3,1]")));
}

std::string text() {
  std::ostringstream out;
  for (int i = 0; i < 3000; ++i) out << "w" << (i * 7919) % 113 << " x" << i % 17 << "\n";
  return out.str();
}

std::map<std::string, int64_t> plainWordCount(const std::string& content) {
  std::map<std::string, int64_t> counts;
  std::istringstream in(content);
  for (std::string word; in >> word;) ++counts[word];
  return counts;
}

TEST(LocalCluster, WordCountRunsOnEveryProcessAndMatchesAPlainLoop) {
  TempDir dir;
  const std::string content = text();
  const std::string input = dir.write("in.txt", content);
  auto ctx = makeContext();
  auto recorder = std::make_shared<ExecutorRecorder>();
  ctx.addListener(recorder);
  EXPECT_EQ(ctx.defaultParallelism(), 3);
  auto counts = ctx.textFile(input, 6)
                    .flatMap([](const std::string& line) { return ember::splitWords(line); })
                    .map([](const std::string& w) {
                      return std::pair{w, int64_t{1}};
                    })
                    .reduceByKey(std::plus<>{}, 5)
                    .collect();
  // collect() returns the same answer in every process.
  std::map<std::string, int64_t> got(counts.begin(), counts.end());
  EXPECT_EQ(got, plainWordCount(content));
  if (ctx.isDriver()) {
    EXPECT_EQ(recorder->executors(), (std::set<std::string>{"driver", "1", "2"}));
  }
}

TEST(LocalCluster, JoinSortAndGroupAcrossProcesses) {
  auto ctx = makeContext();
  std::vector<std::pair<int, int>> left;
  std::vector<std::pair<int, std::string>> right;
  for (int i = 0; i < 2000; ++i) left.emplace_back(i % 97, i);
  for (int i = 0; i < 500; ++i) right.emplace_back(i % 89, "r" + std::to_string(i));
  auto joined = ctx.parallelize(left, 4).join(ctx.parallelize(right, 3), 4).collect();
  std::vector<std::pair<int, std::pair<int, std::string>>> expected;
  for (const auto& [k, v] : left)
    for (const auto& [k2, w] : right)
      if (k == k2) expected.push_back({k, {v, w}});
  std::sort(joined.begin(), joined.end());
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(joined, expected);

  auto sorted = ctx.parallelize(left, 5)
                    .map([](const auto& kv) {
                      return std::pair{kv.second % 1000, kv.first};
                    })
                    .sortByKey(true, 3)
                    .keys()
                    .collect();
  std::vector<int> plain;
  for (const auto& kv : left) plain.push_back(kv.second % 1000);
  std::sort(plain.begin(), plain.end());
  EXPECT_EQ(sorted, plain);

  auto sums = ctx.parallelize(left, 4)
                  .groupByKey(3)
                  .mapValues([](const std::vector<int>& vs) {
                    int64_t s = 0;
                    for (int v : vs) s += v;
                    return s;
                  })
                  .collectAsMap();
  std::map<int, int64_t> plainSums;
  for (const auto& [k, v] : left) plainSums[k] += v;
  EXPECT_EQ((std::map<int, int64_t>(sums.begin(), sums.end())), plainSums);
}

TEST(LocalCluster, AnActionOnlyTheDriverRunsStillAnswers) {
  auto ctx = makeContext();
  auto rdd = ctx.range(0, 10000, 1, 6)
                 .map([](int64_t x) {
                   return std::pair{x % 10, x};
                 })
                 .reduceByKey(std::plus<>{});
  int64_t keys = 0;
  if (ctx.isDriver()) keys = rdd.count();
  auto total = rdd.values().reduce(std::plus<>{});
  EXPECT_EQ(total, 10000LL * 9999 / 2);
  if (ctx.isDriver()) {
    EXPECT_EQ(keys, 10);
  }
}

TEST(LocalCluster, ProcessesThatBuiltDifferentRddsFailWithTheLineageError) {
  auto ctx = makeContext();
  auto rdd = ctx.range(0, 100, 1, 3);
  if (!ctx.isDriver()) rdd = rdd.filter([](int64_t x) { return x > 0; });
  try {
    rdd.count();
    FAIL() << "the job ran although the processes built different RDDs";
  } catch (const ember::Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("main() must build the same RDDs on every process"));
  }
}

TEST(LocalCluster, AnExecutorThatStopsAnsweringIsLostAndItsTasksRunElsewhere) {
  // SIGSTOP leaves its connection open: only the missing heartbeats tell.
  auto ctx = ember::Context(clusterConf(ember::Conf()
                                            .set("ember.master", "local-cluster[3,1]")
                                            .set("ember.executor.heartbeatInterval", "100ms")
                                            .set("ember.network.timeout", "2s")));
  const auto pids =
      ctx.range(0, 6, 1, 6).map([](int64_t) { return static_cast<int64_t>(::getpid()); }).collect();
  pid_t victim = 0;
  for (int64_t pid : pids) {
    if (pid != ::getpid()) victim = static_cast<pid_t>(pid);
  }
  if (ctx.isDriver()) {
    ASSERT_NE(victim, 0) << "no task ran in an executor";
    ASSERT_EQ(::kill(victim, SIGSTOP), 0);
  }
  const auto start = std::chrono::steady_clock::now();
  const int64_t n = 60000;
  EXPECT_EQ(ctx.range(0, n, 1, 6).map([](int64_t x) { return 2 * x; }).reduce(std::plus<>{}),
            n * (n - 1));
  if (!ctx.isDriver()) return;
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(30));
  ctx.stop();
  EXPECT_EQ(::kill(victim, 0), -1) << "the hung executor outlived the job";
}

}  // namespace
