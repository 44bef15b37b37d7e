#pragma once
// CheckpointDir: where checkpoint() writes the partitions of RDDs.

#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <system_error>

#include "common/error.hpp"

namespace ember::detail {

/// Set by Context::setCheckpointDir(dir): as Spark, a fresh subdirectory
/// `<dir>/<id>` holds this context's checkpoints, `rdd-<id>/part-NNNNN` per
/// RDD; every process of a cluster names the same one. Checkpoint files
/// outlive the job and the program.
///
/// Thread safety: every method may be called concurrently.
class CheckpointDir {
 public:
  /// Creates `<dir>/<id>`. Throws IoError naming `dir` when it cannot.
  void set(const std::string& dir, const std::string& id) {
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
