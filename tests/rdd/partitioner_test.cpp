// Rdd::partitioner(): known after shuffles, kept by operations that keep
// keys in place, dropped by those that may move them, and used to skip a
// shuffle when an operation's target partitioner is the one in place.
// Stages are counted through a listener; answers compared with plain loops.

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "support/metrics.hpp"
#include "support/pairs.hpp"
#include "support/reference.hpp"
#include "support/shapes.hpp"

namespace {

using ember::testing::MetricsRecorder;
using ember::testing::plainSums;
using ember::testing::randomInts;
using ember::testing::ShapedTest;
using ember::testing::sorted;

using Pair = std::pair<int, int64_t>;

std::vector<Pair> records(int n, int keys, unsigned seed) {
  std::vector<Pair> out;
  for (int x : randomInts(n, keys, seed)) out.emplace_back(x, x % 17);
  return out;
}

std::map<int, int64_t> toMap(const std::vector<Pair>& pairs) {
  return std::map<int, int64_t>(pairs.begin(), pairs.end());
}

/// True when rdd's partitioner is a HashPartitioner of n partitions.
template <class R>
bool hashPartitionedBy(const R& rdd, int n) {
  return rdd.partitioner() && rdd.partitioner()->equals(ember::HashPartitioner(n));
}

class Partitioner : public ShapedTest {
 protected:
  void SetUp() override { ctx().addListener(recorder_); }
  /// Stages of the one job started since the last clear().
  int stagesOfLastJob() const {
    const auto jobs = recorder_->stagesPerJob();
    return jobs.empty() ? -1 : jobs.back();
  }

