#pragma once
// Whether a process still exists, for tests that check nothing is left behind.

#include <signal.h>
#include <sys/types.h>

#include <cerrno>
#include <chrono>
#include <fstream>
#include <string>
#include <thread>

namespace ember::testing {

/// True when `pid` no longer runs. A zombie counts as gone: it runs nothing
/// and only waits for whoever adopted it to reap it.
inline bool processIsGone(pid_t pid) {
  if (::kill(pid, 0) != 0 && errno == ESRCH) return true;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string pidField, name, state;
  stat >> pidField >> name >> state;
  return state == "Z";
}

/// Waits up to `timeout` for `pid` to be gone; true if it is.
inline bool awaitGone(pid_t pid, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!processIsGone(pid)) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

}  // namespace ember::testing
