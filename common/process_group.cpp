#include "common/process_group.hpp"

#include <fcntl.h>
#include <linux/close_range.h>
#include <poll.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <utility>

#include "common/error.hpp"

extern char** environ;

namespace ember {
namespace {

std::string errnoText(int error) { return std::strerror(error); }

/// Everything the child needs after fork(), built before it: between fork()
/// and exec() a child of a multi-threaded parent may only make
/// async-signal-safe calls, so no allocation happens there.
class ExecArgs {
 public:
  explicit ExecArgs(const ProcessGroup::Child& child) : argv_(child.argv) {
    std::map<std::string, std::string> merged;
    for (char** e = environ; *e != nullptr; ++e) {
      std::string_view entry(*e);
      size_t eq = entry.find('=');
      if (eq != std::string_view::npos)
        merged.insert_or_assign(std::string(entry.substr(0, eq)),
                                std::string(entry.substr(eq + 1)));
    }
    for (const auto& [key, value] : child.env) merged.insert_or_assign(key, value);
    for (const auto& [key, value] : merged) env_.push_back(key + "=" + value);
    argvPtrs_ = pointers(argv_);
    envPtrs_ = pointers(env_);
  }

  char* const* argv() const { return argvPtrs_.data(); }
  char* const* env() const { return envPtrs_.data(); }

 private:
  static std::vector<char*> pointers(std::vector<std::string>& strings) {
    std::vector<char*> out;
    for (std::string& s : strings) out.push_back(s.data());
    out.push_back(nullptr);
    return out;
  }

  std::vector<std::string> argv_;
  std::vector<std::string> env_;
  std::vector<char*> argvPtrs_;
  std::vector<char*> envPtrs_;
};

/// The descriptor number EMBER_LAUNCHER_FD names in a child that may take charge.
constexpr int kChargeFd = 3;

/// The file descriptors a child gets as stdin and stdout/stderr; -1 inherits.
struct ChildFds {
  int in = -1;
  int out = -1;
  int execError = -1;  // close-on-exec pipe: receives errno when exec fails
  int charge = -1;     // becomes kChargeFd, open across exec
};

/// The parent's signal handlers and ignored signals are its own business:
/// a job starts with default dispositions and nothing blocked.
void resetSignals() {
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  for (int s = 1; s < NSIG; ++s) ::sigaction(s, &dfl, nullptr);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
}

/// Runs in the forked child: async-signal-safe calls only.
[[noreturn]] void execChild(const ExecArgs& args, const ChildFds& fds, pid_t parent) {
  ::setpgid(0, 0);
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  // The parent may have died before prctl took effect; then nobody would kill us.
  if (::getppid() != parent) ::_exit(127);
  resetSignals();
  if (fds.in >= 0) ::dup2(fds.in, STDIN_FILENO);
  if (fds.out >= 0) {
    ::dup2(fds.out, STDOUT_FILENO);
    ::dup2(fds.out, STDERR_FILENO);
  }
  // Descriptors the parent opened without O_CLOEXEC (a listening socket, say)
  // must not leak into the job.
  ::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
  // dup2 onto itself would keep the close-on-exec flag.
  if (fds.charge == kChargeFd)
    ::fcntl(kChargeFd, F_SETFD, 0);
  else if (fds.charge >= 0)
    ::dup2(fds.charge, kChargeFd);
  ::execvpe(args.argv()[0], args.argv(), args.env());
  int error = errno;
  [[maybe_unused]] ssize_t n = ::write(fds.execError, &error, sizeof error);
  ::_exit(127);
}

void closeFd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

/// An owned file descriptor, opened close-on-exec so that no other child
/// inherits it.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&& other) noexcept {
    if (this != &other) {
      close();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  ~Fd() { close(); }

  static Fd open(const std::string& path, int flags) {
    int fd = ::open(path.c_str(), flags | O_CLOEXEC, 0644);
    if (fd < 0) throw IoError("cannot open " + path + ": " + errnoText(errno));
    return Fd(fd);
  }
  static void pipe(Fd& read, Fd& write) {
    int ends[2];
    if (::pipe2(ends, O_CLOEXEC) != 0) throw IoError("pipe: " + errnoText(errno));
    read = Fd(ends[0]);
    write = Fd(ends[1]);
  }

  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }
  void close() { closeFd(fd_); }

 private:
  int fd_ = -1;
};

pid_t forkChild(const ExecArgs& args, const ChildFds& fds) {
  // Signals stay blocked from fork() until the child has reset its
  // handlers, so a Ctrl-C in between cannot run the parent's handler in it.
  sigset_t all;
  sigset_t previous;
  sigfillset(&all);
  ::pthread_sigmask(SIG_SETMASK, &all, &previous);
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid == 0) execChild(args, fds, parent);
  const int forkError = errno;
  ::pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  if (pid < 0) throw IoError("fork: " + errnoText(forkError));
  return pid;
}

/// The errno a failed exec reported through the pipe, or 0 when exec worked
/// (the pipe closed without data).
int execErrorOf(int readFd) {
  int error = 0;
  ssize_t n = 0;
  do {
    n = ::read(readFd, &error, sizeof error);
  } while (n < 0 && errno == EINTR);
  return n == static_cast<ssize_t>(sizeof error) ? error : 0;
}

