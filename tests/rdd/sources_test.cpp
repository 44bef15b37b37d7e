// The sources of RDDs made from the program's own data: parallelize, range
// and emptyRDD. Every answer is checked against a plain loop over the input.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "support/reference.hpp"
#include "support/shapes.hpp"

namespace {

using ember::testing::expectedSlices;
using ember::testing::iota;
using ember::testing::kSliceCounts;
using ember::testing::ShapedTest;

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();

/// start, start + step, ... before end, by a plain loop that stops when the
/// next step would leave int64_t.
std::vector<int64_t> plainRange(int64_t start, int64_t end, int64_t step) {
  std::vector<int64_t> out;
  for (int64_t x = start; step > 0 ? x < end : x > end;) {
    out.push_back(x);
    if (__builtin_add_overflow(x, step, &x)) break;
  }
  return out;
}

/// The N of a "local[N]" master.
int coresOf(const std::string& master) { return std::stoi(master.substr(master.find('[') + 1)); }

class Parallelize : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(Parallelize);

TEST_P(Parallelize, CollectsInInputOrder) {
  const std::vector<int> data = {5, -3, 8, 8, 0, 42, 17, -3, 9, 1, 2, 77, 6};
  for (int slices : kSliceCounts) {
    SCOPED_TRACE("numSlices " + std::to_string(slices));
    auto rdd = ctx().parallelize(data, slices);
    EXPECT_EQ(rdd.getNumPartitions(), slices);
    EXPECT_EQ(rdd.collect(), data);
    EXPECT_EQ(rdd.count(), static_cast<int64_t>(data.size()));
  }
}

TEST_P(Parallelize, CutsIntoContiguousSlicesOfBalancedSize) {
  const std::vector<int> data = iota(23);
  for (int slices : kSliceCounts) {
    SCOPED_TRACE("numSlices " + std::to_string(slices));
    auto parts = ctx().parallelize(data, slices).glom().collect();
    EXPECT_EQ(parts, expectedSlices(data, slices));
    size_t smallest = data.size(), largest = 0;
    for (const auto& part : parts) {
      smallest = std::min(smallest, part.size());
      largest = std::max(largest, part.size());
    }
    EXPECT_LE(largest - smallest, 1u);
  }
}

TEST_P(Parallelize, MoreSlicesThanElementsLeavesEmptyPartitions) {
  const std::vector<std::string> data = {"a", "bb", "ccc"};
  auto parts = ctx().parallelize(data, 8).glom().collect();
  ASSERT_EQ(parts.size(), 8u);
  int empty = 0;
  std::vector<std::string> joined;
  for (const auto& part : parts) {
    empty += part.empty();
    joined.insert(joined.end(), part.begin(), part.end());
  }
  EXPECT_EQ(empty, 5);
  EXPECT_EQ(joined, data);
  EXPECT_EQ(parts, expectedSlices(data, 8));
}

TEST_P(Parallelize, EmptyInputHasEmptyPartitions) {
  for (int slices : kSliceCounts) {
    SCOPED_TRACE("numSlices " + std::to_string(slices));
    auto rdd = ctx().parallelize(std::vector<int>{}, slices);
    EXPECT_EQ(rdd.getNumPartitions(), slices);
    EXPECT_EQ(rdd.count(), 0);
    EXPECT_TRUE(rdd.collect().empty());
    EXPECT_TRUE(rdd.isEmpty());
    EXPECT_EQ(rdd.glom().collect(), std::vector<std::vector<int>>(static_cast<size_t>(slices)));
  }
}

TEST_P(Parallelize, DefaultsToOneSlicePerCore) {
  const std::vector<int> data = iota(100);
  auto rdd = ctx().parallelize(data);
  EXPECT_EQ(rdd.getNumPartitions(), coresOf(GetParam()));
  EXPECT_EQ(rdd.collect(), data);
}

TEST_P(Parallelize, KeepsElementsOfAnyCopyableType) {
  std::vector<std::pair<std::string, std::vector<double>>> data;
  for (int i = 0; i < 9; ++i)
    data.emplace_back(std::string(static_cast<size_t>(i), 'x'),
                      std::vector<double>(static_cast<size_t>(i), i * 0.5));
  EXPECT_EQ(ctx().parallelize(data, 4).collect(), data);
}

TEST_P(Parallelize, ComputesTheSameDataOnEveryAction) {
  const std::vector<int> original = iota(50, -20);
  std::vector<int> data = original;
  auto rdd = ctx().parallelize(data, 6);
  data.assign(5, 0);  // the RDD holds its own copy of the input
  for (int round = 0; round < 3; ++round) EXPECT_EQ(rdd.collect(), original);
}

TEST_P(Parallelize, SpansBatchBoundaries) {
  // 10000 elements in 3 slices: each slice is several batches of 4096.
  const std::vector<int> data = iota(10000);
  auto parts = ctx().parallelize(data, 3).glom().collect();
  EXPECT_EQ(parts, expectedSlices(data, 3));
}

class Range : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(Range);

TEST_P(Range, CountsUpByStep) {
  const std::vector<std::tuple<int64_t, int64_t, int64_t>> cases = {
      {0, 100, 1}, {5, 50, 7}, {-10, 10, 3}, {0, 1, 1}, {3, 4, 100}, {-7, -1, 2}};
  for (const auto& [start, end, step] : cases) {
    for (int slices : kSliceCounts) {
      SCOPED_TRACE("range(" + std::to_string(start) + ", " + std::to_string(end) + ", " +
                   std::to_string(step) + ") in " + std::to_string(slices));
      auto rdd = ctx().range(start, end, step, slices);
      EXPECT_EQ(rdd.getNumPartitions(), slices);
      EXPECT_EQ(rdd.collect(), plainRange(start, end, step));
    }
  }
}

TEST_P(Range, CountsDownWithNegativeStep) {
  for (int slices : kSliceCounts) {
    SCOPED_TRACE("numSlices " + std::to_string(slices));
    EXPECT_EQ(ctx().range(10, -10, -3, slices).collect(), plainRange(10, -10, -3));
    EXPECT_EQ(ctx().range(0, -5, -1, slices).collect(), plainRange(0, -5, -1));
  }
}

TEST_P(Range, IsEmptyWhenStartIsNotBeforeEnd) {
  EXPECT_EQ(ctx().range(5, 5, 1, 3).count(), 0);
  EXPECT_EQ(ctx().range(10, 0, 1, 3).count(), 0);
  EXPECT_EQ(ctx().range(0, 10, -1, 3).count(), 0);
  EXPECT_EQ(ctx().range(-3, -3, -2, 3).collect(), std::vector<int64_t>{});
}

TEST_P(Range, SlicesLikeParallelize) {
  const auto expected = plainRange(3, 1000, 7);
  for (int slices : kSliceCounts) {
    SCOPED_TRACE("numSlices " + std::to_string(slices));
    EXPECT_EQ(ctx().range(3, 1000, 7, slices).glom().collect(), expectedSlices(expected, slices));
  }
}

TEST_P(Range, StaysExactNearTheLimitsOfInt64) {
  EXPECT_EQ(ctx().range(kMax - 10, kMax, 3, 2).collect(), plainRange(kMax - 10, kMax, 3));
  EXPECT_EQ(ctx().range(kMin, kMin + 5, 2, 2).collect(), plainRange(kMin, kMin + 5, 2));
  EXPECT_EQ(ctx().range(kMin + 5, kMin, -2, 2).collect(), plainRange(kMin + 5, kMin, -2));
  EXPECT_EQ(ctx().range(0, kMax, kMax / 2, 2).collect(), plainRange(0, kMax, kMax / 2));
  // The last element is start + 2 * step, where 2 * step alone overflows.
  EXPECT_EQ(ctx().range(kMin, kMax, kMax, 3).collect(), (std::vector<int64_t>{kMin, -1, kMax - 1}));
}

TEST_P(Range, DefaultsToOneSlicePerCore) {
  auto rdd = ctx().range(0, 1000);
  EXPECT_EQ(rdd.getNumPartitions(), coresOf(GetParam()));
  EXPECT_EQ(rdd.collect(), plainRange(0, 1000, 1));
}

TEST_P(Range, RejectsZeroStep) { EXPECT_THROW(ctx().range(0, 10, 0), ember::Error); }

TEST_P(Range, SumsALargeRangeExactly) {
  int64_t expected = 0;
  for (int64_t x = -1000; x < 1000000; x += 3) expected += x;
  EXPECT_EQ(ctx().range(-1000, 1000000, 3, 11).sum(), expected);
}

class EmptyRdd : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(EmptyRdd);

TEST_P(EmptyRdd, HasNoPartitionsAndNoElements) {
  auto rdd = ctx().emptyRDD<int>();
  EXPECT_EQ(rdd.getNumPartitions(), 0);
  EXPECT_EQ(rdd.count(), 0);
  EXPECT_TRUE(rdd.collect().empty());
  EXPECT_TRUE(rdd.isEmpty());
  EXPECT_TRUE(rdd.take(3).empty());
  EXPECT_TRUE(rdd.glom().collect().empty());
  EXPECT_EQ(rdd.sum(), 0);
}

TEST_P(EmptyRdd, ActionsNeedingAnElementThrow) {
  auto rdd = ctx().emptyRDD<std::string>();
  EXPECT_THROW(rdd.first(), ember::Error);
  EXPECT_THROW(rdd.reduce([](const std::string& a, const std::string& b) { return a + b; }),
               ember::Error);
  EXPECT_THROW(rdd.min(), ember::Error);
  EXPECT_THROW(rdd.max(), ember::Error);
}

TEST_P(EmptyRdd, StaysEmptyThroughTransformationsAndShuffles) {
  auto rdd = ctx().emptyRDD<int>();
  EXPECT_EQ(rdd.map([](int x) { return x + 1; }).filter([](int) { return true; }).count(), 0);
  auto pairs = rdd.map([](int x) { return std::pair<int, int>(x, 1); });
  EXPECT_TRUE(pairs.reduceByKey([](int a, int b) { return a + b; }, 3).collect().empty());
  EXPECT_TRUE(pairs.groupByKey().collect().empty());
  EXPECT_EQ(rdd.fold(7, [](int a, int b) { return a + b; }), 7);
}

TEST_P(EmptyRdd, UnionAddsNothing) {
  const std::vector<int> data = iota(10);
  auto both =
      ctx().emptyRDD<int>().union_(ctx().parallelize(data, 3)).union_(ctx().emptyRDD<int>());
  EXPECT_EQ(both.getNumPartitions(), 3);
  EXPECT_EQ(both.collect(), data);
}

}  // namespace
