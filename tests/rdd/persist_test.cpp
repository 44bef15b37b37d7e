// persist, cache and unpersist: a persisted RDD is computed once however
// many actions read it (counted by an accumulator in the map function), a
// MEMORY_ONLY RDD larger than the budget recomputes exactly the partitions
// that are not cached, the disk levels never recompute, unpersist frees
// memory and files, and every answer equals a plain loop's. The suite runs
// on three processes too, where the driver's storage status covers every
// process's blocks.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <numeric>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "support/shapes.hpp"
#include "support/temp_dir.hpp"

namespace {

using ember::RDDInfo;
using ember::StorageLevel;
using ember::testing::ShapedTest;
using ember::testing::TempDir;

constexpr StorageLevel kLevels[] = {StorageLevel::MEMORY_ONLY, StorageLevel::MEMORY_ONLY_SER,
                                    StorageLevel::MEMORY_AND_DISK,
                                    StorageLevel::MEMORY_AND_DISK_SER, StorageLevel::DISK_ONLY};

std::vector<int64_t> iota(int64_t n) {
  std::vector<int64_t> v(static_cast<size_t>(n));
  std::iota(v.begin(), v.end(), int64_t{0});
  return v;
}

/// What x -> 3x + 1 gives over 0..n-1, summed, by a plain loop.
int64_t plainSum(int64_t n) {
  int64_t sum = 0;
  for (int64_t i = 0; i < n; ++i) sum += 3 * i + 1;
  return sum;
}

std::optional<RDDInfo> infoOf(const ember::Context& ctx, int id) {
  for (const RDDInfo& info : ctx.getRDDStorageInfo()) {
    if (info.id == id) return info;
  }
  return std::nullopt;
}

/// The block files (rdd_<id>_<p>-N.data) under `dir`.
int blockFiles(const std::string& dir) {
  int n = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().filename().string().starts_with("rdd_")) ++n;
  }
  return n;
}

class Persist : public ShapedTest {
 protected:
  ember::Conf conf() const override { return ember::Conf().set("ember.local.dir", dir_.path()); }

  bool onCluster() const { return GetParam().starts_with("local-cluster"); }

  /// Records computed by counted(), summed over the tasks of every process
  /// (after an action, every process has the driver's total).
  ember::LongAccumulator& calls() {
    if (!calls_) calls_.emplace(ctx().longAccumulator("records computed"));
    return *calls_;
  }

  /// 0..n-1 in `parts` partitions, mapped to 3x + 1, counting the calls.
  ember::Rdd<int64_t> counted(int64_t n, int parts) {
    return ctx().parallelize(iota(n), parts).map([calls = calls()](int64_t x) {
      calls.add(1);
      return 3 * x + 1;
    });
  }

  TempDir dir_;

 private:
  std::optional<ember::LongAccumulator> calls_;
};

TEST_P(Persist, CachedRddIsComputedOnceAcrossActions) {
  const int64_t n = 20000;
  auto rdd = counted(n, 4);
  EXPECT_EQ(rdd.cache().id(), rdd.id());
  EXPECT_EQ(rdd.getStorageLevel(), StorageLevel::MEMORY_ONLY);
  EXPECT_EQ(rdd.count(), n);
  EXPECT_EQ(rdd.reduce(std::plus<>{}), plainSum(n));
  const auto all = rdd.collect();
  ASSERT_EQ(all.size(), static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) ASSERT_EQ(all[static_cast<size_t>(i)], 3 * i + 1);
  EXPECT_EQ(rdd.map([](int64_t x) { return x % 7; }).sum(), [&] {
    int64_t s = 0;
    for (int64_t i = 0; i < n; ++i) s += (3 * i + 1) % 7;
    return s;
  }());
  EXPECT_EQ(calls().value(), n);
}

