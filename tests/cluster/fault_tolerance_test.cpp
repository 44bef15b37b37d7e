// Fault tolerance by lineage on local-cluster[3,1]: an executor process is
// really killed (SIGKILL) during a map stage, during a shuffle read, and
// after its map outputs were registered but before they were read; each
// job still answers exactly what a plain loop computes, and the driver's
// events show the partitions that ran again. An executor whose connection
// carries a corrupt frame is dropped as lost, with the same recovery. A task that throws is retried
// on another executor, and a job whose task always throws fails with
// Spark's message.

#include <arpa/inet.h>
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <ember/ember.hpp>

#include "support/event_log.hpp"
#include "support/shapes.hpp"
#include "support/temp_dir.hpp"

namespace ember::testing {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

constexpr int64_t kRecords = 60000;
constexpr int kKeys = 97;

Context makeContext() {
  return Context(clusterConf(Conf()
                                 .set("ember.master", "local-cluster[3,1]")
                                 .set("ember.executor.heartbeatInterval", "200ms")
                                 .set("ember.network.timeout", "10s")));
}

std::map<int64_t, int64_t> plainSums() {
  std::map<int64_t, int64_t> sums;
  for (int64_t x = 0; x < kRecords; ++x) sums[x % kKeys] += x;
  return sums;
}

/// Kills the process it runs in, once per test and only in an executor:
/// the first task to call it there wins a file created exclusively.
class Killer {
 public:
  Killer(Context& ctx, const TempDir& dir)
      : driverPid_(ctx.broadcast(static_cast<int64_t>(::getpid()))), marker_(dir / "killed") {}

  void operator()() const {
    if (::getpid() == driverPid_.value()) return;
    const int fd = ::open(marker_.c_str(), O_CREAT | O_EXCL | O_WRONLY, 0600);
    if (fd < 0) return;
    ::close(fd);
    ::raise(SIGKILL);
  }

 private:
  Broadcast<int64_t> driverPid_;
  std::string marker_;
};

/// Writes garbage into the connection of the executor it runs in to the
/// driver, once per test: the driver then reads a frame that fails its
/// checks, as a damaged network or a broken peer would send.
class Saboteur {
 public:
  Saboteur(Context& ctx, const TempDir& dir)
      : driverPid_(ctx.broadcast(static_cast<int64_t>(::getpid()))), marker_(dir / "sabotaged") {}

  void operator()() const {
    if (::getpid() == driverPid_.value()) return;
    const int fd = ::open(marker_.c_str(), O_CREAT | O_EXCL | O_WRONLY, 0600);
    if (fd < 0) return;
    ::close(fd);
    const int socket = socketToDriver();
    ASSERT_GE(socket, 0) << "no connection to the driver's port";
    const std::string garbage(256, '\xab');
    ASSERT_EQ(::write(socket, garbage.data(), garbage.size()),
              static_cast<ssize_t>(garbage.size()));
  }

 private:
  /// The descriptor of the socket connected to EMBER_DRIVER_PORT.
  static int socketToDriver() {
    const int port = std::atoi(std::getenv("EMBER_DRIVER_PORT"));
    for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
      const int fd = std::atoi(entry.path().filename().c_str());
      sockaddr_in peer{};
      socklen_t length = sizeof peer;
      if (::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &length) == 0 &&
          peer.sin_family == AF_INET && ntohs(peer.sin_port) == port)
        return fd;
    }
    return -1;
  }

  Broadcast<int64_t> driverPid_;
  std::string marker_;
};

/// Partitions whose tasks of stage `stageId`, attempt 0, ran on `executor`.
std::set<int> partitionsRanOn(const EventLog& events, int stageId, const std::string& executor) {
  std::set<int> partitions;
  for (const TaskEndEvent& e : events.ended()) {
    if (e.succeeded && e.task.stageId == stageId && e.task.executorId == executor)
      partitions.insert(e.task.partition);
  }
  return partitions;
}

/// The map tasks of stage `stageId` that computed a lost output again, as
/// its completed attempts count them.
int recomputedIn(const EventLog& events, int stageId) {
  int recomputed = 0;
  for (const StageCompletedEvent& e : events.completed())
    if (e.stage.stageId == stageId) recomputed += e.recomputedTasks;
  return recomputed;
}

