#include "rdd/detail/piped_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/error.hpp"

extern char** environ;

namespace ember::detail {
namespace {

constexpr size_t kWriteBlock = size_t{64} << 10;

void closeFd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

}  // namespace

PipedProcess::PipedProcess(std::string command) : command_(std::move(command)) {
  int in[2];
  int out[2];
  // O_CLOEXEC: tasks of other partitions spawn concurrently, and a child must
  // not inherit another child's pipe ends (it would keep them open forever).
  if (::pipe2(in, O_CLOEXEC) != 0)
    throw IoError("pipe: cannot create a pipe: " + std::string(std::strerror(errno)));
  if (::pipe2(out, O_CLOEXEC) != 0) {
    ::close(in[0]);
    ::close(in[1]);
    throw IoError("pipe: cannot create a pipe: " + std::string(std::strerror(errno)));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  const char* argv[] = {"/bin/sh", "-c", command_.c_str(), nullptr};
  int rc =
      ::posix_spawn(&pid_, "/bin/sh", &actions, nullptr, const_cast<char* const*>(argv), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(in[0]);
  ::close(out[1]);
  stdin_ = in[1];
  stdout_ = out[0];
  if (rc != 0) {
    closeFd(stdin_);
    closeFd(stdout_);
    throw IoError("pipe: cannot start '" + command_ + "': " + std::strerror(rc));
  }
  reader_ = std::thread([this] { readLoop(); });
}

PipedProcess::~PipedProcess() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    closeFd(stdin_);
    if (reader_.joinable()) reader_.join();
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
  closeFd(stdout_);
}

void PipedProcess::readLoop() {
  std::string partial;
  char buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(stdout_, buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    std::vector<std::string> complete;
    size_t begin = 0;
    for (ssize_t i = 0; i < n; ++i) {
      if (buf[i] != '\n') continue;
      partial.append(buf + begin, static_cast<size_t>(i) - begin);
      complete.push_back(std::move(partial));
      partial.clear();
      begin = static_cast<size_t>(i) + 1;
    }
    partial.append(buf + begin, static_cast<size_t>(n) - begin);
    std::lock_guard lock(mutex_);
    for (auto& line : complete) lines_.push_back(std::move(line));
  }
  std::lock_guard lock(mutex_);
  if (!partial.empty()) lines_.push_back(std::move(partial));
}

void PipedProcess::writeAll(std::string_view data) {
  while (!data.empty() && stdin_ >= 0) {
    ssize_t n = ::write(stdin_, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      // The child stopped reading, maybe because it failed: finish() reports
      // its exit status first, as Spark does, and this only if it was 0.
      writeError_ =
          "pipe: command '" + command_ + "' stopped reading its input: " + std::strerror(errno);
      closeFd(stdin_);
      return;
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
}

void PipedProcess::writeLine(std::string_view line) {
  pending_.append(line);
  pending_.push_back('\n');
  if (pending_.size() >= kWriteBlock) {
    writeAll(pending_);
    pending_.clear();
  }
}

void PipedProcess::takeLines(std::vector<std::string>& out) {
  std::lock_guard lock(mutex_);
  for (auto& line : lines_) out.push_back(std::move(line));
  lines_.clear();
}

void PipedProcess::finish(std::vector<std::string>& out) {
  writeAll(pending_);
  pending_.clear();
  closeFd(stdin_);
  reader_.join();
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
  takeLines(out);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
    if (!writeError_.empty()) throw Error(writeError_);
    return;
  }
  std::string how = WIFEXITED(status) ? "exited with status " + std::to_string(WEXITSTATUS(status))
                                      : "was killed by signal " + std::to_string(WTERMSIG(status));
  throw Error("pipe: command '" + command_ + "' " + how);
}

}  // namespace ember::detail
