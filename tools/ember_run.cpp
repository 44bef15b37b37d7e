// ember-run: starts the P processes of an ember program, locally or over ssh,
// and stops them all when the driver ends or fails, when another fails
// before the driver took charge of such failures, or on Ctrl-C.

#include <netdb.h>
#include <netinet/in.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "common/process_group.hpp"
#include "tools/hostfile.hpp"
#include "tools/launch_options.hpp"
#include "tools/launch_plan.hpp"

namespace fs = std::filesystem;
using ember::ConfigError;
using ember::IoError;
using ember::ProcessGroup;
using namespace ember::launcher;

namespace {

std::atomic<ProcessGroup*> gGroup{nullptr};
volatile std::sig_atomic_t gSignal = 0;

extern "C" void onSignal(int signal) {
  gSignal = signal;
  if (ProcessGroup* group = gGroup.load()) group->terminate();
}

/// Routes SIGINT, SIGTERM and SIGHUP to the group for as long as it lives,
/// so that Ctrl-C or a killed terminal stops the children in order.
class SignalsToGroup {
 public:
  explicit SignalsToGroup(ProcessGroup& group) {
    gGroup = &group;
    struct sigaction action {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    for (int s : kSignals) ::sigaction(s, &action, nullptr);
  }
  ~SignalsToGroup() {
    for (int s : kSignals) std::signal(s, SIG_DFL);
    gGroup = nullptr;
  }
  SignalsToGroup(const SignalsToGroup&) = delete;
  SignalsToGroup& operator=(const SignalsToGroup&) = delete;

 private:
  static constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP};
};

bool isExecutableFile(const fs::path& path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec) && ::access(path.c_str(), X_OK) == 0;
}

/// The absolute path of the program, found as a shell finds it, so that
/// remote hosts run the same file.
std::string resolveProgram(const std::string& name) {
  if (name.find('/') != std::string::npos) {
    const fs::path path = fs::absolute(name).lexically_normal();
    if (!isExecutableFile(path))
      throw ConfigError("cannot run '" + name + "': no such executable file");
    return path.string();
  }
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "";
  for (size_t begin = 0; begin <= dirs.size();) {
    size_t end = std::min(dirs.find(':', begin), dirs.size());
    const fs::path candidate = fs::path(dirs.substr(begin, end - begin)) / name;
    if (isExecutableFile(candidate)) return fs::absolute(candidate).lexically_normal().string();
    begin = end + 1;
  }
  throw ConfigError("cannot run '" + name + "': not found in PATH (write ./" + name +
                    " for a program in this directory)");
}

/// 32 bytes from the kernel's CSPRNG (the source of /dev/urandom), as hex.
std::string randomSecret() {
  unsigned char bytes[32];
  for (size_t got = 0; got < sizeof bytes;) {
    ssize_t n = ::getrandom(bytes + got, sizeof bytes - got, 0);
    if (n < 0 && errno != EINTR) throw IoError("getrandom: " + std::string(std::strerror(errno)));
    if (n > 0) got += static_cast<size_t>(n);
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char b : bytes) hex += {kHex[b >> 4], kHex[b & 15]};
  return hex;
}

/// The port the kernel picked for a socket bound to port 0 at `address`; 0
/// when it cannot be bound there.
uint16_t boundPort(const sockaddr* address, socklen_t length) {
  const int fd = ::socket(address->sa_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return 0;
  sockaddr_storage bound{};
  socklen_t boundLength = sizeof bound;
  uint16_t port = 0;
  if (::bind(fd, address, length) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &boundLength) == 0) {
    port = ntohs(bound.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                                             : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  }
  ::close(fd);
  return port;
}

/// A port free on the driver's host, found by binding port 0 there; the
/// socket is closed again and the driver binds it with SO_REUSEADDR.
uint16_t freePort(const std::string& host) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (::getaddrinfo(host.c_str(), "0", &hints, &found) == 0) {
    const uint16_t port = boundPort(found->ai_addr, found->ai_addrlen);
    ::freeaddrinfo(found);
    if (port != 0) return port;
  }
  // The driver's host is another machine: a port free here is the best guess.
  sockaddr_in any{};
  any.sin_family = AF_INET;
  const uint16_t port = boundPort(reinterpret_cast<sockaddr*>(&any), sizeof any);
  if (port == 0) throw IoError("cannot find a free port for the driver");
  return port;
}

std::string defaultLogDir() {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  ::localtime_r(&now, &local);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &local);
  return "ember-logs/" + std::string(stamp) + "-" + std::to_string(::getpid());
}

std::string createLogDir(const LaunchOptions& options) {
  const std::string dir = options.logDir.empty() ? defaultLogDir() : options.logDir;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw IoError("cannot create log directory " + dir + ": " + ec.message());
  std::cerr << "ember-run: logs of this run are in " << dir << "\n";
  return fs::absolute(dir).lexically_normal().string();
}

LaunchPlan plan(const LaunchOptions& options) {
  LaunchPlan plan = options.hostfile.empty()
                        ? LaunchPlan::local(options.processes)
                        : LaunchPlan::onHosts(Hostfile::load(options.hostfile), options.processes);
  plan.secret = randomSecret();
  plan.driverPort = freePort(plan.driverHost());
  plan.cwd = fs::current_path().string();
  plan.confEnv = options.confEnv;
  return plan;
}

int run(const LaunchOptions& options) {
  std::vector<std::string> command = options.command;
  command[0] = resolveProgram(command[0]);
  LaunchPlan launch = plan(options);
  launch.logDir = createLogDir(options);
  ProcessGroup group(launch.logDir);
  group.onFailureTakenCareOf([](const std::string& failure) {
    std::cerr << "ember-run: " << failure << "; the driver goes on without it\n";
  });
  SignalsToGroup signals(group);
  group.start(launch.children(command));
  const ProcessGroup::Result result = group.wait();
  if (gSignal != 0) {
    std::cerr << "ember-run: stopped every process on signal " << gSignal << "\n";
    return 128 + gSignal;
  }
  if (!result.firstFailure.empty()) std::cerr << "ember-run: " << result.firstFailure << "\n";
  return result.exitCode();
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const std::vector<std::string> args(argv + 1, argv + argc);
    const LaunchOptions options = LaunchOptions::parse(args);
    if (options.help) {
      std::cout << LaunchOptions::usage();
      return 0;
    }
    return run(options);
  } catch (const ConfigError& e) {
    std::cerr << "ember-run: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "ember-run: " << e.what() << "\n";
    return 1;
  }
}