/// A descriptor that becomes readable when the child ends, so that wait()
/// can sleep in poll() on every child and a terminate() request at once.
/// Called through syscall(): the glibc wrapper's header lacks C linkage in
/// Debian 12's glibc 2.36.
int pidfdOpen(pid_t pid) { return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)); }

pid_t waitRetrying(pid_t pid, int* status, int flags) {
  pid_t r = 0;
  do {
    r = ::waitpid(pid, status, flags);
  } while (r < 0 && errno == EINTR);
  return r;
}

/// An exit code as a shell reports it: 128 + the signal for a killed process.
int shellExitCode(const ProcessGroup::Status& status) {
  return status.signal != 0 ? 128 + status.signal : status.exitCode;
}

}  // namespace

int ProcessGroup::Result::exitCode() const {
  if (firstFailureExitCode != 0) return firstFailureExitCode;
  return driverExitCode != 0 || !terminated ? driverExitCode : 1;
}

ProcessGroup::ProcessGroup(std::string logDir, std::chrono::milliseconds grace)
    : logDir_(std::move(logDir)), grace_(grace) {
  wakeFd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (wakeFd_ < 0) throw IoError("eventfd: " + errnoText(errno));
}

ProcessGroup::~ProcessGroup() {
  killAndReapAll();
  closeFd(wakeFd_);
  closeFd(chargeRead_);
}

std::string ProcessGroup::logFile(int rank) const {
  return (std::filesystem::path(logDir_) / ("rank-" + std::to_string(rank) + ".log")).string();
}

std::vector<pid_t> ProcessGroup::pids() const {
  std::vector<pid_t> out;
  for (const Running& child : running_) out.push_back(child.pid);
  return out;
}

ProcessGroup::Output ProcessGroup::outputOf(int rank, const Child& child) const {
  if (child.output != Output::kAuto) return child.output;
  return rank == 0 ? Output::kInherit : Output::kLogFile;
}

void ProcessGroup::start(const std::vector<Child>& children, int firstRank) {
  firstRank_ = firstRank;
  try {
    Fd chargeWrite;
    for (size_t i = 0; i < children.size(); ++i) {
      const int rank = firstRank + static_cast<int>(i);
      if (children[i].mayTakeCharge && chargeRank_ < 0) {
        Fd chargeRead;
        Fd::pipe(chargeRead, chargeWrite);
        chargeRead_ = chargeRead.release();
        chargeRank_ = rank;
        spawn(rank, children[i], chargeWrite.get());
        chargeWrite.close();  // so that the read end sees the child's end
      } else {
        spawn(rank, children[i], -1);
      }
    }
  } catch (...) {
    killAndReapAll();
    throw;
  }
}

void ProcessGroup::spawn(int rank, const Child& child, int chargeFd) {
  if (child.argv.empty()) throw IoError("rank " + std::to_string(rank) + " has no program to run");
  const Output output = outputOf(rank, child);
  Fd in;
  Fd out;
  // Later ranks read nothing: only the driver may talk to the terminal.
  if (rank != 0) in = Fd::open("/dev/null", O_RDONLY);
  if (output == Output::kLogFile) {
    std::error_code ignored;  // a failure shows when the file is opened
    std::filesystem::create_directories(logDir_, ignored);
    out = Fd::open(logFile(rank), O_WRONLY | O_CREAT | O_TRUNC);
  }
  Fd errorRead;
  Fd errorWrite;
  Fd::pipe(errorRead, errorWrite);
  Child withFd = child;
  if (chargeFd >= 0) withFd.env.emplace_back("EMBER_LAUNCHER_FD", std::to_string(kChargeFd));
  const ExecArgs args(withFd);
  const pid_t pid = forkChild(args, {in.get(), out.get(), errorWrite.get(), chargeFd});
  errorWrite.close();
  // Also here, so that a signal sent right after start() finds the group.
  ::setpgid(pid, pid);
  const int execError = execErrorOf(errorRead.get());
  const int pidfd = execError == 0 ? pidfdOpen(pid) : -1;
  if (pidfd < 0) {
    const int error = execError != 0 ? execError : errno;
    ::kill(pid, SIGKILL);
    int status = 0;
    waitRetrying(pid, &status, 0);
    throw IoError("cannot start '" + child.argv[0] + "': " + errnoText(error));
  }
  running_.push_back({rank, pid, pidfd, true});
  outputs_.push_back(output);
  result_.ranks.push_back({rank, pid, -1, 0});
}

void ProcessGroup::terminate() noexcept {
  const int savedErrno = errno;
  terminateRequests_.fetch_add(1);
  const uint64_t one = 1;
  [[maybe_unused]] ssize_t n = ::write(wakeFd_, &one, sizeof one);
  errno = savedErrno;
}

ProcessGroup::Result ProcessGroup::wait() {
  while (std::any_of(running_.begin(), running_.end(), [](const Running& c) { return c.alive; })) {
    applyRequests();
    waitForAnEnd();
  }
  if (!result_.ranks.empty()) result_.driverExitCode = shellExitCode(result_.ranks.front());
  return result_;
}

