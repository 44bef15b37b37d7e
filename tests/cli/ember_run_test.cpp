// ember-run, the launcher: real runs of the built ember-run on rank_probe
// (ranks, environment, logs, failures, Ctrl-C), and its parts in process
// (options, hostfile, placement, the ssh command line).

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "common/error.hpp"
#include "support/process.hpp"
#include "support/process_state.hpp"
#include "support/temp_dir.hpp"
#include "tools/hostfile.hpp"
#include "tools/launch_options.hpp"
#include "tools/launch_plan.hpp"
#include "tools/ssh_command.hpp"

namespace ember::launcher {
namespace {

namespace fs = std::filesystem;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using Env = std::map<std::string, std::string>;

std::string emberRun() { return EMBER_TEST_EMBER_RUN; }
std::string probe() { return EMBER_TEST_RANK_PROBE; }

size_t lineCount(const std::string& text) {
  return static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
}

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

/// ember-run started in the background in `dir`, its output in dir/stdout and dir/stderr.
pid_t startInBackground(const std::vector<std::string>& args, const std::string& dir) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addchdir_np(&actions, dir.c_str());
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, (dir + "/stdout").c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, (dir + "/stderr").c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = -1;
  EXPECT_EQ(::posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ), 0);
  posix_spawn_file_actions_destroy(&actions);
  return pid;
}

int exitStatusOf(pid_t pid) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

class EmberRun : public ::testing::Test {
 protected:
  /// ember-run with its log directory in the scratch directory, on rank_probe.
  testing::ProgramResult run(std::vector<std::string> options,
                             std::vector<std::string> probeArgs = {}) {
    std::vector<std::string> args{emberRun(), "--log-dir", logDir()};
    args.insert(args.end(), options.begin(), options.end());
    args.push_back(probe());
    args.insert(args.end(), {"--out", out()});
    args.insert(args.end(), probeArgs.begin(), probeArgs.end());
    return testing::runProgram(args);
  }

  std::string logDir() const { return scratch_ / "logs"; }
  std::string out() const { return scratch_.path(); }

  /// The EMBER_* variables rank r saw, and its PID.
  Env report(int rank) const {
    Env env;
    std::istringstream in(testing::readFile(scratch_ / ("rank-" + std::to_string(rank) + ".txt")));
    for (std::string line; std::getline(in, line);) {
      size_t eq = line.find('=');
      env[line.substr(0, eq)] = line.substr(eq + 1);
    }
    return env;
  }

  void expectEveryProbeGone(int ranks) const {
    for (int r = 0; r < ranks; ++r) {
      const std::string pid = report(r)["PID"];
      ASSERT_FALSE(pid.empty()) << "rank " << r << " wrote no report";
      EXPECT_TRUE(testing::processIsGone(std::stoi(pid))) << "rank " << r << " is still running";
    }
  }

  testing::TempDir scratch_;
};

