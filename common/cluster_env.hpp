#pragma once
// ClusterEnv: this process's place in a multi-process run, read from the environment.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ember {

/// What a process of a multi-process run learns from its launcher. ember-run
/// sets EMBER_RANK, EMBER_SIZE, EMBER_DRIVER_HOST, EMBER_DRIVER_PORT,
/// EMBER_SECRET, EMBER_HOST and EMBER_LOG_DIR. Under mpirun or srun, rank and
/// size come from their variables and the user exports the driver's address
/// and the secret.
struct ClusterEnv {
  int rank = 0;
  int size = 1;
  std::string driverHost;
  uint16_t driverPort = 0;
  std::string secret;  ///< 64 hex characters shared by every process of the run
  std::string host;    ///< the address this process binds and advertises
  std::string logDir;  ///< the run's log directory; "" when the launcher set none

  bool isDriver() const { return rank == 0; }

  /// The EMBER_* variables that describe this process, as a launcher passes them.
  std::vector<std::pair<std::string, std::string>> toEnvironment() const;

  /// Reads EMBER_* first, else rank and size from mpirun (OMPI_COMM_WORLD_*,
  /// PMI_*) or srun (SLURM_PROCID, SLURM_NTASKS). std::nullopt when none of
  /// them is set: the program then runs in local mode. Throws ConfigError
  /// naming the variable when a value is malformed, and saying what to
  /// export when mpirun or srun started the process without the driver's
  /// address or the secret.
  static std::optional<ClusterEnv> fromEnvironment();
};

}  // namespace ember
