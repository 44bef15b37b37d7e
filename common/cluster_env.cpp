#include "common/cluster_env.hpp"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <climits>
#include <cstdlib>
#include <string_view>

#include "common/error.hpp"

namespace ember {
namespace {

constexpr std::string_view kDriverVars[] = {"EMBER_DRIVER_HOST", "EMBER_DRIVER_PORT",
                                            "EMBER_SECRET"};

/// A launcher whose environment tells a process its rank and size.
struct Launcher {
  std::string_view name;
  const char* rankVar;
  const char* sizeVar;
  /// How to hand the driver's address and the secret to every process.
  std::string_view exportHint;
};

constexpr Launcher kLaunchers[] = {
    {"ember-run", "EMBER_RANK", "EMBER_SIZE",
     "start the program with ember-run, which sets them all"},
    {"mpirun", "OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE",
     "export them to every process, e.g. mpirun -x EMBER_DRIVER_HOST=<host of rank 0> "
     "-x EMBER_DRIVER_PORT=<free port> -x EMBER_SECRET=$(openssl rand -hex 32) ..."},
    {"mpiexec", "PMI_RANK", "PMI_SIZE",
     "export them to every process, e.g. mpiexec -genv EMBER_DRIVER_HOST <host of rank 0> "
     "-genv EMBER_DRIVER_PORT <free port> -genv EMBER_SECRET $(openssl rand -hex 32) ..."},
    {"srun", "SLURM_PROCID", "SLURM_NTASKS",
     "export them before srun, which passes the environment on: export "
     "EMBER_DRIVER_HOST=<first node> EMBER_DRIVER_PORT=<free port> "
     "EMBER_SECRET=$(openssl rand -hex 32) (a batch script outside srun runs in local mode "
     "once SLURM_PROCID is unset)"},
};

/// An unset and an empty variable mean the same: nothing was said.
const char* variable(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : nullptr;
}

[[noreturn]] void malformed(std::string_view name, std::string_view value,
                            std::string_view expected) {
  throw ConfigError("invalid " + std::string(name) + "='" + std::string(value) + "': expected " +
                    std::string(expected));
}

long parseNumber(const char* name, long min, long max, std::string_view expected) {
  const std::string_view text = variable(name);
  long value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max)
    malformed(name, text, expected);
  return value;
}

std::string parseSecret() {
  const std::string_view secret = variable("EMBER_SECRET");
  const bool hex = std::all_of(secret.begin(), secret.end(),
                               [](unsigned char c) { return std::isxdigit(c) != 0; });
  // The value is not repeated: error messages end up in logs.
  if (secret.size() != 64 || !hex)
    throw ConfigError("invalid EMBER_SECRET (" + std::to_string(secret.size()) +
                      " characters): expected 64 hex characters, e.g. from openssl rand -hex 32");
  return std::string(secret);
}

const Launcher* detectLauncher() {
  for (const Launcher& launcher : kLaunchers)
    if (variable(launcher.rankVar) || variable(launcher.sizeVar)) return &launcher;
  return nullptr;
}

/// Throws unless rank, size and the driver's variables are all set, naming
/// the missing ones and how to set them under this launcher.
void requireVariables(const Launcher& launcher) {
  std::string missing;
  int count = 0;
  auto check = [&](std::string_view name) {
    if (variable(std::string(name).c_str())) return;
    missing += (count++ == 0 ? "" : ", ") + std::string(name);
  };
  check(launcher.rankVar);
  check(launcher.sizeVar);
  for (std::string_view name : kDriverVars) check(name);
  if (missing.empty()) return;
  const char* set = variable(launcher.rankVar) ? launcher.rankVar : launcher.sizeVar;
  throw ConfigError("this process was started by " + std::string(launcher.name) + " (" + set +
                    " is set) but " + missing + (count == 1 ? " is" : " are") + " not set; " +
                    std::string(launcher.exportHint));
}

bool isLoopback(std::string_view host) {
  return host == "localhost" || host.starts_with("127.") || host == "::1";
}

/// Where this process listens when the launcher did not say: loopback when
/// the driver is on loopback (one machine), else this machine's name.
std::string defaultHost(std::string_view driverHost) {
  if (isLoopback(driverHost)) return "127.0.0.1";
  char name[HOST_NAME_MAX + 1] = {};
  if (::gethostname(name, sizeof name) != 0) return "127.0.0.1";
  return name;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> ClusterEnv::toEnvironment() const {
  std::vector<std::pair<std::string, std::string>> env{
      {"EMBER_RANK", std::to_string(rank)},
      {"EMBER_SIZE", std::to_string(size)},
      {"EMBER_DRIVER_HOST", driverHost},
      {"EMBER_DRIVER_PORT", std::to_string(driverPort)},
      {"EMBER_SECRET", secret},
      {"EMBER_HOST", host},
  };
  if (!logDir.empty()) env.emplace_back("EMBER_LOG_DIR", logDir);
  return env;
}

std::optional<ClusterEnv> ClusterEnv::fromEnvironment() {
  const Launcher* launcher = detectLauncher();
  if (launcher == nullptr) return std::nullopt;
  requireVariables(*launcher);
  ClusterEnv env;
  env.size = static_cast<int>(parseNumber(launcher->sizeVar, 1, INT_MAX, "a positive integer"));
  env.rank = static_cast<int>(parseNumber(
      launcher->rankVar, 0, env.size - 1,
      "an integer from 0 to " + std::to_string(env.size - 1) + " (" + launcher->sizeVar + " - 1)"));
  env.driverHost = variable("EMBER_DRIVER_HOST");
  env.driverPort =
      static_cast<uint16_t>(parseNumber("EMBER_DRIVER_PORT", 1, 65535, "a port from 1 to 65535"));
  env.secret = parseSecret();
  const char* host = variable("EMBER_HOST");
  env.host = host ? host : defaultHost(env.driverHost);
  const char* logDir = variable("EMBER_LOG_DIR");
  env.logDir = logDir ? logDir : "";
  return env;
}

}  // namespace ember