TEST_P(Persist, EveryLevelComputesOnceAndReportsWhereItsBlocksAre) {
  const int64_t n = 30000;
  for (const StorageLevel& level : kLevels) {
    SCOPED_TRACE(level.description());
    calls().reset();
    auto rdd = counted(n, 5).persist(level);
    EXPECT_EQ(rdd.getStorageLevel(), level);
    EXPECT_EQ(rdd.reduce(std::plus<>{}), plainSum(n));
    EXPECT_EQ(rdd.count(), n);
    EXPECT_EQ(rdd.take(3), (std::vector<int64_t>{1, 4, 7}));
    EXPECT_EQ(calls().value(), n);
    auto info = infoOf(ctx(), rdd.id());
    ASSERT_TRUE(info);
    EXPECT_EQ(info->numCachedPartitions, 5);
    EXPECT_EQ(info->numPartitions, 5);
    EXPECT_EQ(info->storageLevel, level);
    EXPECT_EQ(info->memSize > 0, level.useMemory);
    EXPECT_EQ(info->diskSize > 0, !level.useMemory);
    if (level.useMemory && !level.deserialized) {
      // Serialized with lz4: smaller than the 8 bytes a record takes as objects.
      EXPECT_LT(info->memSize, n * 8);
    }
    rdd.unpersist();
  }
}

TEST_P(Persist, StringPairsRoundTripThroughEverySerializedLevel) {
  std::vector<std::pair<std::string, int64_t>> data;
  for (int i = 0; i < 5000; ++i) data.emplace_back("word-" + std::to_string(i % 97), i);
  std::map<std::string, int64_t> expected;
  for (const auto& [k, v] : data) expected[k] += v;
  for (const StorageLevel& level : kLevels) {
    SCOPED_TRACE(level.description());
    auto rdd = ctx().parallelize(data, 3).persist(level);
    for (int round = 0; round < 2; ++round) {
      auto sums = rdd.reduceByKey(std::plus<>{}).collectAsMap();
      EXPECT_EQ((std::map<std::string, int64_t>(sums.begin(), sums.end())), expected);
    }
    EXPECT_EQ(rdd.collect(), data);
  }
}

TEST_P(Persist, ACachedRddFeedingShufflesIsComputedOnce) {
  const int64_t n = 12000;
  auto pairs = ctx()
                   .parallelize(iota(n), 4)
                   .map([calls = calls()](int64_t x) {
                     calls.add(1);
                     return std::pair{x % 10, x};
                   })
                   .cache();
  auto sums = pairs.reduceByKey(std::plus<>{}).collectAsMap();
  auto counts = pairs.countByKey();
  auto maxima = pairs.reduceByKey([](int64_t a, int64_t b) { return std::max(a, b); }, 3).collect();
  std::map<int64_t, int64_t> plainSums;
  for (int64_t i = 0; i < n; ++i) plainSums[i % 10] += i;
  EXPECT_EQ((std::map<int64_t, int64_t>(sums.begin(), sums.end())), plainSums);
  for (const auto& [key, count] : counts) EXPECT_EQ(count, n / 10);
  EXPECT_EQ(maxima.size(), 10U);
  EXPECT_EQ(calls().value(), n);
}

TEST_P(Persist, ChangingTheLevelThrowsAsInSpark) {
  auto rdd = counted(100, 2).persist(StorageLevel::MEMORY_AND_DISK);
  try {
    rdd.persist(StorageLevel::MEMORY_ONLY);
    FAIL() << "persist with another level did not throw";
  } catch (const ember::Error& e) {
    EXPECT_NE(std::string(e.what()).find("Cannot change storage level of an RDD after it was "
                                         "already assigned a level"),
              std::string::npos)
        << e.what();
  }
  EXPECT_THROW(rdd.cache(), ember::Error);
  EXPECT_NO_THROW(rdd.persist(StorageLevel::MEMORY_AND_DISK));
  EXPECT_EQ(rdd.getStorageLevel(), StorageLevel::MEMORY_AND_DISK);
  // After unpersist any level may be chosen again.
  EXPECT_EQ(rdd.unpersist().getStorageLevel(), StorageLevel::NONE);
  EXPECT_EQ(rdd.cache().getStorageLevel(), StorageLevel::MEMORY_ONLY);
  EXPECT_EQ(rdd.count(), 100);
}

