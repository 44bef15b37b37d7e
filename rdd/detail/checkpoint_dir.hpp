#pragma once
// CheckpointDir: where checkpoint() writes the partitions of RDDs.

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <system_error>

#include "common/error.hpp"

namespace ember::detail {

/// Set by Context::setCheckpointDir(dir): as Spark, a fresh subdirectory
/// `<dir>/<random id>` holds this context's checkpoints, `rdd-<id>/part-NNNNN`
/// per RDD. Checkpoint files outlive the job and the program.
///
/// Thread safety: every method may be called concurrently.
class CheckpointDir {
 public:
  /// Creates the subdirectory. Throws IoError naming `dir` when it cannot.
  void set(const std::string& dir) {
    thread_local std::mt19937_64 generator{std::random_device{}()};
    char id[40];
    std::snprintf(id, sizeof id, "%016llx-%d", static_cast<unsigned long long>(generator()),
                  static_cast<int>(::getpid()));
    std::filesystem::path path = std::filesystem::path(dir) / id;
    std::error_code error;
    std::filesystem::create_directories(path, error);
    if (error) {
      throw IoError("cannot create the checkpoint directory in " + dir + ": " + error.message() +
                    "; give setCheckpointDir a writable directory");
    }
    std::lock_guard lock(mutex_);
    path_ = std::move(path);
  }

  std::optional<std::filesystem::path> get() const {
    std::lock_guard lock(mutex_);
    return path_;
  }

 private:
  mutable std::mutex mutex_;
  std::optional<std::filesystem::path> path_;
};

}  // namespace ember::detail
