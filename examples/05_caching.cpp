// Tutorial 05: caching and persistence.
//
// What to look at:
//   1. An iterative job (five passes over the same RDD, as a machine-learning
//      loop makes) recomputes the RDD from its lineage in every pass unless
//      it is persisted: the counter of calls to the map function says how
//      many records were computed.
//   2. MEMORY_ONLY under a budget smaller than the data keeps the partitions
//      that fit; the others are recomputed in each pass, never spilled.
//   3. MEMORY_AND_DISK writes what does not fit to ember.local.dir, and
//      DISK_ONLY keeps every partition there: both compute each record once.
//   4. ctx.getRDDStorageInfo() (Spark's Storage tab) and toDebugString()
//      show where the partitions are; unpersist() frees them.
//
// Run it:  build/release/examples/05_caching [--master local[N]]
// The budget is set in code (ember.executor.memory=8m), so that 1,000,000
// numbers (8 MB as objects) do not fit in memory.
//
// The output you should see (times and sizes differ; each mode makes a range,
// a map and five filters, so the cached map's id is 8, 15 and 22; each
// RDD "..." entry is one line of output, wrapped here):
//   none: answers 900000 800000 700000 600000 500000; computed 5000000 records (5.0x) in 41 ms
//   MEMORY_ONLY: answers ...; computed 2500000 records (2.5x) in 30 ms
//     RDD "MapPartitionsRDD" (8) StorageLevel: Memory Deserialized 1x Replicated;
//     CachedPartitions: 5; TotalPartitions: 8; MemorySize: 4.8 MiB; DiskSize: 0.0 B
//   MEMORY_AND_DISK: ...; computed 1000000 records (1.0x) ...
//     RDD "MapPartitionsRDD" (15) StorageLevel: Disk Memory Deserialized 1x Replicated;
//     CachedPartitions: 8; TotalPartitions: 8; MemorySize: ...; DiskSize: ...
//   DISK_ONLY: ...; computed 1000000 records (1.0x) ...
//     RDD "MapPartitionsRDD" (22) StorageLevel: Disk Serialized 1x Replicated;
//     CachedPartitions: 8; TotalPartitions: 8; MemorySize: 0.0 B; DiskSize: ...
//   the lineage of the last one, with its "CachedPartitions: 8" line
//   after unpersist: 0 RDDs cached

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include <ember/ember.hpp>

int main(int argc, char** argv) {
  ember::Context ctx(argc, argv, ember::Conf().set("ember.executor.memory", "8m"));
  constexpr int64_t kRecords = 1000000;
  constexpr int kPasses = 5;
  std::atomic<int64_t> computed{0};

  struct Mode {
    const char* name;
    ember::StorageLevel level;
  };
  const Mode modes[] = {{"none", ember::StorageLevel::NONE},
                        {"MEMORY_ONLY", ember::StorageLevel::MEMORY_ONLY},
                        {"MEMORY_AND_DISK", ember::StorageLevel::MEMORY_AND_DISK},
                        {"DISK_ONLY", ember::StorageLevel::DISK_ONLY}};
  for (const Mode& mode : modes) {
    computed = 0;
    // The "expensive" RDD: every record costs a call of this function.
    auto values = ctx.range(0, kRecords, 1, 8).map([&computed](int64_t x) {
      computed.fetch_add(1, std::memory_order_relaxed);
      return (x * 7919) % kRecords;  // a permutation of 0..kRecords-1
    });
    values.persist(mode.level);

    const auto start = std::chrono::steady_clock::now();
    std::string answers;
    for (int pass = 1; pass <= kPasses; ++pass) {
      // Pass k counts the values at or above a threshold that rises each pass.
      const int64_t threshold = kRecords * pass / 10;
      const int64_t above =
          values.filter([threshold](int64_t v) { return v >= threshold; }).count();
      answers += (pass > 1 ? " " : "") + std::to_string(above);
    }
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - start)
                        .count();
    char ratio[16];
    std::snprintf(ratio, sizeof ratio, "%.1fx",
                  static_cast<double>(computed.load()) / static_cast<double>(kRecords));
    std::cout << mode.name << ": answers " << answers << "; computed " << computed.load()
              << " records (" << ratio << ") in " << ms << " ms\n";
    for (const ember::RDDInfo& info : ctx.getRDDStorageInfo()) std::cout << "  " << info << "\n";
    if (mode.level == ember::StorageLevel::DISK_ONLY) {
      std::cout << values.toDebugString() << "\n";
    }
    values.unpersist();
  }
  std::cout << "after unpersist: " << ctx.getRDDStorageInfo().size() << " RDDs cached\n";
}
