// checkpoint and localCheckpoint: after the next action the partitions are
// in files (or blocks), the lineage is cut (toDebugString shows the
// checkpoint RDD), later jobs read them instead of recomputing, and the
// answers equal a plain loop's; on three processes too, whose tasks write
// into one checkpoint directory.

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <numeric>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "support/shapes.hpp"
#include "support/temp_dir.hpp"

namespace {

using ember::StorageLevel;
using ember::testing::ShapedTest;
using ember::testing::TempDir;

class Checkpoint : public ShapedTest {
 protected:
  ember::Conf conf() const override { return ember::Conf().set("ember.local.dir", local_.path()); }

  /// (x % 10, x) for x in 0..n-1, counting the calls of the map function.
  ember::Rdd<std::pair<int64_t, int64_t>> counted(int64_t n, int parts) {
    std::vector<int64_t> xs(static_cast<size_t>(n));
    std::iota(xs.begin(), xs.end(), int64_t{0});
    return ctx().parallelize(xs, parts).map([calls = calls()](int64_t x) {
      calls.add(1);
      return std::pair{x % 10, x};
    });
  }

  /// Calls of counted()'s map function in every process, as of the last
  /// action.
  ember::LongAccumulator& calls() {
    if (!calls_) calls_.emplace(ctx().longAccumulator("map calls"));
    return *calls_;
  }

  static std::map<int64_t, int64_t> plainSums(int64_t n) {
    std::map<int64_t, int64_t> sums;
    for (int64_t i = 0; i < n; ++i) sums[i % 10] += i;
    return sums;
  }

  template <class K, class V>
  static std::map<K, V> asMap(const std::vector<std::pair<K, V>>& pairs) {
    return std::map<K, V>(pairs.begin(), pairs.end());
  }

  TempDir local_;
  TempDir checkpoints_;

