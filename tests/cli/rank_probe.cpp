// rank_probe: a stand-in job for the launcher's tests. Every rank prints a
// line to stdout and stderr and writes <out>/rank-<r>.txt (its pid, then its
// EMBER_* environment); with --barrier it then waits for every rank's file, so
// that a test knows all pids before any rank fails. Then, if told so for its
// rank, it takes charge of the others' failures as a driver does (then a
// rank told to crash waits for that, so a test knows which policy holds), crashes,
// exits with a code, or sleeps; it prints "probe rank R done" when it ends
// by itself. R is a rank or '*' for all; R:N lists may hold several, "0:2,*:30".
//   rank_probe --out DIR [--barrier 1] [--take-charge R] [--crash R] [--exit R:CODE]
//              [--sleep R:SECONDS] [--ignore-term R]

#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "common/cluster_env.hpp"
#include "common/error.hpp"

extern char** environ;

namespace {

bool appliesTo(const std::string& who, int rank) {
  return who == "*" || who == std::to_string(rank);
}

/// The number after the first "R:" of a comma-separated list whose R names this rank.
std::optional<int> valueFor(const std::string& list, int rank) {
  for (size_t begin = 0; begin < list.size();) {
    const size_t end = std::min(list.find(',', begin), list.size());
    const std::string spec = list.substr(begin, end - begin);
    const size_t colon = spec.find(':');
    if (colon != std::string::npos && appliesTo(spec.substr(0, colon), rank))
      return std::stoi(spec.substr(colon + 1));
    begin = end + 1;
  }
  return std::nullopt;
}

std::string chargeTakenFile(const std::string& dir) { return dir + "/charge-taken"; }

/// What an ember driver does once its cluster has formed; then tells the
/// other probes, through a file, that it did.
void takeCharge(const std::string& dir) {
  if (const char* fd = std::getenv("EMBER_LAUNCHER_FD")) {
    [[maybe_unused]] ssize_t n = ::write(std::atoi(fd), "1", 1);
    ::close(std::atoi(fd));
  }
  std::ofstream(chargeTakenFile(dir)) << "1\n";
}

std::string reportOf(const std::string& dir, int rank) {
  return dir + "/rank-" + std::to_string(rank) + ".txt";
}

/// Written under a temporary name and renamed, so a test polling for the
/// file never reads half of it.
void writeReport(const std::string& dir, int rank) {
  std::set<std::string> ember;
  for (char** e = environ; *e != nullptr; ++e)
    if (std::strncmp(*e, "EMBER_", 6) == 0) ember.insert(*e);
  const std::string file = reportOf(dir, rank);
  {
    std::ofstream out(file + ".tmp");
    out << "PID=" << ::getpid() << "\n";
    for (const std::string& line : ember) out << line << "\n";
  }
  std::filesystem::rename(file + ".tmp", file);
}

/// Waits up to 10 s for every file to exist.
void awaitFiles(const std::vector<std::string>& files) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  for (size_t i = 0; i < files.size() && std::chrono::steady_clock::now() < deadline;) {
    if (std::filesystem::exists(files[i]))
      ++i;
    else
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

void awaitReports(const std::string& dir, int size) {
  std::vector<std::string> reports;
  for (int r = 0; r < size; ++r) reports.push_back(reportOf(dir, r));
  awaitFiles(reports);
}

}  // namespace

int main(int argc, char** argv) {
  std::optional<ember::ClusterEnv> env;
  try {
    env = ember::ClusterEnv::fromEnvironment();
  } catch (const ember::ConfigError& e) {
    std::cerr << "rank_probe: " << e.what() << "\n";
    return 2;
  }
  const int rank = env ? env->rank : 0;
  const int size = env ? env->size : 1;
  std::map<std::string, std::string> options;
  for (int i = 1; i + 1 < argc; i += 2) options[argv[i]] = argv[i + 1];

  std::cout << "probe rank " << rank << " of " << size << std::endl;
  std::cerr << "probe rank " << rank << " on stderr" << std::endl;
  if (options.count("--ignore-term") && appliesTo(options["--ignore-term"], rank))
    std::signal(SIGTERM, SIG_IGN);
  if (options.count("--out")) writeReport(options["--out"], rank);
  if (options.count("--barrier")) awaitReports(options["--out"], size);
  if (options.count("--take-charge") && appliesTo(options["--take-charge"], rank))
    takeCharge(options["--out"]);
  if (options.count("--crash") && appliesTo(options["--crash"], rank)) {
    if (options.count("--take-charge")) awaitFiles({chargeTakenFile(options["--out"])});
    std::signal(SIGSEGV, SIG_DFL);  // past a sanitizer's handler
    std::raise(SIGSEGV);
  }
  if (auto code = valueFor(options["--exit"], rank)) return *code;
  if (auto seconds = valueFor(options["--sleep"], rank))
    std::this_thread::sleep_for(std::chrono::seconds(*seconds));
  std::cout << "probe rank " << rank << " done" << std::endl;
  return 0;
}
