#pragma once
// ScratchDir: the private directory that holds one Context's spill files.

#include <atomic>
#include <filesystem>
#include <mutex>

namespace ember {

/// A private directory `<root>/ember-<pid>-<random>` (mode 0700), created on
/// first use and removed with everything in it when destroyed, also after a
/// failed job.
///
/// Thread safety: path() may be called concurrently.
class ScratchDir {
 public:
  /// Does not touch the disk: a program that never spills creates nothing.
  explicit ScratchDir(std::filesystem::path root);
  /// Removes the directory if it was created; never throws.
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  /// The directory, created (with `root`, if missing) on the first call.
  /// Throws IoError naming `root` when it cannot be created; a later call
  /// tries again.
  const std::filesystem::path& path();

  const std::filesystem::path& root() const { return root_; }

 private:
  std::filesystem::path root_;
  std::filesystem::path path_;
  std::atomic<bool> created_{false};
  std::mutex mutex_;
};

}  // namespace ember
