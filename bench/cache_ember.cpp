// cache_ember: the ember side of the caching benchmark (driven by run_cache.sh).
//
//   cache_ember [--master local[N]] [--conf key=value]... <level> <records> [passes=3]
//               [partitions=32]
//
// Persists <records> generated 100-byte strings at <level> (MEMORY_ONLY, MEMORY_AND_DISK,
// DISK_ONLY, or a _SER level), runs a first count (computes and caches), then <passes>
// timed counts that read the cached partitions, then a sum of a digest of every record,
// checked with the count against a plain loop over the same generator. Prints one line:
//   ember  level=... records=... bytes=... first_s=... read_s=<median pass> ...
// with the storage status after the first action (memory and disk bytes, partitions in
// each), read MB/s and records/s of the median pass, and, per tier, MB/s of the tasks
// that read a partition from memory or from disk (bytes / the tasks' summed run time: a
// rate per core, which separates the tiers within one run). Bytes are the records'
// 100 payload bytes each. Exit status 1 when an answer is wrong.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "ember_bench.hpp"

namespace {

constexpr int kRecordBytes = 100;

uint64_t splitmix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

/// Record i: 100 printable bytes, every one depending on i, so that a record read back
/// wrong (or another's) changes the digest.
std::string record(int64_t i) {
  std::string out(kRecordBytes, ' ');
  uint64_t state = static_cast<uint64_t>(i);
  for (int k = 0; k < kRecordBytes; k += 8) {
    state = splitmix64(state);
    for (int b = 0; b < 8 && k + b < kRecordBytes; ++b) {
      out[static_cast<size_t>(k + b)] = static_cast<char>('!' + ((state >> (8 * b)) & 0xff) % 94);
    }
  }
  return out;
}

/// FNV-1a: reads every byte, sensitive to their order.
uint64_t digest(const std::string& s) {
  uint64_t h = 14695981039346656037ULL;
  for (const char c : s) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  return h;
}

/// The answer without ember: the same records, generated and digested in a loop.
uint64_t plainDigestSum(int64_t records) {
  uint64_t sum = 0;
  for (int64_t i = 0; i < records; ++i) sum += digest(record(i));
  return sum;
}

ember::StorageLevel parseLevel(const std::string& name) {
  static const std::map<std::string, ember::StorageLevel> levels = {
      {"MEMORY_ONLY", ember::StorageLevel::MEMORY_ONLY},
      {"MEMORY_ONLY_SER", ember::StorageLevel::MEMORY_ONLY_SER},
      {"MEMORY_AND_DISK", ember::StorageLevel::MEMORY_AND_DISK},
      {"MEMORY_AND_DISK_SER", ember::StorageLevel::MEMORY_AND_DISK_SER},
      {"DISK_ONLY", ember::StorageLevel::DISK_ONLY}};
  const auto it = levels.find(name);
  if (it == levels.end()) throw std::invalid_argument("unknown storage level '" + name + "'");
  return it->second;
}

/// Where each cached partition is (from block updates), and what the tasks of the
/// current job read and how long they took, summed per tier.
class TierListener : public ember::SchedulerListener {
 public:
  struct Tier {
    int64_t records = 0;
    int64_t nanos = 0;
  };

  void onBlockUpdated(const ember::BlockUpdatedEvent& event) override {
    const std::lock_guard lock(mutex_);
    inMemory_[event.blockId.partition] = event.memSize > 0;
  }

  void onTaskEnd(const ember::TaskEndEvent& event) override {
    if (!event.succeeded) return;
    const std::lock_guard lock(mutex_);
    const auto it = inMemory_.find(event.task.partition);
    if (it == inMemory_.end()) return;  // not cached: neither tier
    Tier& tier = it->second ? memory_ : disk_;
    tier.records += event.metrics.outputRecords;
    tier.nanos += event.metrics.durationNanos;
  }

  void resetTiming() {
    const std::lock_guard lock(mutex_);
    memory_ = disk_ = Tier{};
  }
  Tier memory() const {
    const std::lock_guard lock(mutex_);
    return memory_;
  }
  Tier disk() const {
    const std::lock_guard lock(mutex_);
    return disk_;
  }

