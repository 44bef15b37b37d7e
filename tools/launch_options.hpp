#pragma once
// LaunchOptions: ember-run's command line.

#include <span>
#include <string>
#include <utility>
#include <vector>

namespace ember::launcher {

/// `ember-run -n P [--hostfile FILE] [--cores C] [--memory SIZE]
/// [--conf k=v]... [--log-dir DIR] program args...`. Options end at the
/// program (or at `--`): everything after it is the job's own.
struct LaunchOptions {
  int processes = 0;
  std::string hostfile;  ///< "" runs every process here
  std::string logDir;    ///< "" picks ember-logs/<date-time>-<pid>
  /// Configuration for every process, as environment variables
  /// (EMBER_EXECUTOR_CORES=4), validated by ember::Conf.
  std::vector<std::pair<std::string, std::string>> confEnv;
  std::vector<std::string> command;  ///< the program and its arguments
  bool help = false;

  /// Throws ConfigError with one line saying what is wrong.
  static LaunchOptions parse(std::span<const std::string> args);

  static std::string usage();
};

}  // namespace ember::launcher
