#pragma once
// ProcessGroup: the P processes of one run, started together and stopped together.

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ember {

/// Starts one child process per rank and supervises them as a unit: when one
/// fails (non-zero exit or a signal) the others are stopped, so a crashed
/// executor never leaves a driver waiting forever, and nothing outlives the
/// parent (each child gets PR_SET_PDEATHSIG(SIGKILL)).
///
/// A child may take charge of the others' failures: a driver does once its
/// cluster has formed, since it then recovers from a lost executor. It says
/// so by writing a byte to the descriptor that EMBER_LAUNCHER_FD names. From
/// then on another rank's failure is reported but stops nothing, the run's
/// exit code is that child's, and once it has ended the others get the
/// grace period to end on their own before they are stopped.
///
/// Every child runs in its own process group, so that the terminal's Ctrl-C
/// reaches only the parent, which then stops the children in order, and so
/// that a signal reaches whatever a child started (ssh, a shell).
///
/// Linux only (prctl, pidfd). The thread that calls start() must live until
/// the children end: the kernel sends PR_SET_PDEATHSIG when the *thread* that
/// forked a child exits, not the process.
///
/// Thread safety: start() and wait() from one thread; terminate() from any
/// thread or a signal handler.
class ProcessGroup {
 public:
  /// Where a child's stdout and stderr go.
  enum class Output {
    kAuto,     ///< rank 0: inherited from the parent; other ranks: their log file
    kInherit,  ///< the parent's stdout and stderr
    kLogFile,  ///< <logDir>/rank-<r>.log (both streams)
  };

  struct Child {
    /// argv[0] is looked up in PATH when it has no '/'.
    std::vector<std::string> argv;
    /// Added to (or replacing) the parent's environment.
    std::vector<std::pair<std::string, std::string>> env;
    Output output = Output::kAuto;
    /// Gets EMBER_LAUNCHER_FD, to take charge of the others' failures.
    bool mayTakeCharge = false;
  };

  /// How one child ended.
  struct Status {
    int rank = 0;
    pid_t pid = -1;
    int exitCode = -1;  ///< -1 when killed by a signal
    int signal = 0;     ///< the signal that killed it, 0 if it exited
    bool ok() const { return exitCode == 0; }
  };

  struct Result {
    std::vector<Status> ranks;  ///< in the order started
    /// Rank 0's exit code; 128 + the signal when a signal killed it, as a shell reports it.
    int driverExitCode = 0;
    /// One sentence about the first child to fail on its own (not stopped by
    /// the group), naming its rank, exit code or signal and its log file;
    /// "" when every child succeeded.
    std::string firstFailure;
    /// The first failure's exit code (128 + the signal for a signal), 0 if none.
    int firstFailureExitCode = 0;
    /// True when terminate() stopped the run.
    bool terminated = false;

    bool ok() const { return firstFailure.empty() && !terminated; }
    /// What a launcher returns, as mpirun does: the exit code of the first
    /// rank to fail, else the driver's. So a driver stopped because an
    /// executor crashed reports the crash, not the SIGTERM it was sent.
    int exitCode() const;
  };

  static constexpr std::chrono::milliseconds kDefaultGrace{2000};

  /// Log files go to logDir, created on start() when a child needs it.
  /// grace is how long a stopped child has between SIGTERM and SIGKILL.
  explicit ProcessGroup(std::string logDir, std::chrono::milliseconds grace = kDefaultGrace);
  /// Kills (SIGKILL) and reaps any child still running.
  ~ProcessGroup();
  ProcessGroup(const ProcessGroup&) = delete;
  ProcessGroup& operator=(const ProcessGroup&) = delete;

  /// Starts children[i] as rank firstRank + i (a launcher starts rank 0
  /// too; a driver starting its executors begins at 1). Throws IoError when a log file cannot be
  /// created or a program cannot be executed (e.g. it does not exist); the
  /// children already started are then killed.
  void start(const std::vector<Child>& children, int firstRank = 0);

  /// Returns when every child has ended. Once one fails, or terminate() is
  /// called, the others get SIGTERM, then SIGKILL after the grace period.
  Result wait();

  /// Asks wait() to stop every child; a second call skips the grace period.
  /// Async-signal-safe, so a SIGINT handler may call it.
  void terminate() noexcept;

  /// Called by wait(), with a sentence like Result::firstFailure, for each
  /// rank that fails while another has taken charge.
  void onFailureTakenCareOf(std::function<void(const std::string&)> report) {
    report_ = std::move(report);
  }

  /// The pid of each started rank, by rank.
  std::vector<pid_t> pids() const;

  /// The log file of a rank: <logDir>/rank-<r>.log.
  std::string logFile(int rank) const;

 private:
  struct Running {
    int rank = 0;
    pid_t pid = -1;
    int pidfd = -1;  // readable once the child has ended
    bool alive = true;
  };

  Output outputOf(int rank, const Child& child) const;
  void spawn(int rank, const Child& child, int chargeFd);
  void readCharge();
  void childEnded(const Running& child, const Status& status);
  std::optional<std::chrono::steady_clock::time_point> nextDeadline() const;
  void applyRequests();
  void waitForAnEnd();
  void beginStop();
  void signalAll(int signal);
  void reap(Running& child);
  void killAndReapAll() noexcept;
  std::string describe(const Status& status) const;

  std::string logDir_;
  std::chrono::milliseconds grace_;
  int wakeFd_ = -1;  // eventfd that terminate() writes
  std::atomic<int> terminateRequests_{0};
  std::vector<Running> running_;
  std::vector<Output> outputs_;
  int firstRank_ = 0;  ///< the rank of children[0]
  Result result_;
  std::chrono::steady_clock::time_point killAt_;
  /// When to stop the others after the child in charge ended.
  std::optional<std::chrono::steady_clock::time_point> stopAt_;
  int chargeRead_ = -1;    ///< the pipe whose write end EMBER_LAUNCHER_FD names
  int chargeRank_ = -1;    ///< the rank given EMBER_LAUNCHER_FD, -1 if none
  bool inCharge_ = false;  ///< it has taken charge
  std::function<void(const std::string&)> report_;
  bool stopping_ = false;
  bool killed_ = false;
};

}  // namespace ember
