#include "storage/scratch_dir.hpp"

#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <random>
#include <string>
#include <system_error>

#include "common/error.hpp"

namespace ember {
namespace {

[[noreturn]] void cannotCreate(const std::filesystem::path& root, const std::string& reason) {
  throw IoError("cannot create a scratch directory in ember.local.dir=" + root.string() + ": " +
                reason + "; set ember.local.dir to a writable directory");
}

std::string randomSuffix() {
  thread_local std::mt19937_64 generator{std::random_device{}()};
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(generator()));
  return text;
}

}  // namespace

namespace {

/// A spill file stays open while it is read (a spilled map output, a block
/// on disk): a job of thousands of spilled partitions holds as many
/// descriptors, past the usual soft limit of 1024. The hard limit is the
/// one that matters, as Spark's guides tell users to raise `ulimit -n`.
void raiseOpenFileLimit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= limit.rlim_max) return;
  limit.rlim_cur = limit.rlim_max;
  ::setrlimit(RLIMIT_NOFILE, &limit);
}

}  // namespace

ScratchDir::ScratchDir(std::filesystem::path root) : root_(std::move(root)) {
  static const bool raised = (raiseOpenFileLimit(), true);
  (void)raised;
}

ScratchDir::~ScratchDir() {
  if (!created_.load(std::memory_order_acquire)) return;
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

const std::filesystem::path& ScratchDir::path() {
  if (created_.load(std::memory_order_acquire)) return path_;
  std::lock_guard lock(mutex_);
  if (created_.load(std::memory_order_relaxed)) return path_;
  std::error_code error;
  std::filesystem::create_directories(root_, error);
  if (error) cannotCreate(root_, error.message());
  // Another process may have picked the same name: mkdir fails with EEXIST
  // then, and a new name is tried.
  for (;;) {
    std::filesystem::path candidate =
        root_ / ("ember-" + std::to_string(::getpid()) + "-" + randomSuffix());
    if (::mkdir(candidate.c_str(), 0700) == 0) {
      path_ = std::move(candidate);
      created_.store(true, std::memory_order_release);
      return path_;
    }
    if (errno != EEXIST) cannotCreate(root_, std::system_category().message(errno));
  }
}

}  // namespace ember