/// The executor whose task failed because its process was lost.
std::string lostExecutor(const EventLog& events) {
  for (const TaskEndEvent& e : events.failures()) {
    if (e.error.find("ExecutorLostFailure") != std::string::npos) return e.task.executorId;
  }
  return "";
}

/// A local-cluster[3,1] context whose driver keeps the scheduler's events.
class FaultTolerance : public ::testing::Test {
 protected:
  FaultTolerance() { ctx.addListener(events); }

  Context ctx = makeContext();
  std::shared_ptr<EventLog> events = std::make_shared<EventLog>();
};

std::map<int64_t, int64_t> asMap(const std::vector<std::pair<int64_t, int64_t>>& pairs) {
  return {pairs.begin(), pairs.end()};
}

TEST_F(FaultTolerance, AnExecutorKilledDuringAMapStage) {
  TempDir dir;
  const Killer kill(ctx, dir);
  auto sums = ctx.range(0, kRecords, 1, 6)
                  .map([kill](int64_t x) {
                    if (x % 10000 == 5000) kill();
                    return std::pair{x % kKeys, x};
                  })
                  .reduceByKey(std::plus<>{}, 4)
                  .collect();
  EXPECT_EQ(asMap(sums), plainSums());
  if (!ctx.isDriver()) return;
  const std::string lost = lostExecutor(*events);
  ASSERT_FALSE(lost.empty()) << "no task failed with its executor";
  // Every map partition ended successfully somewhere else, after the loss.
  std::set<int> done;
  for (const TaskEndEvent& e : events->ended()) {
    if (e.succeeded && e.task.stageId == 0 && e.task.executorId != lost)
      done.insert(e.task.partition);
  }
  EXPECT_EQ(done.size(), 6U);
}

TEST_F(FaultTolerance, AnExecutorKilledDuringAShuffleRead) {
  TempDir dir;
  const Killer kill(ctx, dir);
  auto sums = ctx.range(0, kRecords, 1, 6)
                  .map([](int64_t x) {
                    return std::pair{x % kKeys, x};
                  })
                  .reduceByKey(std::plus<>{}, 4)
                  .mapPartitions([kill](const std::vector<std::pair<int64_t, int64_t>>& part) {
                    kill();
                    return part;
                  })
                  .collect();
  EXPECT_EQ(asMap(sums), plainSums());
  if (!ctx.isDriver()) return;
  const std::string lost = lostExecutor(*events);
  ASSERT_FALSE(lost.empty()) << "no task failed with its executor";
  // The map outputs the lost executor held ran again, and only those.
  const std::set<int> heldThere = partitionsRanOn(*events, 0, lost);
  std::set<int> rerun;
  for (const StageInfo& s : events->submitted()) {
    if (s.stageId == 0 && s.attemptNumber > 0) {
      const auto p = events->partitionsStarted(0, s.attemptNumber);
      rerun.insert(p.begin(), p.end());
    }
  }
  EXPECT_EQ(rerun, heldThere);
  EXPECT_EQ(recomputedIn(*events, 0), static_cast<int>(heldThere.size()));
}

