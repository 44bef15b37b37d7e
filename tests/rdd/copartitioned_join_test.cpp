// Joins of RDDs already placed by a partitioner: the placed sides are read
// where they are (no shuffle of their own), and the results match plain loops.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include <ember/ember.hpp>

#include "support/metrics.hpp"
#include "support/shapes.hpp"

namespace ember::testing {
namespace {

using KV = std::pair<int64_t, int64_t>;
using Joined = std::pair<int64_t, std::pair<int64_t, int64_t>>;

std::vector<KV> keyed(int64_t n, int64_t keys, int64_t salt) {
  std::vector<KV> out;
  for (int64_t i = 0; i < n; ++i) out.emplace_back((i * 7 + salt) % keys, i * 10 + salt);
  return out;
}

std::vector<Joined> plainJoin(const std::vector<KV>& a, const std::vector<KV>& b) {
  std::vector<Joined> out;
  for (const auto& [k, v] : a)
    for (const auto& [k2, w] : b)
      if (k == k2) out.push_back({k, {v, w}});
  std::sort(out.begin(), out.end());
  return out;
}

template <class R>
std::vector<Joined> sorted(const R& rdd) {
  auto all = rdd.collect();
  std::sort(all.begin(), all.end());
  return all;
}

class CoPartitionedJoin : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(CoPartitionedJoin);

TEST_P(CoPartitionedJoin, ReadsBothPlacedSidesWithoutAnotherShuffle) {
  const auto a = keyed(300, 40, 1);
  const auto b = keyed(200, 50, 2);
  auto recorder = std::make_shared<MetricsRecorder>();
  ctx().addListener(recorder);
  HashPartitioner byHash(5);
  auto left = ctx().parallelize(a, 3).partitionBy(byHash);
  auto right = ctx().parallelize(b, 4).partitionBy(byHash);
  auto joined = left.join(right);
  ASSERT_TRUE(joined.partitioner());
  EXPECT_TRUE(joined.partitioner()->equals(byHash));
  EXPECT_EQ(joined.getNumPartitions(), 5);
  EXPECT_EQ(sorted(joined), plainJoin(a, b));
  // The two partitionBy shuffles, then the join in place: 3 stages; the
  // shuffle wrote each record once.
  EMBER_ON_DRIVER(ctx()) EXPECT_EQ(recorder->stagesRun(), 3);
  EMBER_ON_DRIVER(ctx()) EXPECT_EQ(recorder->total().shuffleWriteRecords, 500);
  recorder->clear();
  EXPECT_EQ(sorted(left.join(right, 5)), plainJoin(a, b));
  EMBER_ON_DRIVER(ctx()) EXPECT_EQ(recorder->stagesRun(), 1);
  EMBER_ON_DRIVER(ctx()) EXPECT_EQ(recorder->total().shuffleWriteRecords, 0);
}

TEST_P(CoPartitionedJoin, ShufflesOnlyTheSideThatIsNotPlaced) {
  const auto a = keyed(300, 40, 1);
  const auto b = keyed(200, 50, 2);
  auto recorder = std::make_shared<MetricsRecorder>();
  ctx().addListener(recorder);
  auto left = ctx().parallelize(a, 3).partitionBy(HashPartitioner(4));
  auto right = ctx().parallelize(b, 2);
  left.count();
  recorder->clear();
  auto joined = right.join(left);  // the placed side's partitioner is reused
  EXPECT_EQ(joined.getNumPartitions(), 4);
  auto expected = plainJoin(b, a);
  EXPECT_EQ(sorted(joined), expected);
  EMBER_ON_DRIVER(ctx()) EXPECT_EQ(recorder->total().shuffleWriteRecords, 200);
}

TEST_P(CoPartitionedJoin, ReshufflesWhenTheCountDiffersFromThePlacedSides) {
  const auto a = keyed(100, 30, 1);
  const auto b = keyed(100, 30, 2);
  auto left = ctx().parallelize(a, 3).partitionBy(HashPartitioner(4));
  auto right = ctx().parallelize(b, 3).partitionBy(HashPartitioner(4));
  auto joined = left.join(right, 3);
  EXPECT_EQ(joined.getNumPartitions(), 3);
  EXPECT_EQ(sorted(joined), plainJoin(a, b));
}

TEST_P(CoPartitionedJoin, CogroupsThreeSidesPlacedByOneRangePartitioner) {
  RangePartitioner<int64_t> ranges(std::vector<int64_t>{10, 20});
  auto a = ctx().parallelize(keyed(60, 30, 1), 2).partitionBy(ranges);
  auto b = ctx().parallelize(keyed(60, 30, 2), 3).partitionBy(ranges);
  auto c = ctx().parallelize(keyed(60, 30, 3), 2).partitionBy(ranges);
  auto grouped = a.cogroup(b, c);
  ASSERT_TRUE(grouped.partitioner());
  EXPECT_TRUE(grouped.partitioner()->equals(ranges));
  int64_t values = 0;
  int64_t keys = 0;
  for (const auto& [key, groups] : grouped.collect()) {
    ++keys;
    values += static_cast<int64_t>(std::get<0>(groups).size() + std::get<1>(groups).size() +
                                   std::get<2>(groups).size());
  }
  EXPECT_EQ(keys, 30);
  EXPECT_EQ(values, 180);
}

}  // namespace
}  // namespace ember::testing