  std::shared_ptr<MetricsRecorder> recorder_ = std::make_shared<MetricsRecorder>();
};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(Partitioner);

TEST_P(Partitioner, IsUnknownForSourcesAndKnownAfterShuffles) {
  auto source = ctx().parallelize(records(100, 10, 1), 3);
  EXPECT_EQ(source.partitioner(), nullptr);
  EXPECT_TRUE(hashPartitionedBy(source.reduceByKey(std::plus<>{}, 4), 4));
  EXPECT_TRUE(hashPartitionedBy(source.groupByKey(5), 5));
  EXPECT_TRUE(hashPartitionedBy(source.partitionBy(2), 2));
  EXPECT_TRUE(hashPartitionedBy(source.reduceByKey(std::plus<>{}), 3));  // parent's count
  EXPECT_TRUE(hashPartitionedBy(source.join(source, 6), 6));
  auto byRange = source.sortByKey(true, 3);
  ASSERT_NE(byRange.partitioner(), nullptr);
  EXPECT_EQ(byRange.partitioner()->numPartitions(), byRange.getNumPartitions());
  EXPECT_FALSE(byRange.partitioner()->equals(ember::HashPartitioner(byRange.getNumPartitions())));
}

TEST_P(Partitioner, IsKeptByOperationsThatKeepKeysAndDroppedByMap) {
  auto placed = ctx().parallelize(records(200, 20, 2), 3).partitionBy(4);
  EXPECT_TRUE(hashPartitionedBy(placed.mapValues([](int64_t v) { return v * 2; }), 4));
  EXPECT_TRUE(hashPartitionedBy(placed.filter([](const Pair& kv) { return kv.first % 2; }), 4));
  EXPECT_TRUE(hashPartitionedBy(placed.flatMapValues([](int64_t v) {
    return std::vector<int64_t>{v, v + 1};
  }),
                                4));
  EXPECT_EQ(placed.map([](const Pair& kv) { return kv; }).partitioner(), nullptr);
  EXPECT_EQ(placed.map([](const Pair& kv) { return Pair(kv.first + 1, kv.second); }).partitioner(),
            nullptr);
  EXPECT_EQ(placed.keys().partitioner(), nullptr);
}

TEST_P(Partitioner, ReduceByKeyOntoTheSamePartitionerAddsNoShuffle) {
  const auto input = records(3000, 50, 3);
  auto placed = ctx().parallelize(input, 5).partitionBy(4);
  recorder_->clear();
  auto twice = placed.reduceByKey(std::plus<>{}, 4);
  EXPECT_EQ(toMap(twice.collect()), plainSums(input));
  EMBER_ON_DRIVER(ctx())
  EXPECT_EQ(stagesOfLastJob(), 2) << "partitionBy's shuffle, then the result: no second shuffle\n"
                                  << twice.toDebugString();
  EXPECT_TRUE(hashPartitionedBy(twice, 4));
  // Given no count, the placed RDD's partitioner is used too.
  recorder_->clear();
  auto implicit = placed.reduceByKey(std::plus<>{});
  EXPECT_EQ(implicit.getNumPartitions(), 4);
  EXPECT_EQ(toMap(implicit.collect()), plainSums(input));
  EMBER_ON_DRIVER(ctx()) EXPECT_EQ(stagesOfLastJob(), 2) << implicit.toDebugString();
  // Onto another partitioner, it shuffles again.
  recorder_->clear();
  auto moved = placed.reduceByKey(std::plus<>{}, 3);
  EXPECT_EQ(toMap(moved.collect()), plainSums(input));
  EMBER_ON_DRIVER(ctx()) EXPECT_EQ(stagesOfLastJob(), 3) << moved.toDebugString();
}

TEST_P(Partitioner, ChainedAggregationsOnOnePartitionerShuffleOnce) {
  const auto input = records(4000, 80, 4);
  recorder_->clear();
  auto chained = ctx()
                     .parallelize(input, 4)
                     .reduceByKey(std::plus<>{}, 3)
                     .mapValues([](int64_t v) { return v + 1; })
                     .filter([](const Pair& kv) { return kv.first % 3 != 0; })
                     .groupByKey(3);
  std::map<int, std::vector<int64_t>> expected;
  for (const auto& [k, s] : plainSums(input)) {
    if (k % 3 != 0) expected[k] = {s + 1};
  }
  size_t twice = 0;
  EXPECT_EQ(ember::testing::asGroups(chained.collect(), &twice), expected);
  EXPECT_EQ(twice, 0u);
  EMBER_ON_DRIVER(ctx()) EXPECT_EQ(stagesOfLastJob(), 2) << chained.toDebugString();
}

TEST_P(Partitioner, PartitionByOntoAnEqualPartitionerReturnsTheSameRdd) {
  auto placed = ctx().parallelize(records(100, 10, 5), 3).partitionBy(4);
  EXPECT_EQ(placed.partitionBy(4).id(), placed.id());
  EXPECT_EQ(placed.partitionBy(ember::HashPartitioner(4)).id(), placed.id());
  EXPECT_NE(placed.partitionBy(5).id(), placed.id());
  auto kept = placed.mapValues([](int64_t v) { return v; });
  EXPECT_EQ(kept.partitionBy(4).id(), kept.id());
}

TEST_P(Partitioner, LookupOnAPlacedRddReadsOnlyTheKeysPartition) {
  const auto input = records(2000, 40, 6);
  auto placed = ctx().parallelize(input, 4).partitionBy(5);
  placed.count();  // runs the shuffle once
  for (int key : {0, 7, 39, 1000}) {
    std::vector<int64_t> expected;
    for (const auto& [k, v] : input) {
      if (k == key) expected.push_back(v);
    }
    recorder_->clear();
    EXPECT_EQ(sorted(placed.lookup(key)), sorted(expected)) << "key " << key;
    // The map stage is skipped; the result stage has one task.
    EMBER_ON_DRIVER(ctx()) EXPECT_EQ(recorder_->stagesRun(), 1);
    EMBER_ON_DRIVER(ctx()) EXPECT_EQ(recorder_->tasks(), 1);
  }
  // Without a partitioner every partition is read.
  auto unplaced = ctx().parallelize(input, 4);
  std::vector<int64_t> expected;
  for (const auto& [k, v] : input) {
    if (k == 7) expected.push_back(v);
  }
  EXPECT_EQ(sorted(unplaced.lookup(7)), sorted(expected));
}

}  // namespace