TEST_F(EmberRun, StartsEveryRankWithTheSameSecretAndDriverAddress) {
  testing::ProgramResult r = run({"-n", "3"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  Env driver = report(0);
  EXPECT_THAT(driver["EMBER_SECRET"], ::testing::MatchesRegex("[0-9a-f]{64}"));
  EXPECT_GT(std::stoi(driver["EMBER_DRIVER_PORT"]), 0);
  for (int rank = 0; rank < 3; ++rank) {
    Env env = report(rank);
    EXPECT_EQ(env["EMBER_RANK"], std::to_string(rank));
    EXPECT_EQ(env["EMBER_SIZE"], "3");
    EXPECT_EQ(env["EMBER_SECRET"], driver.at("EMBER_SECRET"));
    EXPECT_EQ(env["EMBER_DRIVER_HOST"], "127.0.0.1");
    EXPECT_EQ(env["EMBER_DRIVER_PORT"], driver.at("EMBER_DRIVER_PORT"));
    EXPECT_EQ(env["EMBER_HOST"], "127.0.0.1");
    EXPECT_EQ(env["EMBER_LOG_DIR"], logDir());
  }
}

TEST_F(EmberRun, ShowsTheDriversOutputAndLogsTheOthers) {
  testing::ProgramResult r = run({"-n", "3"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(r.out, "probe rank 0 of 3\nprobe rank 0 done\n");
  EXPECT_THAT(r.err, HasSubstr("probe rank 0 on stderr"));
  EXPECT_THAT(r.err, HasSubstr("logs of this run are in " + logDir()));
  for (int rank : {1, 2}) {
    const std::string log = testing::readFile(logDir() + "/rank-" + std::to_string(rank) + ".log");
    EXPECT_THAT(log, HasSubstr("probe rank " + std::to_string(rank) + " of 3\n"));
    EXPECT_THAT(log, HasSubstr("probe rank " + std::to_string(rank) + " on stderr\n"));
  }
  EXPECT_FALSE(fs::exists(logDir() + "/rank-0.log"));
}

TEST_F(EmberRun, ReturnsTheDriversExitCode) {
  testing::ProgramResult r = run({"-n", "2"}, {"--exit", "0:7"});
  EXPECT_EQ(r.exitCode, 7) << r.err;
}

TEST_F(EmberRun, CreatesADatedLogDirectoryUnderTheCurrentOne) {
  const pid_t pid = startInBackground({emberRun(), "-n", "2", probe()}, out());
  ASSERT_EQ(exitStatusOf(pid), 0);
  std::vector<fs::path> runs;
  for (const auto& entry : fs::directory_iterator(scratch_ / "ember-logs"))
    runs.push_back(entry.path());
  ASSERT_EQ(runs.size(), 1u);
  const std::string name = runs[0].filename().string();
  EXPECT_TRUE(std::regex_match(name, std::regex(R"(\d{8}-\d{6}-\d+)"))) << name;
  EXPECT_TRUE(fs::exists(runs[0] / "rank-1.log"));
  EXPECT_THAT(testing::readFile(scratch_ / "stderr"), HasSubstr("ember-logs/" + name));
}

TEST_F(EmberRun, AFailingRankStopsEveryOtherQuickly) {
  const auto start = Clock::now();
  testing::ProgramResult r =
      run({"-n", "3"}, {"--barrier", "1", "--exit", "2:3", "--sleep", "*:30"});
  EXPECT_LT(secondsSince(start), 3.0);
  EXPECT_EQ(r.exitCode, 3);
  EXPECT_THAT(r.err, AllOf(HasSubstr("rank 2"), HasSubstr("exited with code 3"),
                           HasSubstr(logDir() + "/rank-2.log")));
  expectEveryProbeGone(3);
}

TEST_F(EmberRun, OnlyTheDriverIsGivenThePipeToTakeChargeOfFailures) {
  ASSERT_EQ(run({"-n", "2"}).exitCode, 0);
  EXPECT_EQ(report(0)["EMBER_LAUNCHER_FD"], "3");
  EXPECT_EQ(report(1).count("EMBER_LAUNCHER_FD"), 0u);
}

TEST_F(EmberRun, OnceTheDriverTookChargeAnExecutorsCrashStopsNothing) {
  const auto start = Clock::now();
  testing::ProgramResult r = run(
      {"-n", "3"}, {"--barrier", "1", "--take-charge", "0", "--crash", "2", "--sleep", "0:2,*:30"});
  // The driver ran its 2 s to the end; rank 1, told nothing by this probe
  // driver, was stopped within the grace period after it.
  EXPECT_GT(secondsSince(start), 2.0);
  EXPECT_LT(secondsSince(start), 8.0);
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("probe rank 0 done"));
  EXPECT_THAT(r.err, AllOf(HasSubstr("rank 2 (pid "), HasSubstr("(SIGSEGV)"),
                           HasSubstr("the driver goes on without it")));
  expectEveryProbeGone(3);
}

TEST_F(EmberRun, ADriverFailingAfterTakingChargeStopsEveryOneWithItsCode) {
  const auto start = Clock::now();
  testing::ProgramResult r = run(
      {"-n", "3"}, {"--barrier", "1", "--take-charge", "0", "--exit", "0:5", "--sleep", "*:30"});
  EXPECT_LT(secondsSince(start), 5.0);
  EXPECT_EQ(r.exitCode, 5);
  EXPECT_THAT(r.err, HasSubstr("rank 0 (pid "));
  expectEveryProbeGone(3);
}

/// killed_executor_job in `mode` under the launcher: rank 2 dies by SIGKILL
/// in the middle of a map stage, the job's answers are still right, and the
/// launcher and the driver say what happened.
void expectSurvivesAKilledExecutor(const testing::ProgramResult& r, const fs::path& scratch) {
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_THAT(r.out, AllOf(HasSubstr("sums match a plain loop: yes"),
                           HasSubstr("total matches a plain loop: yes")));
  EXPECT_THAT(r.err,
              AllOf(HasSubstr("rank 2 (pid "), HasSubstr("(SIGKILL)"),
                    HasSubstr("the driver goes on without it"), HasSubstr("executor 2 lost")));
  EXPECT_TRUE(fs::exists(scratch / "killed")) << "rank 2 never ran the killing task";
}

TEST_F(EmberRun, AnEmberJobSurvivesAnExecutorKilledInTheMiddle) {
  expectSurvivesAKilledExecutor(
      testing::runProgram({emberRun(), "-n", "3", "--cores", "1", "--log-dir", logDir(),
                           EMBER_TEST_KILLED_EXECUTOR_JOB, out(), "rdd"}),
      scratch_.path());
}

TEST_F(EmberRun, ADataFrameJobSurvivesAnExecutorKilledInTheMiddle) {
  expectSurvivesAKilledExecutor(
      testing::runProgram({emberRun(), "-n", "3", "--cores", "1", "--log-dir", logDir(),
                           EMBER_TEST_KILLED_EXECUTOR_JOB, out(), "dataframe"}),
      scratch_.path());
}

TEST_F(EmberRun, ACrashIsReportedWithItsSignal) {
  testing::ProgramResult r =
      run({"-n", "2"}, {"--barrier", "1", "--crash", "1", "--sleep", "*:30"});
  EXPECT_EQ(r.exitCode, 128 + SIGSEGV);
  EXPECT_THAT(r.err, HasSubstr("rank 1 (pid "));
  EXPECT_THAT(r.err, HasSubstr("killed by signal 11 (SIGSEGV)"));
  expectEveryProbeGone(2);
}

TEST_F(EmberRun, ARankIgnoringSigtermIsKilledAfterTheGracePeriod) {
  const auto start = Clock::now();
  testing::ProgramResult r = run(
      {"-n", "3"}, {"--barrier", "1", "--ignore-term", "1", "--exit", "2:1", "--sleep", "*:30"});
  EXPECT_GT(secondsSince(start), 1.5);
  EXPECT_LT(secondsSince(start), 5.0);
  EXPECT_EQ(r.exitCode, 1);
  expectEveryProbeGone(3);
}

TEST_F(EmberRun, CtrlCEndsEveryProcessWithinFiveSeconds) {
  const std::vector<std::string> args{
      emberRun(), "-n",        "3", "--log-dir", logDir(), probe(),         "--out",
      out(),      "--barrier", "1", "--sleep",   "*:30",   "--ignore-term", "2"};
  const pid_t launcher = startInBackground(args, out());
  const auto everyoneUp = Clock::now() + 10s;
  while (report(2)["PID"].empty() || report(0)["PID"].empty() || report(1)["PID"].empty()) {
    ASSERT_LT(Clock::now(), everyoneUp) << testing::readFile(scratch_ / "stderr");
    std::this_thread::sleep_for(10ms);
  }
  const auto start = Clock::now();
  ::kill(launcher, SIGINT);
  EXPECT_EQ(exitStatusOf(launcher), 128 + SIGINT);
  EXPECT_LT(secondsSince(start), 5.0);
  expectEveryProbeGone(3);
}

TEST_F(EmberRun, PassesCoresMemoryAndConfAsEnvironmentVariables) {
  testing::ProgramResult r = run({"-n", "2", "--memory", "2g", "--conf", "ember.executor.cores=3",
                                  "--conf", "ember.shuffle.compress=false"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  for (int rank : {0, 1}) {
    Env env = report(rank);
    EXPECT_EQ(env["EMBER_EXECUTOR_CORES"], "3");
    EXPECT_EQ(env["EMBER_EXECUTOR_MEMORY"], "2g");
    EXPECT_EQ(env["EMBER_SHUFFLE_COMPRESS"], "false");
  }
  EXPECT_EQ(run({"-n", "1", "--cores", "4"}).exitCode, 0);
  EXPECT_EQ(report(0)["EMBER_EXECUTOR_CORES"], "4");
}

TEST_F(EmberRun, AMisspeltConfKeyIsRejectedWithASuggestion) {
  testing::ProgramResult r = run({"-n", "2", "--conf", "ember.executor.corse=3"});
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_EQ(lineCount(r.err), 1u) << r.err;
  EXPECT_THAT(r.err, HasSubstr("did you mean 'ember.executor.cores'"));
  EXPECT_TRUE(report(0).empty()) << "no process was started";
}

TEST_F(EmberRun, UsageErrorsAreOneLineAndExitTwo) {
  const std::string badHosts = scratch_.write("hosts", "node1 slots=2\nnode2 slots=two\n");
  const std::vector<std::vector<std::string>> cases{
      {emberRun(), "-n", "2", scratch_ / "missing-program"},
      {emberRun(), "-n", "0", probe()},
      {emberRun(), "-n", "many", probe()},
      {emberRun(), probe()},
      {emberRun(), "-n", "2"},
      {emberRun(), "--hostfile", badHosts, "-n", "2", probe()},
      {emberRun(), "--cores", "0", "-n", "2", probe()},
  };
  for (const auto& args : cases) {
    testing::ProgramResult r = testing::runProgram(args);
    EXPECT_EQ(r.exitCode, 2) << args.back() << ": " << r.err;
    EXPECT_EQ(lineCount(r.err), 1u) << r.err;
    EXPECT_THAT(r.err, HasSubstr("ember-run: "));
  }
  EXPECT_THAT(testing::runProgram({emberRun(), "--hostfile", badHosts, "-n", "2", probe()}).err,
              HasSubstr(badHosts + ":2"));
}

TEST_F(EmberRun, HelpPrintsUsage) {
  testing::ProgramResult r = testing::runProgram({emberRun(), "--help"});
  EXPECT_EQ(r.exitCode, 0);
  EXPECT_THAT(r.out, AllOf(HasSubstr("usage: ember-run -n P"), HasSubstr("--hostfile FILE")));
}

TEST(LaunchOptions, LeavesTheProgramsOwnArgumentsAlone) {
  const std::vector<std::string> args{
      "-n", "4", "--log-dir=out", "--conf", "ember.executor.cores=2", "./job", "--conf", "x", "-n"};
  LaunchOptions options = LaunchOptions::parse(args);
  EXPECT_EQ(options.processes, 4);
  EXPECT_EQ(options.logDir, "out");
  EXPECT_THAT(options.confEnv,
              ElementsAre(std::pair<std::string, std::string>("EMBER_EXECUTOR_CORES", "2")));
  EXPECT_THAT(options.command, ElementsAre("./job", "--conf", "x", "-n"));
}

TEST(LaunchOptions, SuggestsTheOptionMeant) {
  const std::vector<std::string> args{"--hostfil", "hosts", "-n", "2", "./job"};
  EXPECT_THAT([&] { LaunchOptions::parse(args); },
              ::testing::ThrowsMessage<ConfigError>(HasSubstr("did you mean '--hostfile'")));
}

TEST(Hostfile, ReadsHostsSlotsAndComments) {
  Hostfile file = Hostfile::parse(
      "# the cluster\n"
      "node1 slots=2   # the driver's host\n"
      "\n"
      "  node2\n"
      "node3 slots=3\n",
      "hosts");
  ASSERT_EQ(file.hosts().size(), 3u);
  EXPECT_EQ(file.hosts()[0].name, "node1");
  EXPECT_EQ(file.hosts()[0].slots, 2);
  EXPECT_EQ(file.hosts()[1].slots, 1);
  EXPECT_THAT(file.placeRanks(4), ElementsAre("node1", "node1", "node2", "node3"));
}

TEST(Hostfile, RejectsMalformedLinesNamingThem) {
  for (const char* bad : {"node1 slots=0\n", "node1 slots=x\n", "node1 cpus=2\n",
                          "node1 slots=2 extra\n", "-oProxyCommand=evil\n"}) {
    EXPECT_THAT([&] { Hostfile::parse(std::string("node0\n") + bad, "hosts"); },
                ::testing::ThrowsMessage<ConfigError>(HasSubstr("hosts:2: expected")))
        << bad;
  }
  EXPECT_THAT([] { Hostfile::parse("# nothing\n", "hosts"); },
              ::testing::ThrowsMessage<ConfigError>(HasSubstr("names no host")));
}

TEST(Hostfile, TooFewSlotsIsAnError) {
  Hostfile file = Hostfile::parse("node1 slots=2\nnode2\n", "hosts");
  EXPECT_THAT([&] { file.placeRanks(4); },
              ::testing::ThrowsMessage<ConfigError>(HasSubstr("-n 4 needs 4 slots")));
}

TEST(SshCommand, QuotesEveryWordForTheRemoteShell) {
  EXPECT_THAT(sshCommand("node1", "/home/ann/my jobs", {{"EMBER_RANK", "1"}, {"NOTE", "it's"}},
                         {"/opt/job", "--in", "two words"}),
              ElementsAre("ssh", "-o", "BatchMode=yes", "node1",
                          "cd '/home/ann/my jobs' && exec env EMBER_RANK=1 'NOTE=it'\\''s' "
                          "/opt/job --in 'two words'"));
}

TEST(SshCommand, TheRemoteShellGetsBackTheExactWords) {
  testing::TempDir dir;
  const std::vector<std::string> words{"two words", "it's", "$HOME", "", "a\"b", "*"};
  std::vector<std::string> command{"/bin/sh", "-c", "printf '[%s]' \"$V\" \"$@\"", "sh"};
  command.insert(command.end(), words.begin(), words.end());
  const std::string remote = sshCommand("host", dir.path(), {{"V", "$(x) `y`"}}, command).back();
  testing::ProgramResult r = testing::runProgram({"/bin/sh", "-c", remote});
  EXPECT_EQ(r.out, "[$(x) `y`][two words][it's][$HOME][][a\"b][*]");
}

TEST(LaunchPlan, LocalRanksRunTheProgramOnLoopback) {
  LaunchPlan plan = LaunchPlan::onHosts(Hostfile::parse("localhost slots=2\n", "hosts"), 2);
  plan.secret = std::string(64, 'f');
  plan.driverPort = 4000;
  const auto children = plan.children({"/opt/job", "in"});
  ASSERT_EQ(children.size(), 2u);
  EXPECT_THAT(children[1].argv, ElementsAre("/opt/job", "in"));
  Env env(children[1].env.begin(), children[1].env.end());
  EXPECT_EQ(env["EMBER_RANK"], "1");
  EXPECT_EQ(env["EMBER_HOST"], "127.0.0.1");
  EXPECT_EQ(env["EMBER_DRIVER_HOST"], "127.0.0.1");
}

TEST(LaunchPlan, RemoteRanksStartThroughSshAndReachTheDriverByName) {
  LaunchPlan plan = LaunchPlan::onHosts(Hostfile::parse("localhost\nnode7 slots=2\n", "hosts"), 3);
  plan.secret = std::string(64, 'f');
  plan.driverPort = 4000;
  plan.cwd = "/data";
  plan.confEnv = {{"EMBER_EXECUTOR_CORES", "2"}};
  const auto children = plan.children({"/opt/job"});
  EXPECT_NE(plan.driverHost(), "127.0.0.1") << "node7 cannot reach loopback";
  EXPECT_EQ(children[0].argv[0], "/opt/job");
  ASSERT_EQ(children[2].argv.size(), 5u);
  EXPECT_THAT(children[2].argv, ::testing::Contains("node7"));
  EXPECT_TRUE(children[2].env.empty()) << "the environment travels in the command";
  EXPECT_THAT(children[2].argv[4],
              AllOf(HasSubstr("cd /data && exec env "), HasSubstr("EMBER_RANK=2 "),
                    HasSubstr("EMBER_HOST=node7 "),
                    HasSubstr("EMBER_DRIVER_HOST=" + plan.driverHost() + " "),
                    HasSubstr("EMBER_EXECUTOR_CORES=2 "), HasSubstr(" /opt/job")));
}

}  // namespace
}  // namespace ember::launcher
