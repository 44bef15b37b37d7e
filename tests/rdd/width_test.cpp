// Wide jobs: thousands of partitions and shuffles whose map x reduce buckets
// are almost all empty, which must cost about the number of partitions, not
// its square. Answers are checked against plain loops over the same data.

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "support/shapes.hpp"

namespace {

using ember::testing::ShapedTest;

/// Local shapes and local-cluster[3,1], one of each: these jobs run tens of
/// thousands of tasks, which is the point, and need not run on every shape.
class Width : public ShapedTest {};
INSTANTIATE_TEST_SUITE_P(Shapes, Width, ::testing::Values("local[2]", "local-cluster[3,1]"),
                         ::ember::testing::shapeName);

int64_t next(int64_t x) { return (x * 3 + 1) % 100'003; }

// Spark's own examples do this: a union keeps the sum of its parents'
// partitions and distinct() keeps its parent's, so each round doubles the
// partition count, to 8 x 2^10 = 8,192 after ten rounds.
TEST_P(Width, PartitionsThatDoubleEveryRoundReachEightThousand) {
  std::vector<int64_t> start;
  for (int64_t x = 0; x < 500; ++x) start.push_back(x * 7);
  auto rdd = ctx().parallelize(start, 8);
  std::set<int64_t> expected(start.begin(), start.end());
  for (int round = 0; round < 10; ++round) {
    rdd = rdd.union_(rdd.map(next)).distinct();
    std::set<int64_t> more;
    for (int64_t x : expected) more.insert(next(x));
    expected.insert(more.begin(), more.end());
  }
  ASSERT_EQ(rdd.getNumPartitions(), 8192);
  auto values = rdd.collect();
  std::sort(values.begin(), values.end());
  EXPECT_EQ(values, std::vector<int64_t>(expected.begin(), expected.end()));
}

TEST_P(Width, AReduceByKeyOverFiveThousandByFiveThousandPartitions) {
  constexpr int kPartitions = 5000;
  constexpr int64_t kRecords = 200'000, kKeys = 30'000;
  auto sums = ctx()
                  .range(0, kRecords, 1, kPartitions)
                  .map([](int64_t x) { return std::pair{x % kKeys, x}; })
                  .reduceByKey(std::plus<>{}, kPartitions);
  std::vector<int64_t> expected(kKeys, 0);
  for (int64_t x = 0; x < kRecords; ++x) expected[static_cast<size_t>(x % kKeys)] += x;
  std::vector<int64_t> got(kKeys, -1);
  for (const auto& [key, sum] : sums.collect()) got[static_cast<size_t>(key)] = sum;
  EXPECT_EQ(got, expected);
}

TEST_P(Width, AJoinAndAUnionOfCachedRddsOfTenThousandPartitions) {
  constexpr int kPartitions = 10'000;
  constexpr int64_t kRecords = 50'000;
  auto left = ctx().range(0, kRecords, 1, kPartitions).map([](int64_t x) {
    return std::pair{x, x * 2};
  });
  left.cache();
  auto right = ctx().range(0, kRecords, 3, kPartitions).map([](int64_t x) {
    return std::pair{x, std::to_string(x)};
  });
  EXPECT_EQ(left.union_(left).count(), 2 * kRecords);
  auto joined = left.join(right, kPartitions).collect();
  ASSERT_EQ(joined.size(), static_cast<size_t>((kRecords + 2) / 3));
  for (const auto& [key, values] : joined) {
    ASSERT_EQ(key % 3, 0);
    ASSERT_EQ(values.first, key * 2);
    ASSERT_EQ(values.second, std::to_string(key));
  }
}

}  // namespace
