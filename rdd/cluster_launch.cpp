#include "rdd/detail/cluster_launch.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <random>
#include <sstream>
#include <thread>

#include "common/error.hpp"
#include "net/tcp_transport.hpp"

namespace ember::detail {
namespace {

std::string freshSecret() {
  std::random_device device;  // getrandom(2) on Linux
  std::ostringstream hex;
  for (int i = 0; i < 8; ++i) {
    char part[9];
    std::snprintf(part, sizeof part, "%08x", static_cast<unsigned>(device()));
    hex << part;
  }
  return hex.str();
}

/// A port on loopback that was free a moment ago, for the driver to listen
/// on (it binds with SO_REUSEADDR).
uint16_t freeLoopbackPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw NetError("cannot create a socket to find a free port for local-cluster");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
                  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0;
  ::close(fd);
  if (!ok) throw NetError("cannot bind a loopback port for local-cluster's driver");
  return ntohs(addr.sin_port);
}

/// This program's arguments, as the kernel started it.
std::vector<std::string> ownCommandLine() {
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::string> args;
  for (size_t at = 0; at < all.size();) {
    const size_t end = all.find('\0', at);
    args.push_back(all.substr(at, end - at));
    at = end == std::string::npos ? all.size() : end + 1;
  }
  return args;
}

std::vector<std::string> splitWords(const std::string& text) {
  std::istringstream in(text);
  return {std::istream_iterator<std::string>(in), std::istream_iterator<std::string>()};
}

std::string logDirectory() {
  const char* tmp = std::getenv("TMPDIR");
  const std::filesystem::path base = tmp && *tmp ? tmp : "/tmp";
  return (base / "ember-logs" / ("local-cluster-" + std::to_string(::getpid()))).string();
}

/// Tells ember-run, through the pipe it named, that the driver now recovers
/// from a lost executor itself: the launcher stops the run no more when one
/// ends, only when the driver does.
void takeChargeOfFailures() {
  const char* name = std::getenv("EMBER_LAUNCHER_FD");
  if (name == nullptr) return;
  const int fd = std::atoi(name);
  ::unsetenv("EMBER_LAUNCHER_FD");
  if (fd < 3) return;
  [[maybe_unused]] ssize_t n = ::write(fd, "1", 1);
  ::close(fd);
}

/// The TCP transport to the driver `env` names.
std::unique_ptr<net::Transport> tcpTransport(const ClusterEnv& env, const Conf& conf,
                                             std::chrono::milliseconds timeout,
                                             const std::function<void(const std::string&)>& log) {
  net::TcpTransport::Options options;
  options.rank = env.rank;
  options.size = env.size;
  options.driverHost = env.driverHost;
  options.driverPort = env.driverPort;
  options.listenHost = env.host.empty() ? "127.0.0.1" : env.host;
  options.secret = env.secret;
  options.maxFrameBytes = static_cast<size_t>(conf.getBytes("ember.rpc.message.maxSize"));
  options.joinTimeout = timeout;
  options.log = log;
  return std::make_unique<net::TcpTransport>(std::move(options));
}

}  // namespace

ClusterEnv launchLocalCluster(const Conf& conf, const MasterUrl& master,
                              std::unique_ptr<ProcessGroup>& children) {
  ClusterEnv env;
  env.rank = 0;
  env.size = master.processes;
  env.driverHost = "127.0.0.1";
  env.host = "127.0.0.1";
  env.driverPort = freeLoopbackPort();
  env.secret = freshSecret();
  env.logDir = logDirectory();
  if (env.size == 1) return env;
  std::vector<std::string> argv = ownCommandLine();
  argv.at(0) = std::filesystem::read_symlink("/proc/self/exe").string();
  for (std::string& arg : splitWords(conf.get("ember.localCluster.args"))) argv.push_back(arg);
  std::vector<ProcessGroup::Child> ranks;
  for (int r = 1; r < env.size; ++r) {
    ClusterEnv child = env;
    child.rank = r;
    auto vars = child.toEnvironment();
    vars.emplace_back(Conf::envName("ember.executor.cores"), std::to_string(master.cores));
    ranks.push_back({argv, std::move(vars), ProcessGroup::Output::kLogFile});
  }
  children = std::make_unique<ProcessGroup>(env.logDir);
  children->start(ranks, 1);
  return env;
}

int clusterCores(const Conf& conf, const MasterUrl& master, const ClusterEnv& env) {
  if (!conf.get("ember.executor.cores").empty())
    return static_cast<int>(conf.getInt("ember.executor.cores"));
  if (master.processes > 0) return master.cores;
  const int machine = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  return std::max(1, machine / std::max(1, env.size));
}

std::function<void(const std::string&)> processLog(const std::optional<ClusterEnv>& env) {
  const std::string prefix =
      env ? "ember: [rank " + std::to_string(env->rank) + "] " : std::string("ember: ");
  return [prefix](const std::string& line) { std::cerr << prefix + line + "\n" << std::flush; };
}

std::unique_ptr<Cluster> joinCluster(const ClusterEnv& env, const Conf& conf, int cores,
                                     int maxTaskAttempts, ShuffleStore& shuffles,
                                     MapOutputTracker& mapOutputs,
                                     std::unique_ptr<net::Transport> transport) {
  const std::chrono::milliseconds timeout = conf.getDuration("ember.network.timeout");
  auto log = processLog(env);
  if (!transport) transport = tcpTransport(env, conf, timeout, log);
  Cluster::Options options;
  options.cores = cores;
  options.maxTaskAttempts = maxTaskAttempts;
  options.maxBytesInFlight = conf.getBytes("ember.reducer.maxSizeInFlight");
  options.timeout = timeout;
  options.heartbeatInterval = conf.getDuration("ember.executor.heartbeatInterval");
  options.localityWait = conf.getDuration("ember.locality.wait");
  options.speculation = {conf.getBool("ember.speculation"),
                         conf.getDuration("ember.speculation.interval"),
                         conf.getNumber("ember.speculation.multiplier"),
                         conf.getDuration("ember.speculation.minTaskRuntime"),
                         conf.getFraction("ember.speculation.quantile")};
  auto cluster =
      std::make_unique<Cluster>(std::move(transport), shuffles, mapOutputs, options, log);
  if (env.isDriver()) takeChargeOfFailures();
  return cluster;
}

}  // namespace ember::detail
