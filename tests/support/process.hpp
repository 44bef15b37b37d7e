#pragma once
// runProgram: runs a program to completion, capturing its output and status.

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "support/temp_dir.hpp"

extern char** environ;

namespace ember::testing {

struct ProgramResult {
  int exitCode = -1;  ///< -1 when killed by a signal
  std::string out;
  std::string err;
};

/// Runs args[0] with args, stdout and stderr captured in files (so a chatty
/// program cannot block on a full pipe).
inline ProgramResult runProgram(const std::vector<std::string>& args) {
  TempDir dir;
  const std::string outPath = dir / "stdout";
  const std::string errPath = dir / "stderr";
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, outPath.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, errPath.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = -1;
  ProgramResult result;
  if (::posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ) == 0) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  posix_spawn_file_actions_destroy(&actions);
  auto slurp = [](const std::string& path) {
    std::ostringstream s;
    s << std::ifstream(path).rdbuf();
    return s.str();
  };
  result.out = slurp(outPath);
  result.err = slurp(errPath);
  return result;
}

/// The path of a built example program.
inline std::string examplePath(const std::string& name) {
  const char* dir = std::getenv("EMBER_TEST_EXAMPLES_DIR");
  return std::string(dir ? dir : EMBER_TEST_EXAMPLES_DIR) + "/" + name;
}

/// A file of the source tree.
inline std::string sourcePath(const std::string& relative) {
  const char* dir = std::getenv("EMBER_TEST_SOURCE_DIR");
  return std::string(dir ? dir : EMBER_TEST_SOURCE_DIR) + "/" + relative;
}

}  // namespace ember::testing
