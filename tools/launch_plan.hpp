#pragma once
// LaunchPlan: where each rank of a run starts, and with which command and environment.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "common/process_group.hpp"

namespace ember::launcher {

class Hostfile;

/// The placement of the ranks and what every rank is told about the run.
struct LaunchPlan {
  /// Where each rank starts, as the hostfile names it ("localhost" when local).
  std::vector<std::string> hosts;
  /// The address each rank binds and advertises (EMBER_HOST).
  std::vector<std::string> addresses;
  std::string secret;
  uint16_t driverPort = 0;
  std::string logDir;  ///< absolute, so remote ranks find it on a shared filesystem
  std::string cwd;     ///< where remote ranks start, as the local ones do
  std::vector<std::pair<std::string, std::string>> confEnv;

  /// Every rank on this machine, on loopback.
  static LaunchPlan local(int processes);
  /// Ranks on the hostfile's hosts. Local entries advertise this machine's
  /// name when other hosts must reach them, loopback otherwise.
  static LaunchPlan onHosts(const Hostfile& hostfile, int processes);

  const std::string& driverHost() const { return addresses.front(); }

  /// The process of each rank: `command` (an absolute program path and its
  /// arguments) here, or through ssh on a remote host.
  std::vector<ProcessGroup::Child> children(const std::vector<std::string>& command) const;
};

}  // namespace ember::launcher
