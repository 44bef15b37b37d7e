#pragma once
// Helpers shared by the ember programs of the table benchmarks (*_ember.cpp): the
// size of the input, the peak RSS, and the job's metrics summed from the scheduler's
// task events, printed in the `key=value` form the bench scripts parse.

#include <sys/resource.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <initializer_list>
#include <memory>
#include <string>
#include <system_error>

#include <ember/ember.hpp>

namespace ember_bench {

/// A 64-bit finalizer (MurmurHash3's): the generators' deterministic
/// pseudo-random bits for record i.
inline uint64_t mix(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  return x ^ (x >> 33);
}

inline double peakRssMib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

/// The total size of the files; exits with status 1 when one cannot be read.
inline std::uintmax_t inputBytes(std::initializer_list<std::string> paths) {
  std::uintmax_t total = 0;
  for (const std::string& path : paths) {
    std::error_code error;
    const std::uintmax_t bytes = std::filesystem::file_size(path, error);
    if (error) {
      std::fprintf(stderr, "cannot stat '%s': %s\n", path.c_str(), error.message().c_str());
      std::exit(1);
    }
    total += bytes;
  }
  return total;
}

/// Whether TaskMetrics counts spills (memoryBytesSpilled, diskBytesSpilled: Spark's names).
template <class Metrics>
inline constexpr bool kHasSpillMetrics = requires(const Metrics& m) {
  m.memoryBytesSpilled + m.diskBytesSpilled;
};

/// The metrics of every successful task, summed. Spill counters are read only when
/// TaskMetrics has them, so the programs build against an ember without spilling too,
/// and then print "na".
class MetricsListener : public ember::SchedulerListener {
 public:
  void onTaskEnd(const ember::TaskEndEvent& event) override {
    if (!event.succeeded) return;
    const auto& m = event.metrics;
    shuffleWriteBytes_ += m.shuffleWriteBytes;
    shuffleReadBytes_ += m.shuffleReadBytes;
    addSpills(m);
  }

  /// " spill_disk_bytes=... spill_memory_bytes=... shuffle_write_bytes=..."
  std::string fields() const {
    const auto spill = [](int64_t v) {
      return kHasSpillMetrics<ember::TaskMetrics> ? std::to_string(v) : std::string("na");
    };
    return " spill_disk_bytes=" + spill(diskBytesSpilled_) +
           " spill_memory_bytes=" + spill(memoryBytesSpilled_) +
           " shuffle_write_bytes=" + std::to_string(shuffleWriteBytes_) +
           " shuffle_read_bytes=" + std::to_string(shuffleReadBytes_);
  }

 private:
  template <class Metrics>
  void addSpills(const Metrics& m) {
    if constexpr (kHasSpillMetrics<Metrics>) {
      memoryBytesSpilled_ += m.memoryBytesSpilled;
      diskBytesSpilled_ += m.diskBytesSpilled;
    }
  }

  int64_t shuffleWriteBytes_ = 0;
  int64_t shuffleReadBytes_ = 0;
  int64_t memoryBytesSpilled_ = 0;
  int64_t diskBytesSpilled_ = 0;
};

/// Registers a MetricsListener on the context and returns it.
inline std::shared_ptr<MetricsListener> listen(ember::Context& ctx) {
  auto listener = std::make_shared<MetricsListener>();
  ctx.addListener(listener);
  return listener;
}

/// Must match groupChecksum in check_results.cpp and the SQL in duckdb_jobs.mjs.
inline int64_t groupChecksum(int64_t key, int64_t sum) {
  return (key * 2654435761LL + sum * 40503LL + 12345LL) % 1000000007LL;
}

}  // namespace ember_bench