TEST_P(Persist, UnpersistFreesMemoryAndDiskAndRecomputesAfterwards) {
  const int64_t n = 10000;
  auto inMemory = counted(n, 4).cache();
  auto onDisk = counted(n, 3).persist(StorageLevel::DISK_ONLY);
  EXPECT_EQ(inMemory.count() + onDisk.count(), 2 * n);
  EXPECT_EQ(ctx().getRDDStorageInfo().size(), 2U);
  // Files and memory are checked on the driver: a blocking unpersist
  // returns there once every process has dropped its blocks.
  const bool driver = ctx().isDriver();
  if (driver) {
    EXPECT_EQ(blockFiles(dir_.path()), 3);
  }
  EXPECT_GT(infoOf(ctx(), inMemory.id())->memSize, 0);

  onDisk.unpersist(true);
  if (driver) {
    EXPECT_EQ(blockFiles(dir_.path()), 0);
  }
  ASSERT_EQ(ctx().getRDDStorageInfo().size(), 1U);
  EXPECT_EQ(ctx().getRDDStorageInfo()[0].id, inMemory.id());
  inMemory.unpersist(true);
  EXPECT_TRUE(ctx().getRDDStorageInfo().empty());
  if (driver) {
    EXPECT_EQ(ctx().runtime()->memory->storageUsed(), 0);
  }

  calls().reset();
  EXPECT_EQ(inMemory.reduce(std::plus<>{}), plainSum(n));
  EXPECT_EQ(calls().value(), n);
}

TEST_P(Persist, ADroppedRddFreesItsBlocks) {
  {
    auto rdd = counted(5000, 2).persist(StorageLevel::MEMORY_AND_DISK_SER);
    EXPECT_EQ(rdd.count(), 5000);
    EXPECT_EQ(ctx().getRDDStorageInfo().size(), 1U);
  }
  EXPECT_TRUE(ctx().getRDDStorageInfo().empty());
  if (ctx().isDriver()) {
    EXPECT_EQ(ctx().runtime()->memory->storageUsed(), 0);
  }
}

TEST_P(Persist, ToDebugStringShowsTheLevelAndCachedPartitionsAsSpark) {
  auto rdd = counted(4000, 4).cache();
  auto child = rdd.map([](int64_t x) { return x + 1; });
  EXPECT_NE(child.toDebugString().find("MapPartitionsRDD[" + std::to_string(rdd.id()) +
                                       "] at map at persist_test.cpp"),
            std::string::npos);
  EXPECT_EQ(rdd.toDebugString().find("CachedPartitions"), std::string::npos);
  child.count();
  const std::string text = rdd.toDebugString();
  EXPECT_EQ(text.rfind("(4) MapPartitionsRDD[" + std::to_string(rdd.id()) + "]", 0), 0U) << text;
  EXPECT_NE(text.find(" [Memory Deserialized 1x Replicated]\n |       CachedPartitions: 4; "
                      "MemorySize: "),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("; DiskSize: 0.0 B\n |  ParallelCollectionRDD["), std::string::npos) << text;
  // The child is not persisted: its line has no storage level, but its
  // parent's cached partitions show below it.
  const std::string childText = child.toDebugString();
  EXPECT_NE(childText.find("] at map at persist_test.cpp:"), std::string::npos);
  // (Spark's indentation: one space less than below the first line.)
  EXPECT_NE(childText.find("Replicated]\n |      CachedPartitions: 4;"), std::string::npos)
      << childText;
}

