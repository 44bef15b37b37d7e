#pragma once
// How a process finds its place among the processes of a job.

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "common/cluster_env.hpp"
#include "common/conf.hpp"
#include "common/master_url.hpp"
#include "common/process_group.hpp"
#include "scheduler/cluster.hpp"

namespace ember::detail {

/// local-cluster[P,C] in a process no launcher started: starts ranks
/// 1..P-1 as copies of this program (same executable, same arguments, plus
/// ember.localCluster.args) and returns this process's place as rank 0.
/// Their output goes to log files in a directory named on stderr.
ClusterEnv launchLocalCluster(const Conf& conf, const MasterUrl& master,
                              std::unique_ptr<ProcessGroup>& children);

/// Where a process's own messages go: stderr, prefixed "ember: " and, on
/// one of several processes, its rank.
std::function<void(const std::string&)> processLog(const std::optional<ClusterEnv>& env);

/// Connects this process to the others of its job, over `transport` when
/// given, else over TCP to the driver `env` names.
std::unique_ptr<Cluster> joinCluster(const ClusterEnv& env, const Conf& conf, int cores,
                                     int maxTaskAttempts, ShuffleStore& shuffles,
                                     MapOutputTracker& mapOutputs,
                                     std::unique_ptr<net::Transport> transport);

/// Task slots of each process: ember.executor.cores, else C of
/// local-cluster[P,C], else this machine's cores shared by the processes.
int clusterCores(const Conf& conf, const MasterUrl& master, const ClusterEnv& env);

}  // namespace ember::detail
