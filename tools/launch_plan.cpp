#include "tools/launch_plan.hpp"

#include <unistd.h>

#include <algorithm>
#include <climits>

#include "common/cluster_env.hpp"
#include "tools/hostfile.hpp"
#include "tools/ssh_command.hpp"

namespace ember::launcher {
namespace {

constexpr const char* kLoopback = "127.0.0.1";

std::string thisMachine() {
  char name[HOST_NAME_MAX + 1] = {};
  if (::gethostname(name, sizeof name) != 0) return kLoopback;
  return name;
}

}  // namespace

LaunchPlan LaunchPlan::local(int processes) {
  LaunchPlan plan;
  plan.hosts.assign(static_cast<size_t>(processes), "localhost");
  plan.addresses.assign(static_cast<size_t>(processes), kLoopback);
  return plan;
}

LaunchPlan LaunchPlan::onHosts(const Hostfile& hostfile, int processes) {
  LaunchPlan plan;
  plan.hosts = hostfile.placeRanks(processes);
  const bool allLocal = std::all_of(plan.hosts.begin(), plan.hosts.end(),
                                    [](const std::string& h) { return Hostfile::isLocal(h); });
  // Loopback cannot be reached from another host, so a mixed run names this machine.
  const std::string localAddress = allLocal ? kLoopback : thisMachine();
  for (const std::string& host : plan.hosts)
    plan.addresses.push_back(Hostfile::isLocal(host) ? localAddress : host);
  return plan;
}

std::vector<ProcessGroup::Child> LaunchPlan::children(
    const std::vector<std::string>& command) const {
  std::vector<ProcessGroup::Child> out;
  const int size = static_cast<int>(hosts.size());
  for (int rank = 0; rank < size; ++rank) {
    const size_t r = static_cast<size_t>(rank);
    const ClusterEnv cluster{rank, size, driverHost(), driverPort, secret, addresses[r], logDir};
    auto env = cluster.toEnvironment();
    env.insert(env.end(), confEnv.begin(), confEnv.end());
    // The driver takes charge of executor failures through a pipe, which
    // ssh does not carry: a remote driver leaves them to the launcher.
    if (Hostfile::isLocal(hosts[r]))
      out.push_back({command, std::move(env), ProcessGroup::Output::kAuto, rank == 0});
    else
      out.push_back({sshCommand(hosts[r], cwd, env, command), {}});
  }
  return out;
}

}  // namespace ember::launcher