 private:
  std::optional<ember::LongAccumulator> calls_;
};

TEST_P(Checkpoint, WritesFilesAndTruncatesTheLineage) {
  ctx().setCheckpointDir(checkpoints_.path());
  ASSERT_TRUE(ctx().getCheckpointDir());
  EXPECT_TRUE(ctx().getCheckpointDir()->starts_with(checkpoints_.path()));
  const int64_t n = 20000;
  auto sums = counted(n, 4).reduceByKey(std::plus<>{}, 3);
  sums.checkpoint();
  EXPECT_FALSE(sums.isCheckpointed());
  EXPECT_FALSE(sums.getCheckpointFile());
  EXPECT_NE(sums.toDebugString().find("ParallelCollectionRDD"), std::string::npos);

  EXPECT_EQ(asMap(sums.collect()), plainSums(n));
  EXPECT_EQ(calls().value(), n);
  EXPECT_TRUE(sums.isCheckpointed());
  EXPECT_FALSE(sums.isLocallyCheckpointed());
  const auto file = sums.getCheckpointFile();
  ASSERT_TRUE(file);
  EXPECT_TRUE(file->starts_with(*ctx().getCheckpointDir())) << *file;
  for (int p = 0; p < 3; ++p) {
    EXPECT_TRUE(std::filesystem::is_regular_file(*file + "/part-0000" + std::to_string(p)));
  }
  const std::string text = sums.toDebugString();
  EXPECT_EQ(text.find("ParallelCollectionRDD"), std::string::npos) << text;
  EXPECT_EQ(text.find("+-"), std::string::npos) << text;
  EXPECT_NE(text.find("(3) ShuffledRDD[" + std::to_string(sums.id()) +
                      "] at reduceByKey at checkpoint_test.cpp:"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("\n |  ReliableCheckpointRDD["), std::string::npos) << text;
  EXPECT_NE(text.find("] at collect at checkpoint_test.cpp:"), std::string::npos) << text;

  // Later jobs read the files, also through new children.
  EXPECT_EQ(asMap(sums.collect()), plainSums(n));
  EXPECT_EQ(sums.mapValues([](int64_t v) { return v * 2; }).values().sum(), 2 * (n * (n - 1) / 2));
  EXPECT_EQ(calls().value(), n);
  EXPECT_EQ(sums.partitioner() != nullptr, true);
}

TEST_P(Checkpoint, APersistedRddIsComputedOnceForTheJobAndTheCheckpoint) {
  ctx().setCheckpointDir(checkpoints_.path());
  const int64_t n = 10000;
  auto pairs = counted(n, 4).cache();
  pairs.checkpoint();
  EXPECT_EQ(pairs.count(), n);
  EXPECT_TRUE(pairs.isCheckpointed());
  EXPECT_EQ(asMap(pairs.reduceByKey(std::plus<>{}).collect()), plainSums(n));
  EXPECT_EQ(calls().value(), n);
  // The checkpoint RDD is all that is left of the lineage.
  EXPECT_NE(pairs.toDebugString().find("CachedPartitions: 4"), std::string::npos);
  EXPECT_NE(pairs.toDebugString().find("ReliableCheckpointRDD"), std::string::npos);
}

TEST_P(Checkpoint, WithoutADirectoryThrows) {
  auto rdd = counted(10, 2);
  EXPECT_THROW(rdd.checkpoint(), ember::Error);
  const std::string notADir = tempDir().write("file", "x");
  EXPECT_THROW(ctx().setCheckpointDir(notADir + "/sub"), ember::IoError);
}

TEST_P(Checkpoint, FilesOutliveTheContext) {
  std::string file;
  {
    ctx().setCheckpointDir(checkpoints_.path());
    auto rdd = counted(1000, 2);
    rdd.checkpoint();
    rdd.count();
    file = rdd.getCheckpointFile().value();
  }
  resetContext();
  EXPECT_TRUE(std::filesystem::is_regular_file(file + "/part-00000"));
  EXPECT_TRUE(std::filesystem::is_regular_file(file + "/part-00001"));
}

TEST_P(Checkpoint, LocalCheckpointKeepsBlocksAndTruncatesTheLineage) {
  if (GetParam().starts_with("local-cluster")) {
    // Each process would keep its own blocks: refused, saying what to use.
    try {
      counted(10, 2).localCheckpoint();
      FAIL() << "localCheckpoint() on several processes did not throw";
    } catch (const ember::Error& e) {
      EXPECT_NE(std::string(e.what()).find("use checkpoint()"), std::string::npos) << e.what();
    }
    return;
  }
  const int64_t n = 12000;
  auto pairs = counted(n, 4);
  EXPECT_EQ(pairs.localCheckpoint().id(), pairs.id());
  EXPECT_EQ(pairs.getStorageLevel(), StorageLevel::MEMORY_AND_DISK);
  EXPECT_TRUE(pairs.isLocallyCheckpointed());
  // take reads one partition; the checkpoint computes the others.
  EXPECT_EQ(pairs.take(2), (std::vector<std::pair<int64_t, int64_t>>{{0, 0}, {1, 1}}));
  EXPECT_TRUE(pairs.isCheckpointed());
  EXPECT_FALSE(pairs.getCheckpointFile());
  EXPECT_EQ(calls().value(), n);
  const std::string text = pairs.toDebugString();
  EXPECT_NE(text.find("\n |  LocalCheckpointRDD["), std::string::npos) << text;
  EXPECT_EQ(text.find("ParallelCollectionRDD"), std::string::npos) << text;
  EXPECT_EQ(asMap(pairs.reduceByKey(std::plus<>{}).collect()), plainSums(n));
  EXPECT_EQ(calls().value(), n);

  // Its blocks are all there is: unpersisted, the partitions are lost.
  pairs.unpersist();
  EXPECT_THROW(pairs.count(), ember::JobFailed);
}

TEST_P(Checkpoint, ACorruptCheckpointFileIsAnErrorNamingIt) {
  ctx().setCheckpointDir(checkpoints_.path());
  auto rdd = counted(3000, 1);
  rdd.checkpoint();
  rdd.count();
  const std::string part = *rdd.getCheckpointFile() + "/part-00000";
  {
    std::fstream f(part, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(30);
    f.put('\x5a');
  }
  try {
    rdd.count();
    FAIL() << "no error";
  } catch (const ember::JobFailed& e) {
    EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
  }
}

EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(Checkpoint);

}  // namespace
