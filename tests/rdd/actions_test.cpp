// Actions of Rdd<T>: every result is checked against a plain loop over the
// same input.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "support/reference.hpp"
#include "support/shapes.hpp"

namespace {

using ember::testing::iota;
using ember::testing::kSliceCounts;
using ember::testing::randomInts;
using ember::testing::ShapedTest;
using ember::testing::trace;

/// n pseudo-random doubles in [lo, hi).
std::vector<double> randomDoubles(int n, double lo, double hi, unsigned seed = 1) {
  std::mt19937 gen(seed);
  std::vector<double> v;
  for (int i = 0; i < n; ++i)
    v.push_back(lo + (hi - lo) * static_cast<double>(gen()) / 4294967296.0);
  return v;
}

template <class T>
std::vector<T> sorted(std::vector<T> v) {
  std::sort(v.begin(), v.end());
  return v;
}

template <class T>
std::vector<T> prefix(const std::vector<T>& v, int64_t n) {
  return std::vector<T>(v.begin(),
                        v.begin() + std::clamp<int64_t>(n, 0, static_cast<int64_t>(v.size())));
}

template <class T>
std::map<T, int64_t> plainCounts(const std::vector<T>& v) {
  std::map<T, int64_t> counts;
  for (const T& x : v) ++counts[x];
  return counts;
}

/// Runs `check` for RDDs of no element: empty slices, all filtered out, no
/// partitions at all.
template <class Check>
void forEachEmptyRdd(ember::Context& ctx, Check check) {
  {
    SCOPED_TRACE("parallelize of nothing");
    check(ctx.parallelize(std::vector<int>{}, 3));
  }
  {
    SCOPED_TRACE("filtered to nothing");
    check(ctx.parallelize(iota(20), 4).filter([](int x) { return x < 0; }));
  }
  {
    SCOPED_TRACE("emptyRDD");
    check(ctx.emptyRDD<int>());
  }
}

// ---------------------------------------------------------------- collect, count, first

class Collect : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(Collect);

TEST_P(Collect, ReturnsElementsInPartitionOrder) {
  std::vector<std::pair<std::string, int>> data;
  for (int i = 0; i < 33; ++i) data.emplace_back("k" + std::to_string(i % 5), i * i);
  for (int slices : kSliceCounts) {
    SCOPED_TRACE(trace(slices));
    EXPECT_EQ(ctx().parallelize(data, slices).collect(), data);
  }
}

TEST_P(Collect, GathersManyBatchesPerPartition) {
  const auto data = randomInts(30000, 1000000);
  EXPECT_EQ(ctx().parallelize(data, 3).collect(), data);
}

class Count : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(Count);

TEST_P(Count, CountsEveryElement) {
  const auto data = randomInts(1000, 10);
  int64_t small = 0;
  for (int x : data) small += x < 3;
  for (int slices : kSliceCounts) {
    SCOPED_TRACE(trace(slices));
    auto rdd = ctx().parallelize(data, slices);
    EXPECT_EQ(rdd.count(), static_cast<int64_t>(data.size()));
    EXPECT_EQ(rdd.filter([](int x) { return x < 3; }).count(), small);
  }
  forEachEmptyRdd(ctx(), [](const ember::Rdd<int>& rdd) { EXPECT_EQ(rdd.count(), 0); });
}

class First : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(First);

TEST_P(First, ReturnsTheFirstElementInPartitionOrder) {
  const std::vector<std::string> data = {"delta", "alpha", "charlie"};
  for (int slices : kSliceCounts) {
    SCOPED_TRACE(trace(slices));
    EXPECT_EQ(ctx().parallelize(data, slices).first(), data.front());
  }
}

TEST_P(First, SkipsEmptyLeadingPartitions) {
  const auto data = iota(40);
  auto late = [](int x) { return x >= 35; };
  int expected = -1;
  for (int x : data) {
    if (late(x)) {
      expected = x;
      break;
    }
  }
  EXPECT_EQ(ctx().parallelize(data, 8).filter(late).first(), expected);
}

TEST_P(First, ThrowsOnAnEmptyRdd) {
  forEachEmptyRdd(ctx(),
                  [](const ember::Rdd<int>& rdd) { EXPECT_THROW(rdd.first(), ember::Error); });
}

// ---------------------------------------------------------------- take

class Take : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(Take);

TEST_P(Take, ReturnsTheFirstNElements) {
  const auto data = randomInts(50, 1000);
  const int64_t size = static_cast<int64_t>(data.size());
  for (int slices : kSliceCounts) {
    for (int64_t n : {int64_t{0}, int64_t{1}, int64_t{5}, size - 1, size, size + 10}) {
      SCOPED_TRACE(trace(slices) + ", take " + std::to_string(n));
      EXPECT_EQ(ctx().parallelize(data, slices).take(n), prefix(data, n));
    }
  }
}

TEST_P(Take, ScansPastManyEmptyLeadingPartitions) {
  const auto data = iota(400);
  auto late = [](int x) { return x >= 300; };  // partitions 0..29 of 40 end up empty
  std::vector<int> kept;
  for (int x : data) {
    if (late(x)) kept.push_back(x);
  }
  auto rdd = ctx().parallelize(data, 40).filter(late);
  for (int64_t n : {1, 5, 10, 11, 50, 100, 150}) {
    SCOPED_TRACE("take " + std::to_string(n));
    EXPECT_EQ(rdd.take(n), prefix(kept, n));
  }
}

TEST_P(Take, ComputesOnlyThePartitionsItNeeds) {
  auto computed = ctx().longAccumulator("partitions computed");
  auto rdd = ctx().parallelize(iota(80), 8).mapPartitions([computed](std::vector<int>&& part) {
    computed.add(1);
    return std::move(part);
  });
  EXPECT_EQ(rdd.take(3), iota(3));
  if (ctx().isDriver()) {
    EXPECT_EQ(computed.value(), 1);  // the first partition holds 10 elements
  }
}

TEST_P(Take, OfAnEmptyRddIsEmpty) {
  forEachEmptyRdd(ctx(), [](const ember::Rdd<int>& rdd) { EXPECT_TRUE(rdd.take(5).empty()); });
}

// ---------------------------------------------------------------- takeSample

class TakeSample : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(TakeSample);

/// Distinct inputs, so that a repeated value in a sample is a repeated index.
std::vector<int> distinctInputs() {
  std::vector<int> v;
  for (int i = 0; i < 1000; ++i) v.push_back(i * 7 + 3);
  return v;
}

TEST_P(TakeSample, WithoutReplacementDrawsDistinctInputElements) {
  const auto data = distinctInputs();
  const std::set<int> input(data.begin(), data.end());
  auto rdd = ctx().parallelize(data, 7);
  for (int64_t num : {1, 10, 500, 999}) {
    SCOPED_TRACE("num " + std::to_string(num));
    auto picked = rdd.takeSample(false, num, 11);
    ASSERT_EQ(static_cast<int64_t>(picked.size()), num);
    const std::set<int> distinct(picked.begin(), picked.end());
    EXPECT_EQ(distinct.size(), picked.size()) << "an element was drawn twice";
    EXPECT_TRUE(std::includes(input.begin(), input.end(), distinct.begin(), distinct.end()));
  }
}

TEST_P(TakeSample, WithReplacementDrawsNumInputElements) {
  const auto data = distinctInputs();
  const std::set<int> input(data.begin(), data.end());
  auto rdd = ctx().parallelize(data, 7);
  for (int64_t num : {1, 10, 500, 2500}) {
    SCOPED_TRACE("num " + std::to_string(num));
    auto picked = rdd.takeSample(true, num, 11);
    ASSERT_EQ(static_cast<int64_t>(picked.size()), num);
    for (int x : picked) ASSERT_TRUE(input.count(x)) << x << " is not in the input";
  }
}

TEST_P(TakeSample, SameSeedGivesSameSample) {
  auto rdd = ctx().parallelize(distinctInputs(), 5);
  for (bool withReplacement : {false, true}) {
    SCOPED_TRACE(withReplacement ? "with replacement" : "without replacement");
    auto a = rdd.takeSample(withReplacement, 40, 99);
    EXPECT_EQ(rdd.takeSample(withReplacement, 40, 99), a);
    EXPECT_NE(rdd.takeSample(withReplacement, 40, 100), a);
  }
}

TEST_P(TakeSample, MoreThanTheCountWithoutReplacementGivesEverything) {
  const auto data = distinctInputs();
  for (int slices : kSliceCounts) {
    SCOPED_TRACE(trace(slices));
    auto rdd = ctx().parallelize(data, slices);
    EXPECT_EQ(sorted(rdd.takeSample(false, 5000, 3)), sorted(data));
    EXPECT_EQ(sorted(rdd.takeSample(false, static_cast<int64_t>(data.size()), 3)), sorted(data));
  }
}

TEST_P(TakeSample, ZeroOrFromNothingGivesNothing) {
  EXPECT_TRUE(ctx().parallelize(iota(10), 2).takeSample(false, 0, 1).empty());
  EXPECT_TRUE(ctx().parallelize(iota(10), 2).takeSample(true, 0, 1).empty());
  forEachEmptyRdd(ctx(), [](const ember::Rdd<int>& rdd) {
    EXPECT_TRUE(rdd.takeSample(false, 3, 1).empty());
    EXPECT_TRUE(rdd.takeSample(true, 3, 1).empty());
  });
  EXPECT_THROW(ctx().parallelize(iota(10), 2).takeSample(false, -1), ember::Error);
}

// ---------------------------------------------------------------- top, takeOrdered

class TakeOrdered : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(TakeOrdered);

const std::vector<int64_t> kOrderedCounts = {0, 1, 7, 100, 499, 500, 600};

TEST_P(TakeOrdered, ReturnsTheNSmallestInAscendingOrderWithTies) {
  const auto data = randomInts(500, 60);  // every value about 8 times
  const auto ascending = sorted(data);
  for (int slices : kSliceCounts) {
    auto rdd = ctx().parallelize(data, slices);
    for (int64_t n : kOrderedCounts) {
      SCOPED_TRACE(trace(slices) + ", n " + std::to_string(n));
      EXPECT_EQ(rdd.takeOrdered(n), prefix(ascending, n));
    }
  }
}

TEST_P(TakeOrdered, FollowsACustomComparator) {
  const auto data = randomInts(500, 60, 2);
  auto descending = sorted(data);
  std::reverse(descending.begin(), descending.end());
  auto rdd = ctx().parallelize(data, 6);
  for (int64_t n : kOrderedCounts) {
    SCOPED_TRACE("n " + std::to_string(n));
    EXPECT_EQ(rdd.takeOrdered(n, std::greater<>()), prefix(descending, n));
  }
}

TEST_P(TakeOrdered, BreaksNoRuleWithAPartialComparator) {
  // Compares the last digit only: which of equal digits comes back is not
  // defined, but the digits must be the smallest, and the elements real.
  const auto data = randomInts(300, 1000, 3);
  auto byDigit = [](int a, int b) { return a % 10 < b % 10; };
  std::vector<int> digits;
  for (int x : data) digits.push_back(x % 10);
  const auto smallestDigits = prefix(sorted(digits), 50);
  const auto input = plainCounts(data);
  auto picked = ctx().parallelize(data, 5).takeOrdered(50, byDigit);
  std::vector<int> pickedDigits;
  for (int x : picked) pickedDigits.push_back(x % 10);
  EXPECT_EQ(pickedDigits, smallestDigits);
  for (const auto& [x, n] : plainCounts(picked)) {
    EXPECT_LE(n, input.count(x) ? input.at(x) : 0) << x << " picked more often than it occurs";
  }
}

TEST_P(TakeOrdered, OfAnEmptyRddIsEmpty) {
  forEachEmptyRdd(ctx(),
                  [](const ember::Rdd<int>& rdd) { EXPECT_TRUE(rdd.takeOrdered(3).empty()); });
}

class Top : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(Top);

TEST_P(Top, ReturnsTheNLargestInDescendingOrderWithTies) {
  const auto data = randomInts(500, 60, 4);
  auto descending = sorted(data);
  std::reverse(descending.begin(), descending.end());
  for (int slices : kSliceCounts) {
    auto rdd = ctx().parallelize(data, slices);
    for (int64_t n : kOrderedCounts) {
      SCOPED_TRACE(trace(slices) + ", n " + std::to_string(n));
      EXPECT_EQ(rdd.top(n), prefix(descending, n));
    }
  }
}

TEST_P(Top, FollowsACustomComparator) {
  // "Less" by length, then reversed alphabetically: the top are the longest.
  std::vector<std::string> data;
  for (int x : randomInts(200, 100000, 5)) data.push_back(std::to_string(x));
  auto less = [](const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() < b.size() : a > b;
  };
  auto expected = data;
  std::sort(expected.begin(), expected.end(),
            [&](const std::string& a, const std::string& b) { return less(b, a); });
  auto rdd = ctx().parallelize(data, 4);
  for (int64_t n : {0, 1, 10, 200, 250}) {
    SCOPED_TRACE("n " + std::to_string(n));
    EXPECT_EQ(rdd.top(n, less), prefix(expected, n));
  }
}

// ---------------------------------------------------------------- reduce, fold, aggregate

class Reduce : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(Reduce);

TEST_P(Reduce, CombinesEveryElement) {
  const auto data = randomInts(40, 1000, 6);
  int64_t sum = 0;
  int largest = std::numeric_limits<int>::min();
  for (int x : data) {
    sum += x;
    largest = std::max(largest, x);
  }
  for (int slices : kSliceCounts) {
    SCOPED_TRACE(trace(slices));
    auto rdd = ctx().parallelize(data, slices);
    EXPECT_EQ(rdd.map([](int x) { return int64_t{x}; }).reduce([](int64_t a, int64_t b) {
      return a + b;
    }),
              sum);
    EXPECT_EQ(rdd.reduce([](int a, int b) { return std::max(a, b); }), largest);
  }
}

TEST_P(Reduce, ThrowsOnAnEmptyRdd) {
  forEachEmptyRdd(ctx(), [](const ember::Rdd<int>& rdd) {
    EXPECT_THROW(rdd.reduce([](int a, int b) { return a + b; }), ember::Error);
  });
}

class Fold : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(Fold);

TEST_P(Fold, StartsFromTheIdentity) {
  const auto data = iota(15, 1);
  int64_t sum = 0, product = 1;
  for (int x : data) {
    sum += x;
    product *= x;
  }
  for (int slices : kSliceCounts) {
    SCOPED_TRACE(trace(slices));
    auto rdd = ctx().parallelize(data, slices).map([](int x) { return int64_t{x}; });
    EXPECT_EQ(rdd.fold(0, std::plus<int64_t>()), sum);
    EXPECT_EQ(rdd.fold(1, std::multiplies<int64_t>()), product);
  }
}

TEST_P(Fold, OfAnEmptyRddIsTheZero) {
  forEachEmptyRdd(ctx(),
                  [](const ember::Rdd<int>& rdd) { EXPECT_EQ(rdd.fold(0, std::plus<int>()), 0); });
}

class Aggregate : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(Aggregate);

using SumCount = std::pair<int64_t, int64_t>;

SumCount addValue(SumCount acc, const int& x) { return {acc.first + x, acc.second + 1}; }
SumCount addPartial(SumCount a, SumCount b) { return {a.first + b.first, a.second + b.second}; }

SumCount plainSumCount(const std::vector<int>& data) {
  SumCount acc{0, 0};
  for (int x : data) {
    acc.first += x;
    acc.second += 1;
  }
  return acc;
}

TEST_P(Aggregate, BuildsAResultOfAnotherType) {
  const auto data = randomInts(300, 500, 7);
  for (int slices : kSliceCounts) {
    SCOPED_TRACE(trace(slices));
    EXPECT_EQ(ctx().parallelize(data, slices).aggregate(SumCount{0, 0}, addValue, addPartial),
              plainSumCount(data));
  }
}

TEST_P(Aggregate, CollectsIntoAContainer) {
  const auto data = randomInts(300, 50, 8);
  const std::set<int> expected(data.begin(), data.end());
  auto distinct = ctx().parallelize(data, 7).aggregate(
      std::set<int>(),
      [](std::set<int> acc, const int& x) {
        acc.insert(x);
        return acc;
      },
      [](std::set<int> a, std::set<int> b) {
        a.insert(b.begin(), b.end());
        return a;
      });
  EXPECT_EQ(distinct, expected);
}

TEST_P(Aggregate, OfAnEmptyRddIsTheZero) {
  forEachEmptyRdd(ctx(), [](const ember::Rdd<int>& rdd) {
    EXPECT_EQ(rdd.aggregate(SumCount{0, 0}, addValue, addPartial), (SumCount{0, 0}));
  });
}

// ---------------------------------------------------------------- treeReduce, treeAggregate

class TreeReduce : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(TreeReduce);

const std::vector<int> kTreeSlices = {1, 2, 5, 37, 100};

TEST_P(TreeReduce, CombinesEveryElementAtEachDepth) {
  for (int size : {10, 1000}) {  // 10: most of the 37 or 100 partitions are empty
    const auto data = randomInts(size, 100000, 9);
    const SumCount expected = plainSumCount(data);
    for (int slices : kTreeSlices) {
      auto rdd = ctx().parallelize(data, slices).map([](int x) { return int64_t{x}; });
      for (int depth : {1, 2, 3}) {
        SCOPED_TRACE(std::to_string(size) + " elements, " + trace(slices) + ", depth " +
                     std::to_string(depth));
        EXPECT_EQ(rdd.treeReduce(std::plus<int64_t>(), depth), expected.first);
      }
    }
  }
}

TEST_P(TreeReduce, RejectsADepthBelowOne) {
  EXPECT_THROW(ctx().parallelize(iota(10), 3).treeReduce(std::plus<int>(), 0), ember::Error);
}

TEST_P(TreeReduce, ThrowsOnAnEmptyRdd) {
  forEachEmptyRdd(ctx(), [](const ember::Rdd<int>& rdd) {
    EXPECT_THROW(rdd.treeReduce(std::plus<int>()), ember::Error);
  });
  EXPECT_THROW(ctx().parallelize(std::vector<int>{}, 37).treeReduce(std::plus<int>(), 3),
               ember::Error);
}

class TreeAggregate : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(TreeAggregate);

TEST_P(TreeAggregate, BuildsAResultOfAnotherTypeAtEachDepth) {
  for (int size : {10, 1000}) {
    const auto data = randomInts(size, 100000, 10);
    const SumCount expected = plainSumCount(data);
    for (int slices : kTreeSlices) {
      auto rdd = ctx().parallelize(data, slices);
      for (int depth : {1, 2, 3}) {
        SCOPED_TRACE(std::to_string(size) + " elements, " + trace(slices) + ", depth " +
                     std::to_string(depth));
        EXPECT_EQ(rdd.treeAggregate(SumCount{0, 0}, addValue, addPartial, depth), expected);
      }
    }
  }
}

TEST_P(TreeAggregate, OfAnEmptyRddIsTheZero) {
  forEachEmptyRdd(ctx(), [](const ember::Rdd<int>& rdd) {
    EXPECT_EQ(rdd.treeAggregate(SumCount{0, 0}, addValue, addPartial), (SumCount{0, 0}));
  });
  EXPECT_EQ(ctx()
                .parallelize(std::vector<int>{}, 37)
                .treeAggregate(SumCount{0, 0}, addValue, addPartial, 3),
            (SumCount{0, 0}));
}

// ---------------------------------------------------------------- foreach, foreachPartition

class Foreach : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(Foreach);

// foreach runs on the executors, as in Spark: what it sees comes back to
// the driver through accumulators, in every process shape.
TEST_P(Foreach, VisitsEveryElementOnce) {
  const auto data = randomInts(5000, 1000, 11);
  const SumCount expected = plainSumCount(data);
  for (int slices : kSliceCounts) {
    SCOPED_TRACE(trace(slices));
    auto sum = ctx().longAccumulator("sum");
    ctx().parallelize(data, slices).foreach ([sum](const int& x) { sum.add(x); });
    if (ctx().isDriver()) {
      EXPECT_EQ(sum.value(), expected.first);
      EXPECT_EQ(sum.count(), expected.second);
    }
  }
}

class ForeachPartition : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(ForeachPartition);

TEST_P(ForeachPartition, VisitsEveryPartitionOnceEvenWhenEmpty) {
  const auto data = iota(30);
  int64_t plainSum = 0;
  for (int x : data) plainSum += x;
  for (int slices : kSliceCounts) {
    SCOPED_TRACE(trace(slices));
    auto sizes = ctx().longAccumulator("sizes");
    auto elements = ctx().longAccumulator("elements");
    ctx().parallelize(data, slices).foreachPartition([sizes, elements](std::vector<int>&& part) {
      sizes.add(static_cast<int64_t>(part.size()));
      for (int x : part) elements.add(x);
    });
    if (ctx().isDriver()) {
      EXPECT_EQ(sizes.count(), slices);
      EXPECT_EQ(sizes.value(), static_cast<int64_t>(data.size()));
      EXPECT_EQ(elements.value(), plainSum);
      EXPECT_EQ(elements.count(), static_cast<int64_t>(data.size()));
    }
  }
}

// ---------------------------------------------------------------- countByValue, isEmpty

class CountByValue : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(CountByValue);

TEST_P(CountByValue, CountsEachDistinctElement) {
  std::vector<std::string> data;
  for (int x : randomInts(400, 30, 12)) data.push_back("w" + std::to_string(x * x % 17));
  for (int slices : kSliceCounts) {
    SCOPED_TRACE(trace(slices));
    EXPECT_EQ(ctx().parallelize(data, slices).countByValue(), plainCounts(data));
  }
  EXPECT_TRUE(ctx().parallelize(std::vector<std::string>{}, 3).countByValue().empty());
}

class IsEmpty : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(IsEmpty);

TEST_P(IsEmpty, IsTrueOnlyWithoutElements) {
  forEachEmptyRdd(ctx(), [](const ember::Rdd<int>& rdd) { EXPECT_TRUE(rdd.isEmpty()); });
  EXPECT_FALSE(ctx().parallelize(iota(1), 1).isEmpty());
  EXPECT_FALSE(ctx().parallelize(iota(3), 40).isEmpty());
  // Only the last of 20 partitions holds an element.
  EXPECT_FALSE(ctx().parallelize(iota(100), 20).filter([](int x) { return x == 99; }).isEmpty());
}

// ---------------------------------------------------------------- min, max

class MinMax : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(MinMax);

TEST_P(MinMax, FindTheExtremes) {
  const auto data = randomInts(77, 100000, 13);
  const int smallest = *std::min_element(data.begin(), data.end());
  const int largest = *std::max_element(data.begin(), data.end());
  for (int slices : kSliceCounts) {
    SCOPED_TRACE(trace(slices));
    auto rdd = ctx().parallelize(data, slices);
    EXPECT_EQ(rdd.min(), smallest);
    EXPECT_EQ(rdd.max(), largest);
  }
}

TEST_P(MinMax, FollowACustomComparator) {
  std::vector<std::pair<std::string, int>> data;
  for (int i = 0; i < 50; ++i)
    data.emplace_back("id" + std::to_string(i), (i * 37) % 101 - 50);  // distinct
  auto bySecond = [](const std::pair<std::string, int>& a, const std::pair<std::string, int>& b) {
    return a.second < b.second;
  };
  auto smallest = data.front(), largest = data.front();
  for (const auto& kv : data) {
    if (kv.second < smallest.second) smallest = kv;
    if (kv.second > largest.second) largest = kv;
  }
  auto rdd = ctx().parallelize(data, 6);
  EXPECT_EQ(rdd.min(bySecond), smallest);
  EXPECT_EQ(rdd.max(bySecond), largest);
}

TEST_P(MinMax, ThrowOnAnEmptyRdd) {
  forEachEmptyRdd(ctx(), [](const ember::Rdd<int>& rdd) {
    EXPECT_THROW(rdd.min(), ember::Error);
    EXPECT_THROW(rdd.max(), ember::Error);
  });
}

// ---------------------------------------------------------------- sum, mean, stats

class Sum : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(Sum);

TEST_P(Sum, AddsEveryElement) {
  const auto ints = randomInts(1000, 1000000, 14);
  const auto doubles = randomDoubles(1000, -5.0, 5.0, 14);
  int64_t intSum = 0;
  for (int x : ints) intSum += x;
  double doubleSum = 0;
  for (double x : doubles) doubleSum += x;
  for (int slices : kSliceCounts) {
    SCOPED_TRACE(trace(slices));
    EXPECT_EQ(ctx().parallelize(ints, slices).map([](int x) { return int64_t{x}; }).sum(), intSum);
    EXPECT_NEAR(ctx().parallelize(doubles, slices).sum(), doubleSum, 1e-9);
  }
  forEachEmptyRdd(ctx(), [](const ember::Rdd<int>& rdd) { EXPECT_EQ(rdd.sum(), 0); });
}

class Mean : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(Mean);

TEST_P(Mean, IsTheSumOverTheCount) {
  const auto data = randomInts(999, 1000, 15);
  double sum = 0;
  for (int x : data) sum += x;
  for (int slices : kSliceCounts) {
    SCOPED_TRACE(trace(slices));
    EXPECT_NEAR(ctx().parallelize(data, slices).mean(), sum / static_cast<double>(data.size()),
                1e-9);
  }
  forEachEmptyRdd(ctx(), [](const ember::Rdd<int>& rdd) { EXPECT_TRUE(std::isnan(rdd.mean())); });
}

class Stats : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(Stats);

TEST_P(Stats, MatchATwoPassComputation) {
  // A large offset with a small spread: a naive sum of squares would lose
  // most digits of the variance.
  for (double offset : {0.0, 1e9}) {
    auto data = randomDoubles(2000, -3.0, 7.0, 16);
    for (double& x : data) x += offset;
    // Sums the deviations from the first value, exact for values this close.
    const double shift = data.front();
    double deviations = 0, lo = shift, hi = shift;
    for (double x : data) {
      deviations += x - shift;
      lo = std::min(lo, x);
      hi = std::max(hi, x);
    }
    const double n = static_cast<double>(data.size());
    const double mean = shift + deviations / n;
    double squares = 0;
    for (double x : data) squares += (x - mean) * (x - mean);
    for (int slices : kSliceCounts) {
      SCOPED_TRACE("offset " + std::to_string(offset) + ", " + trace(slices));
      const ember::StatCounter s = ctx().parallelize(data, slices).stats();
      EXPECT_EQ(s.count(), static_cast<int64_t>(data.size()));
      EXPECT_NEAR(s.mean(), mean, 1e-14 * std::abs(mean) + 1e-9);
      EXPECT_NEAR(s.stdev(), std::sqrt(squares / n), 1e-6);
      EXPECT_NEAR(s.sampleStdev(), std::sqrt(squares / (n - 1)), 1e-6);
      EXPECT_EQ(s.min(), lo);
      EXPECT_EQ(s.max(), hi);
    }
  }
}

TEST_P(Stats, OfAnEmptyRddCountNothing) {
  forEachEmptyRdd(ctx(), [](const ember::Rdd<int>& rdd) {
    const ember::StatCounter s = rdd.stats();
    EXPECT_EQ(s.count(), 0);
    EXPECT_TRUE(std::isnan(s.mean()));
  });
}

// ---------------------------------------------------------------- histogram

class Histogram : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(Histogram);

/// Counts of `data` in [b0, b1), ..., [bn-1, bn]; values outside are dropped.
std::vector<int64_t> plainHistogram(const std::vector<double>& data,
                                    const std::vector<double>& edges) {
  std::vector<int64_t> counts(edges.size() - 1, 0);
  for (double x : data) {
    for (size_t i = 0; i + 1 < edges.size(); ++i) {
      const bool last = i + 2 == edges.size();
      if (x >= edges[i] && (x < edges[i + 1] || (last && x == edges[i + 1]))) {
        ++counts[i];
        break;
      }
    }
  }
  return counts;
}

TEST_P(Histogram, SplitsMinToMaxIntoEqualBuckets) {
  std::vector<double> data;
  for (int x : iota(101)) data.push_back(x);  // 0..100: the max, 100, falls in the last bucket
  const std::vector<double> edges = {0, 25, 50, 75, 100};
  for (int slices : kSliceCounts) {
    SCOPED_TRACE(trace(slices));
    auto [buckets, counts] = ctx().parallelize(data, slices).histogram(4);
    EXPECT_EQ(buckets, edges);
    EXPECT_EQ(counts, plainHistogram(data, edges));
    EXPECT_EQ(counts, (std::vector<int64_t>{25, 25, 25, 26}));
    EXPECT_EQ(ctx().parallelize(iota(101), slices).histogram(4),
              std::make_pair(edges, counts));  // ints too
  }
}

TEST_P(Histogram, SplitsRandomDoublesIntoEqualBuckets) {
  const auto data = randomDoubles(3000, -3.0, 7.0, 17);
  const double lo = *std::min_element(data.begin(), data.end());
  const double hi = *std::max_element(data.begin(), data.end());
  const int k = 7;
  std::vector<double> edges;
  for (int i = 0; i < k; ++i) edges.push_back(lo + (hi - lo) * i / k);
  edges.push_back(hi);
  auto [buckets, counts] = ctx().parallelize(data, 5).histogram(k);
  ASSERT_EQ(buckets.size(), edges.size());
  for (size_t i = 0; i < edges.size(); ++i) EXPECT_NEAR(buckets[i], edges[i], 1e-12);
  EXPECT_EQ(counts, plainHistogram(data, edges));
  int64_t total = 0;
  for (int64_t c : counts) total += c;
  EXPECT_EQ(total, static_cast<int64_t>(data.size()));
}

TEST_P(Histogram, PutsEverythingInOneBucketWhenMinEqualsMax) {
  const std::vector<double> data(25, 7.5);
  auto [buckets, counts] = ctx().parallelize(data, 4).histogram(5);
  EXPECT_EQ(buckets, (std::vector<double>{7.5, 7.5}));
  EXPECT_EQ(counts, (std::vector<int64_t>{25}));
}

TEST_P(Histogram, CountsIntoGivenBucketsDroppingOutsiders) {
  const std::vector<double> data = {
      -5, 0,    0.5, 9.99, 10, 10,  19.999, 20,
      35, 49.9, 50,  50,   51, 1e9, -1e9,   std::numeric_limits<double>::quiet_NaN()};
  const std::vector<double> edges = {0, 10, 20, 50};
  const auto expected = plainHistogram(data, edges);
  EXPECT_EQ(expected, (std::vector<int64_t>{3, 3, 5}));  // the reference itself, on known data
  for (int slices : kSliceCounts) {
    SCOPED_TRACE(trace(slices));
    EXPECT_EQ(ctx().parallelize(data, slices).histogram(edges), expected);
  }
}

TEST_P(Histogram, RejectsInvalidBuckets) {
  auto rdd = ctx().parallelize(std::vector<double>{1, 2, 3}, 2);
  EXPECT_THROW(rdd.histogram(std::vector<double>{1}), ember::Error);
  EXPECT_THROW(rdd.histogram(std::vector<double>{3, 1}), ember::Error);
  EXPECT_THROW(rdd.histogram(std::vector<double>{1, 1, 2}), ember::Error);
  EXPECT_THROW(rdd.histogram(0), ember::Error);
  EXPECT_THROW(ctx().parallelize(std::vector<double>{}, 2).histogram(3), ember::Error);
}

}  // namespace