void ProcessGroup::applyRequests() {
  const int requests = terminateRequests_.load();
  if (requests > 0 && !result_.terminated) {
    result_.terminated = true;
    beginStop();
  }
  const auto now = std::chrono::steady_clock::now();
  if (stopAt_ && now >= *stopAt_) beginStop();
  if (stopping_ && !killed_ && (requests > 1 || now >= killAt_)) {
    killed_ = true;
    signalAll(SIGKILL);
  }
}

std::optional<std::chrono::steady_clock::time_point> ProcessGroup::nextDeadline() const {
  if (stopping_ && !killed_) return killAt_;
  if (!stopping_) return stopAt_;
  return std::nullopt;
}

void ProcessGroup::waitForAnEnd() {
  // The charge pipe first: a driver that took charge and then crashed at
  // once must be known to have been in charge when its end is reaped.
  std::vector<pollfd> fds{{wakeFd_, POLLIN, 0}, {chargeRead_, POLLIN, 0}};
  std::vector<Running*> polled;
  for (Running& child : running_) {
    if (!child.alive) continue;
    fds.push_back({child.pidfd, POLLIN, 0});
    polled.push_back(&child);
  }
  int timeout = -1;
  if (const auto deadline = nextDeadline()) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        *deadline - std::chrono::steady_clock::now());
    timeout = static_cast<int>(std::max<int64_t>(left.count(), 0) + 1);
  }
  if (::poll(fds.data(), fds.size(), timeout) < 0 && errno != EINTR)
    throw IoError("poll: " + errnoText(errno));
  if (fds[0].revents & POLLIN) {
    uint64_t drained = 0;
    [[maybe_unused]] ssize_t n = ::read(wakeFd_, &drained, sizeof drained);
  }
  if (fds[1].revents & (POLLIN | POLLHUP)) readCharge();
  for (size_t i = 0; i < polled.size(); ++i)
    if (fds[i + 2].revents & (POLLIN | POLLHUP)) reap(*polled[i]);
}

void ProcessGroup::readCharge() {
  char byte = 0;
  ssize_t n = 0;
  do {
    n = ::read(chargeRead_, &byte, 1);
  } while (n < 0 && errno == EINTR);
  if (n == 1) {
    inCharge_ = true;
  } else {
    closeFd(chargeRead_);  // the child closed it or ended: poll() skips a negative fd
  }
}

void ProcessGroup::reap(Running& child) {
  int raw = 0;
  if (waitRetrying(child.pid, &raw, WNOHANG) != child.pid) return;
  child.alive = false;
  closeFd(child.pidfd);
  Status& status = result_.ranks[static_cast<size_t>(child.rank - firstRank_)];
  status.exitCode = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  status.signal = WIFSIGNALED(raw) ? WTERMSIG(raw) : 0;
  childEnded(child, status);
}

void ProcessGroup::childEnded(const Running& child, const Status& status) {
  const bool inCharge = inCharge_ && child.rank == chargeRank_;
  if (inCharge_ && !inCharge) {
    if (!status.ok() && !stopping_ && report_) report_(describe(status));
    return;
  }
  if (inCharge && status.ok()) {
    // The others were told to end; they get the grace period to do so.
    stopAt_ = std::chrono::steady_clock::now() + grace_;
    return;
  }
  // Only a failure before the group was stopped is a cause; the rest are its effects.
  if (!status.ok() && !stopping_) {
    result_.firstFailure = describe(status);
    result_.firstFailureExitCode = shellExitCode(status);
    beginStop();
  }
}

void ProcessGroup::beginStop() {
  if (stopping_) return;
  stopping_ = true;
  killAt_ = std::chrono::steady_clock::now() + grace_;
  signalAll(SIGTERM);
}

void ProcessGroup::signalAll(int signal) {
  for (const Running& child : running_) {
    // The whole process group, so that an ssh or a shell the child started goes too.
    if (child.alive && ::kill(-child.pid, signal) != 0) ::kill(child.pid, signal);
  }
}

void ProcessGroup::killAndReapAll() noexcept {
  for (Running& child : running_) {
    if (!child.alive) continue;
    ::kill(-child.pid, SIGKILL);
    ::kill(child.pid, SIGKILL);
    int status = 0;
    waitRetrying(child.pid, &status, 0);
    child.alive = false;
    closeFd(child.pidfd);
  }
}

std::string ProcessGroup::describe(const Status& status) const {
  std::string text =
      "rank " + std::to_string(status.rank) + " (pid " + std::to_string(status.pid) + ")";
  if (status.signal != 0) {
    const char* name = ::sigabbrev_np(status.signal);
    text += " was killed by signal " + std::to_string(status.signal) +
            (name ? " (SIG" + std::string(name) + ")" : "");
  } else {
    text += " exited with code " + std::to_string(status.exitCode);
  }
  if (outputs_[static_cast<size_t>(status.rank - firstRank_)] == Output::kLogFile)
    text += "; its output is in " + logFile(status.rank);
  return text;
}

}  // namespace ember