 private:
  mutable std::mutex mutex_;      // block updates arrive from task threads
  std::map<int, bool> inMemory_;  // by partition of the one persisted RDD
  Tier memory_;
  Tier disk_;
};

double mbPerSecond(int64_t records, double seconds) {
  return seconds > 0 ? static_cast<double>(records) * kRecordBytes / seconds / 1e6 : 0.0;
}

double tierMbPerSecond(const TierListener::Tier& tier) {
  return mbPerSecond(tier.records, static_cast<double>(tier.nanos) / 1e9);
}

double median(std::vector<double> values) {
  if (values.empty()) return 0.0;
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

template <class F>
double secondsOf(F&& f) {
  const auto start = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

struct Args {
  ember::StorageLevel level;
  std::string levelName;
  int64_t records = 0;
  int passes = 3;
  int partitions = 32;
};

Args parseArgs(int argc, char** argv) {
  if (argc < 3 || argc > 5) {
    throw std::invalid_argument(
        "usage: cache_ember [--master local[N]] [--conf key=value]... <level> <records> "
        "[passes=3] [partitions=32]");
  }
  Args args{parseLevel(argv[1]), argv[1], std::stoll(argv[2])};
  if (argc > 3) args.passes = std::stoi(argv[3]);
  if (argc > 4) args.partitions = std::stoi(argv[4]);
  if (args.records < 0 || args.passes < 1 || args.partitions < 1) {
    throw std::invalid_argument("records must be >= 0, passes and partitions >= 1");
  }
  return args;
}

ember::RDDInfo storageOf(const ember::Context& ctx, int rddId) {
  for (const ember::RDDInfo& info : ctx.getRDDStorageInfo()) {
    if (info.id == rddId) return info;
  }
  return ember::RDDInfo{};  // nothing cached (an empty input)
}

int run(int argc, char** argv) {
  ember::Context ctx(argc, argv);
  const Args args = parseArgs(argc, argv);
  auto tiers = std::make_shared<TierListener>();
  ctx.addListener(tiers);

  auto data = ctx.range(0, args.records, 1, args.partitions).map(record).persist(args.level);
  int64_t firstCount = 0;
  const double firstSeconds = secondsOf([&] { firstCount = data.count(); });
  const ember::RDDInfo cached = storageOf(ctx, data.id());

  tiers->resetTiming();
  std::vector<double> passSeconds;
  bool countsOk = firstCount == args.records;
  for (int pass = 0; pass < args.passes; ++pass) {
    int64_t n = 0;
    passSeconds.push_back(secondsOf([&] { n = data.count(); }));
    countsOk = countsOk && n == args.records;
  }
  const auto memoryTier = tiers->memory();
  const auto diskTier = tiers->disk();

  uint64_t sum = 0;
  const double sumSeconds = secondsOf([&] {
    sum = data.map(digest).fold(uint64_t{0}, [](uint64_t a, uint64_t b) { return a + b; });
  });
  const ember::RDDInfo after = storageOf(ctx, data.id());
  const bool sumOk = sum == plainDigestSum(args.records);

  const double readSeconds = median(passSeconds);
  std::printf(
      "ember  level=%s records=%lld bytes=%lld partitions=%d first_s=%.3f read_s=%.3f "
      "read_mbps=%.1f read_rps=%.0f sum_s=%.3f mem_bytes=%lld disk_bytes=%lld "
      "cached_partitions=%d mem_task_mbps=%.1f disk_task_mbps=%.1f mem_read_records=%lld "
      "disk_read_records=%lld cached_partitions_end=%d count_ok=%d sum_ok=%d "
      "peak_rss_mib=%.1f\n",
      args.levelName.c_str(), static_cast<long long>(args.records),
      static_cast<long long>(args.records * kRecordBytes), args.partitions, firstSeconds,
      readSeconds, mbPerSecond(args.records, readSeconds),
      readSeconds > 0 ? static_cast<double>(args.records) / readSeconds : 0.0, sumSeconds,
      static_cast<long long>(cached.memSize), static_cast<long long>(cached.diskSize),
      cached.numCachedPartitions, tierMbPerSecond(memoryTier), tierMbPerSecond(diskTier),
      static_cast<long long>(memoryTier.records), static_cast<long long>(diskTier.records),
      after.numCachedPartitions, countsOk ? 1 : 0, sumOk ? 1 : 0, ember_bench::peakRssMib());
  return countsOk && sumOk ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "cache_ember: %s\n", e.what());
    return 1;
  }
}