TEST_P(Persist, TasksNeedingOnePartitionAtOnceComputeItOnce) {
  // One cached partition read by every partition of a union with itself:
  // the tasks run at once, and one computes while the others wait for it.
  // On a cluster the others wait for the process computing it.
  const int64_t n = 8000;
  auto slow = ctx()
                  .parallelize(iota(n), 1)
                  .map([calls = calls()](int64_t x) {
                    calls.add(1);
                    if (x % 2000 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
                    return x;
                  })
                  .cache();
  auto many = slow.union_(slow).union_(slow).union_(slow);
  EXPECT_EQ(many.count(), 4 * n);
  EXPECT_EQ(calls().value(), n);
  EXPECT_EQ(slow.zip(slow).filter([](const auto& p) { return p.first != p.second; }).count(), 0);
  EXPECT_EQ(calls().value(), n);
}

TEST_P(Persist, ListenersSeeBlockUpdates) {
  struct Recorder : ember::SchedulerListener {
    void onBlockUpdated(const ember::BlockUpdatedEvent& e) override {
      std::lock_guard lock(mutex);
      events.push_back(e);
    }
    std::mutex mutex;
    std::vector<ember::BlockUpdatedEvent> events;
  };
  auto recorder = std::make_shared<Recorder>();
  ctx().addListener(recorder);
  auto rdd = counted(3000, 3).persist(StorageLevel::DISK_ONLY);
  rdd.count();
  rdd.unpersist(true);
  if (!ctx().isDriver()) return;  // the driver hears of every process's blocks
  std::lock_guard lock(recorder->mutex);
  ASSERT_EQ(recorder->events.size(), 6U);
  std::map<std::string, int> stored, removed;
  for (const auto& e : recorder->events) {
    EXPECT_EQ(e.blockId.rddId, rdd.id());
    EXPECT_EQ(e.memSize, 0);
    if (e.storageLevel.isValid()) {
      EXPECT_EQ(e.storageLevel, StorageLevel::DISK_ONLY);
      EXPECT_GT(e.diskSize, 0);
      ++stored[e.blockId.name()];
    } else {
      EXPECT_EQ(e.diskSize, 0);
      ++removed[e.blockId.name()];
    }
  }
  const std::map<std::string, int> each = {{"rdd_" + std::to_string(rdd.id()) + "_0", 1},
                                           {"rdd_" + std::to_string(rdd.id()) + "_1", 1},
                                           {"rdd_" + std::to_string(rdd.id()) + "_2", 1}};
  EXPECT_EQ(stored, each);
  EXPECT_EQ(removed, each);
}

TEST_P(Persist, TasksReadingACachedPartitionRunWhereItIs) {
  // Spark's preferred locations: a later action's task for partition p runs
  // in the process that cached block p, so nothing is computed twice.
  struct Recorder : ember::SchedulerListener {
    void onBlockUpdated(const ember::BlockUpdatedEvent& e) override {
      std::lock_guard lock(mutex);
      if (e.storageLevel.isValid()) holder[e.blockId.partition] = e.executorId;
    }
    void onTaskEnd(const ember::TaskEndEvent& e) override {
      std::lock_guard lock(mutex);
      ranOn[e.task.partition] = e.task.executorId;
    }
    std::mutex mutex;
    std::map<int, std::string> holder, ranOn;
  };
  auto recorder = std::make_shared<Recorder>();
  ctx().addListener(recorder);
  const int64_t n = 6000;
  const int parts = 6;
  auto rdd = counted(n, parts).persist(StorageLevel::MEMORY_AND_DISK);
  EXPECT_EQ(rdd.count(), n);
  for (int round = 0; round < 3; ++round) {
    EXPECT_EQ(rdd.map([](int64_t x) { return x % 5; }).sum(), [&] {
      int64_t s = 0;
      for (int64_t i = 0; i < n; ++i) s += (3 * i + 1) % 5;
      return s;
    }());
    EMBER_ON_DRIVER(ctx()) {
      std::lock_guard lock(recorder->mutex);
      ASSERT_EQ(recorder->holder.size(), static_cast<size_t>(parts));
      EXPECT_EQ(recorder->ranOn, recorder->holder) << "round " << round;
    }
  }
  EXPECT_EQ(calls().value(), n);
}

TEST_P(Persist, StorageInfoPrintsAsSpark) {
  auto rdd = counted(1000, 2).cache();
  rdd.count();
  auto info = infoOf(ctx(), rdd.id());
  ASSERT_TRUE(info);
  EXPECT_EQ(info->name, "MapPartitionsRDD");
  EXPECT_NE(info->callSite.find("map at persist_test.cpp:"), std::string::npos);
  const std::string text = info->toString();
  EXPECT_EQ(text.rfind("RDD \"MapPartitionsRDD\" (" + std::to_string(rdd.id()) +
                           ") StorageLevel: Memory Deserialized 1x Replicated; CachedPartitions: "
                           "2; TotalPartitions: 2; MemorySize: ",
                       0),
            0U)
      << text;
  EXPECT_EQ(ember::bytesToString(0), "0.0 B");
  EXPECT_EQ(ember::bytesToString(2047), "2047.0 B");
  EXPECT_EQ(ember::bytesToString(3584), "3.5 KiB");
  EXPECT_EQ(ember::bytesToString(int64_t{5} << 30), "5.0 GiB");
}

TEST_P(Persist, AnUnwritableLocalDirIsAnIoErrorNamingIt) {
  TempDir other;
  const std::string notADir = other.write("file", "x");
  ember::Context c(ember::testing::clusterConf(
      ember::Conf().set("ember.master", GetParam()).set("ember.local.dir", notADir + "/sub")));
  auto rdd = c.parallelize(iota(100), 2).persist(StorageLevel::DISK_ONLY);
  try {
    rdd.count();
    FAIL() << "no error";
  } catch (const ember::JobFailed& e) {
    EXPECT_NE(std::string(e.what()).find(notADir), std::string::npos) << e.what();
    // A task that failed in another process arrives as its message.
    if (!onCluster()) {
      EXPECT_THROW(std::rethrow_exception(e.cause()), ember::IoError);
    }
  }
}

EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(Persist);

/// A budget of 4 MiB: 2.4 MiB for execution and storage together. Local
/// shapes only: the budget is per process, so three processes would cache
/// what these tests make too large for one.
class PersistUnderABudget : public Persist {
 protected:
  ember::Conf conf() const override { return Persist::conf().set("ember.executor.memory", "4m"); }
};

TEST_P(PersistUnderABudget, MemoryOnlyLargerThanTheBudgetRecomputesOnlyMissingPartitions) {
  // 8 partitions of 50,000 numbers, about 400 KB each as objects: 3.2 MB,
  // more than the 2.4 MB the budget gives.
  const int64_t n = 400000;
  const int parts = 8;
  auto rdd = counted(n, parts).cache();
  int cachedBefore = 0;
  for (int action = 0; action < 3; ++action) {
    SCOPED_TRACE("action " + std::to_string(action));
    const int64_t before = calls().value();
    EXPECT_EQ(rdd.reduce(std::plus<>{}), plainSum(n));
    EXPECT_EQ(calls().value() - before, (parts - cachedBefore) * (n / parts));
    auto info = infoOf(ctx(), rdd.id());
    ASSERT_TRUE(info);
    EXPECT_GT(info->numCachedPartitions, 0);
    EXPECT_LT(info->numCachedPartitions, parts);
    EXPECT_EQ(info->diskSize, 0);
    EXPECT_LE(info->memSize, ctx().runtime()->memory->poolBytes());
    cachedBefore = info->numCachedPartitions;
  }
  EXPECT_EQ(blockFiles(dir_.path()), 0);
}

TEST_P(PersistUnderABudget, DiskLevelsNeverRecompute) {
  const int64_t n = 400000;
  const int parts = 8;
  for (const StorageLevel& level : {StorageLevel::MEMORY_AND_DISK,
                                    StorageLevel::MEMORY_AND_DISK_SER, StorageLevel::DISK_ONLY}) {
    SCOPED_TRACE(level.description());
    calls().reset();
    auto rdd = counted(n, parts).persist(level);
    for (int action = 0; action < 3; ++action) {
      EXPECT_EQ(rdd.reduce(std::plus<>{}), plainSum(n));
    }
    EXPECT_EQ(calls().value(), n);
    auto info = infoOf(ctx(), rdd.id());
    ASSERT_TRUE(info);
    EXPECT_EQ(info->numCachedPartitions, parts);
    // Serialized, the numbers compress enough to fit in memory.
    EXPECT_EQ(info->diskSize > 0, level.deserialized || !level.useMemory);
    if (level == StorageLevel::DISK_ONLY) {
      EXPECT_EQ(info->memSize, 0);
    }
    if (level == StorageLevel::DISK_ONLY) {
      EXPECT_EQ(blockFiles(dir_.path()), parts);
    } else {
      EXPECT_EQ(blockFiles(dir_.path()) > 0, info->diskSize > 0);
    }
    rdd.unpersist(true);
    EXPECT_EQ(blockFiles(dir_.path()), 0);
  }
}

TEST_P(PersistUnderABudget, ExecutionEvictsCachedBlocksWhichAreThenRecomputed) {
  const int64_t n = 400000;
  const int parts = 8;
  auto cached = counted(n, parts).cache();
  EXPECT_EQ(cached.count(), n);
  const int cachedBefore = infoOf(ctx(), cached.id())->numCachedPartitions;
  // A sort whose buffers need the memory the cache borrowed beyond the
  // storage region.
  std::vector<int64_t> keys = iota(300000);
  std::reverse(keys.begin(), keys.end());
  auto sortedKeys = ctx().parallelize(keys, 2).sortBy([](int64_t x) { return x; }, true, 2);
  EXPECT_EQ(sortedKeys.first(), 0);
  auto info = infoOf(ctx(), cached.id());
  const int cachedAfter = info ? info->numCachedPartitions : 0;
  EXPECT_LE(cachedAfter, cachedBefore);
  const int64_t before = calls().value();
  EXPECT_EQ(cached.reduce(std::plus<>{}), plainSum(n));
  EXPECT_EQ(calls().value() - before, (parts - cachedAfter) * (n / parts));
}

EMBER_INSTANTIATE_SHAPES(PersistUnderABudget);

}  // namespace
