#pragma once
// PipedProcess: a shell command fed on stdin whose stdout lines are read back.

#include <sys/types.h>

#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace ember::detail {

/// Runs `/bin/sh -c command` for Rdd::pipe. A reader thread drains the
/// child's stdout while the task writes its stdin, so neither side can block
/// the other on a full pipe.
///
/// Thread safety: one task uses a PipedProcess; the reader thread is internal.
class PipedProcess {
 public:
  /// Throws IoError when the process cannot be started.
  explicit PipedProcess(std::string command);
  /// Kills and reaps the child if finish() was not reached.
  ~PipedProcess();
  PipedProcess(const PipedProcess&) = delete;
  PipedProcess& operator=(const PipedProcess&) = delete;

  /// Writes `line` and a newline to the child's stdin; drops it when the
  /// child stopped reading (finish() then reports that).
  void writeLine(std::string_view line);
  /// Moves the complete lines read so far into `out`.
  void takeLines(std::vector<std::string>& out);
  /// Closes stdin, waits for the child, moves its remaining lines into
  /// `out`; throws Error naming the command when it exits with non-zero
  /// status, or else when it stopped reading its input.
  void finish(std::vector<std::string>& out);

 private:
  void readLoop();
  void writeAll(std::string_view data);

  std::string command_;
  pid_t pid_ = -1;
  int stdin_ = -1;
  int stdout_ = -1;
  std::string pending_;     // written to stdin in large blocks
  std::string writeError_;  // why stdin was closed early, if it was
  std::mutex mutex_;
  std::vector<std::string> lines_;
  std::thread reader_;
};

}  // namespace ember::detail
