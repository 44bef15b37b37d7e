// ProcessGroup: children started together, stopped together, and reaped.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "common/error.hpp"
#include "common/process_group.hpp"
#include "support/process_state.hpp"
#include "support/temp_dir.hpp"

namespace ember {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

ProcessGroup::Child shell(const std::string& script) { return {{"/bin/sh", "-c", script}, {}}; }

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

TEST(ProcessGroup, SucceedsWhenEveryChildSucceeds) {
  testing::TempDir logs;
  ProcessGroup group(logs.path());
  group.start({shell("exit 0"), shell("exit 0"), shell("exit 0")});
  ProcessGroup::Result result = group.wait();
  EXPECT_TRUE(result.ok());
  EXPECT_EQ(result.exitCode(), 0);
  ASSERT_EQ(result.ranks.size(), 3u);
  for (int r = 0; r < 3; ++r) EXPECT_EQ(result.ranks[r].rank, r);
}

TEST(ProcessGroup, PassesTheEnvironmentAndLogsEveryRankButTheDriver) {
  testing::TempDir logs;
  ProcessGroup group(logs.path());
  ProcessGroup::Child child = shell("echo out $RANK_NAME; echo err >&2");
  child.env = {{"RANK_NAME", "one"}};
  ProcessGroup::Child driverToFile = shell("echo driver");
  driverToFile.output = ProcessGroup::Output::kLogFile;
  group.start({driverToFile, child});
  EXPECT_TRUE(group.wait().ok());
  EXPECT_EQ(testing::readFile(group.logFile(0)), "driver\n");
  EXPECT_EQ(testing::readFile(group.logFile(1)), "out one\nerr\n");
}

TEST(ProcessGroup, OneFailureStopsTheOthersAndIsDescribed) {
  testing::TempDir logs;
  ProcessGroup group(logs.path());
  const auto start = Clock::now();
  group.start({shell("exec sleep 30"), shell("exit 3"), shell("exec sleep 30")});
  ProcessGroup::Result result = group.wait();
  EXPECT_LT(secondsSince(start), 1.5);
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.exitCode(), 3) << "the cause, not the driver's SIGTERM";
  EXPECT_EQ(result.ranks[0].signal, SIGTERM);
  EXPECT_EQ(result.driverExitCode, 128 + SIGTERM);
  EXPECT_THAT(result.firstFailure, HasSubstr("rank 1 (pid "));
  EXPECT_THAT(result.firstFailure, HasSubstr("exited with code 3"));
  EXPECT_THAT(result.firstFailure, HasSubstr(group.logFile(1)));
}

TEST(ProcessGroup, DescribesAChildKilledByASignal) {
  testing::TempDir logs;
  ProcessGroup group(logs.path());
  group.start({shell("kill -KILL $$")});
  ProcessGroup::Result result = group.wait();
  EXPECT_EQ(result.exitCode(), 128 + SIGKILL);
  EXPECT_THAT(result.firstFailure, HasSubstr("killed by signal 9 (SIGKILL)"));
}

TEST(ProcessGroup, KillsAChildThatIgnoresSigtermAfterTheGracePeriod) {
  testing::TempDir logs;
  ProcessGroup group(logs.path(), 300ms);
  const std::string trapped = logs / "trapped";
  const auto start = Clock::now();
  // The failing child waits until the other ignores SIGTERM: a TERM sent
  // before the trap is set would end it at once.
  group.start({shell("trap '' TERM; touch " + trapped + "; sleep 30"),
               shell("while [ ! -e " + trapped + " ]; do sleep 0.01; done; exit 1")});
  ProcessGroup::Result result = group.wait();
  EXPECT_GE(secondsSince(start), 0.3);
  EXPECT_LT(secondsSince(start), 2.0);
  EXPECT_EQ(result.ranks[0].signal, SIGKILL);
}

TEST(ProcessGroup, StopsWhatAChildStartedToo) {
  testing::TempDir logs;
  ProcessGroup group(logs.path());
  const std::string pidFile = logs / "grandchild.pid";
  group.start({shell("sleep 30 & echo $! > " + pidFile + "; wait"),
               shell("while [ ! -s " + pidFile + " ]; do sleep 0.01; done; exit 1")});
  group.wait();
  const pid_t grandchild = std::stoi(testing::readFile(pidFile));
  EXPECT_TRUE(testing::awaitGone(grandchild, 2s));
}

TEST(ProcessGroup, TerminateFromAnotherThreadStopsEveryChild) {
  testing::TempDir logs;
  ProcessGroup group(logs.path());
  group.start({shell("exec sleep 30"), shell("exec sleep 30")});
  std::thread stopper([&] {
    std::this_thread::sleep_for(100ms);
    group.terminate();
  });
  const auto start = Clock::now();
  ProcessGroup::Result result = group.wait();
  stopper.join();
  EXPECT_LT(secondsSince(start), 1.5);
  EXPECT_TRUE(result.terminated);
  EXPECT_EQ(result.firstFailure, "") << "stopped children are not failures";
  EXPECT_NE(result.exitCode(), 0);
  for (const ProcessGroup::Status& s : result.ranks) EXPECT_TRUE(testing::processIsGone(s.pid));
}

TEST(ProcessGroup, AProgramThatCannotStartIsAnErrorAndStopsTheStartedOnes) {
  testing::TempDir logs;
  ProcessGroup group(logs.path());
  try {
    group.start({shell("exec sleep 30"), {{"/nonexistent/program"}, {}}});
    FAIL() << "start() should have thrown";
  } catch (const IoError& e) {
    EXPECT_THAT(e.what(), HasSubstr("cannot start '/nonexistent/program'"));
    EXPECT_THAT(e.what(), HasSubstr("No such file or directory"));
  }
  EXPECT_TRUE(group.wait().ranks.size() <= 1u);
}

TEST(ProcessGroup, DestructorKillsAndReapsChildrenNobodyWaitedFor) {
  testing::TempDir logs;
  std::vector<pid_t> pids;
  {
    ProcessGroup group(logs.path());
    group.start({shell("exec sleep 30"), shell("exec sleep 30")});
    pids = group.pids();
  }
  ASSERT_EQ(pids.size(), 2u);
  for (pid_t pid : pids) {
    int status = 0;
    EXPECT_EQ(::waitpid(pid, &status, WNOHANG), -1) << "already reaped, no zombie left";
    EXPECT_TRUE(testing::processIsGone(pid));
  }
}

}  // namespace
}  // namespace ember