TEST_F(FaultTolerance, AnExecutorKilledAfterItsMapOutputsWereRegistered) {
  // Which process and executor ran each of six partitions.
  const auto pids =
      ctx.range(0, 6, 1, 6).map([](int64_t) { return static_cast<int64_t>(::getpid()); }).collect();
  auto shuffled = ctx.range(0, kRecords, 1, 6)
                      .map([](int64_t x) {
                        return std::pair{x % kKeys, x};
                      })
                      .reduceByKey(std::plus<>{}, 4);
  EXPECT_EQ(shuffled.count(), kKeys);  // the map outputs are now registered everywhere
  std::string victim;
  if (ctx.isDriver()) {
    std::map<int, std::string> executorOf;
    for (const TaskEndEvent& e : events->ended())
      if (e.task.stageId == 0) executorOf[e.task.partition] = e.task.executorId;
    for (size_t p = 0; p < pids.size(); ++p) {
      if (pids[p] == ::getpid() || executorOf[static_cast<int>(p)] == "driver") continue;
      victim = executorOf[static_cast<int>(p)];
      ASSERT_EQ(::kill(static_cast<pid_t>(pids[p]), SIGKILL), 0);
      break;
    }
    ASSERT_FALSE(victim.empty()) << "no task ran in an executor";
  }
  const int mapStage = 1;  // of the count: stage 0 was the pid job's
  const std::set<int> heldThere = partitionsRanOn(*events, mapStage, victim);
  events->clear();
  // The map stage is skipped: its outputs are registered. Reading those of
  // the killed executor fails, and just their map tasks run again.
  EXPECT_EQ(asMap(shuffled.collect()), plainSums());
  if (!ctx.isDriver()) return;
  ASSERT_FALSE(heldThere.empty()) << "the killed executor held no map output";
  std::set<int> mapStages;  // this job's: skipped, then resubmitted
  for (const StageInfo& s : events->submitted())
    if (s.isShuffleMap) mapStages.insert(s.stageId);
  std::set<int> rerun;
  for (const TaskInfo& t : events->started())
    if (mapStages.contains(t.stageId)) rerun.insert(t.partition);
  EXPECT_EQ(rerun, heldThere);
  int recomputed = 0;
  for (int stage : mapStages) recomputed += recomputedIn(*events, stage);
  EXPECT_EQ(recomputed, static_cast<int>(heldThere.size()));
}

TEST_F(FaultTolerance, AnExecutorSendingACorruptFrameIsLostAndTheJobRecovers) {
  TempDir dir;
  const Saboteur sabotage(ctx, dir);
  auto sums = ctx.range(0, kRecords, 1, 6)
                  .map([sabotage](int64_t x) {
                    if (x % 10000 == 5000) sabotage();
                    return std::pair{x % kKeys, x};
                  })
                  .reduceByKey(std::plus<>{}, 4)
                  .collect();
  // The saboteur's process is lost to the driver and fails its own job;
  // only the driver's answer is checked.
  if (!ctx.isDriver()) return;
  EXPECT_EQ(asMap(sums), plainSums());
  EXPECT_FALSE(lostExecutor(*events).empty()) << "no executor was lost";
}

TEST_F(FaultTolerance, ATaskThrowingOnItsFirstAttemptSucceedsOnAnotherExecutor) {
  const int64_t sum = ctx.range(0, kRecords, 1, 6)
                          .map([](int64_t x) {
                            if (x == 12345 && TaskContext::get()->attemptNumber() == 0)
                              throw std::runtime_error("bad record 12345");
                            return x;
                          })
                          .reduce(std::plus<>{});
  EXPECT_EQ(sum, kRecords * (kRecords - 1) / 2);
  if (!ctx.isDriver()) return;
  const auto failures = events->failures();
  ASSERT_EQ(failures.size(), 1U);
  EXPECT_THAT(failures[0].error, HasSubstr("bad record 12345"));
  for (const TaskEndEvent& e : events->ended()) {
    if (e.succeeded && e.task.partition == failures[0].task.partition) {
      EXPECT_EQ(e.task.attemptNumber, 1);
      EXPECT_NE(e.task.executorId, failures[0].task.executorId) << "retried where it failed";
    }
  }
}

TEST_F(FaultTolerance, ATaskThrowingEveryTimeFailsTheJobAfterMaxFailuresAttempts) {
  try {
    ctx.range(0, kRecords, 1, 6)
        .map([](int64_t x) {
          if (x == 12345) throw std::runtime_error("bad record 12345");
          return x;
        })
        .reduce(std::plus<>{});
    FAIL() << "the job succeeded although a task always throws";
  } catch (const JobFailed& e) {
    // Spark's shape: the stage, the partition, the attempts, the executor,
    // and the last exception's type and text.
    EXPECT_THAT(e.what(), AllOf(HasSubstr("aborted due to stage failure: Task 1 in stage 0.0"),
                                HasSubstr("failed 4 times"),
                                HasSubstr("Lost task 1.3 in stage 0.0"), HasSubstr("executor "),
                                HasSubstr("runtime_error"), HasSubstr("bad record 12345")));
  }
  // The context stays usable.
  EXPECT_EQ(ctx.range(0, 100, 1, 3).count(), 100);
}

}  // namespace
}  // namespace ember::testing
