// distinct, intersection, subtract, cartesian, zip, zipPartitions,
// repartition and coalesce, checked against plain loops over the input.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "support/pairs.hpp"
#include "support/reference.hpp"
#include "support/shapes.hpp"

namespace {

using ember::testing::iota;
using ember::testing::randomInts;
using ember::testing::ShapedTest;
using ember::testing::sorted;

template <class T>
std::vector<T> distinctOf(const std::vector<T>& v) {
  const std::set<T> s(v.begin(), v.end());
  return {s.begin(), s.end()};
}

// ---------------------------------------------------------------- distinct

class Distinct : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(Distinct);

TEST_P(Distinct, KeepsEachElementOnce) {
  const auto xs = randomInts(3000, 400, 1);
  for (int n : {0, 1, 5}) {
    SCOPED_TRACE("numPartitions " + std::to_string(n));
    auto out = ctx().parallelize(xs, 4).distinct(n);
    EXPECT_EQ(out.getNumPartitions(), n > 0 ? n : 4);
    EXPECT_EQ(sorted(out.collect()), distinctOf(xs));
  }
}

TEST_P(Distinct, OfStringsAndOfEmptyInput) {
  std::vector<std::string> words;
  for (int x : randomInts(1000, 50, 2)) words.push_back("w" + std::to_string(x));
  EXPECT_EQ(sorted(ctx().parallelize(words, 3).distinct().collect()), distinctOf(words));
  EXPECT_TRUE(ctx().parallelize(std::vector<int>{}, 3).distinct().collect().empty());
}

// ---------------------------------------------------------------- intersection

class Intersection : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(Intersection);

TEST_P(Intersection, KeepsDistinctElementsOfBoth) {
  const auto a = randomInts(2000, 300, 3);
  auto b = randomInts(500, 300, 4);
  for (int& x : b) x += 150;  // half the range overlaps
  std::vector<int> expected;
  const auto da = distinctOf(a);
  const auto db = distinctOf(b);
  std::set_intersection(da.begin(), da.end(), db.begin(), db.end(), std::back_inserter(expected));
  ASSERT_FALSE(expected.empty());
  auto out = ctx().parallelize(a, 3).intersection(ctx().parallelize(b, 5));
  EXPECT_EQ(out.getNumPartitions(), 5);
  EXPECT_EQ(sorted(out.collect()), expected);
  EXPECT_EQ(sorted(ctx().parallelize(a, 3).intersection(ctx().parallelize(b, 2), 4).collect()),
            expected);
}

TEST_P(Intersection, WithAnEmptySideIsEmpty) {
  const auto a = randomInts(100, 20, 5);
  const std::vector<int> none;
  EXPECT_TRUE(ctx().parallelize(a, 2).intersection(ctx().parallelize(none, 2)).collect().empty());
  EXPECT_TRUE(ctx().parallelize(none, 2).intersection(ctx().parallelize(a, 2)).collect().empty());
  // With itself: its distinct elements.
  auto rdd = ctx().parallelize(a, 3);
  EXPECT_EQ(sorted(rdd.intersection(rdd).collect()), distinctOf(a));
}

// ---------------------------------------------------------------- subtract

class Subtract : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(Subtract);

TEST_P(Subtract, KeepsElementsTheOtherLacksWithTheirDuplicates) {
  const auto a = randomInts(2000, 200, 6);
  const auto b = randomInts(100, 400, 7);
  const std::set<int> inB(b.begin(), b.end());
  std::vector<int> expected;
  for (int x : a) {
    if (!inB.contains(x)) expected.push_back(x);
  }
  ASSERT_GT(expected.size(), distinctOf(expected).size());  // duplicates to keep
  for (int n : {0, 3}) {
    SCOPED_TRACE("numPartitions " + std::to_string(n));
    EXPECT_EQ(sorted(ctx().parallelize(a, 4).subtract(ctx().parallelize(b, 2), n).collect()),
              sorted(expected));
  }
  EXPECT_EQ(
      sorted(ctx().parallelize(a, 4).subtract(ctx().parallelize(std::vector<int>{}, 1)).collect()),
      sorted(a));
  EXPECT_TRUE(
      ctx().parallelize(std::vector<int>{}, 2).subtract(ctx().parallelize(b, 2)).collect().empty());
}

// ---------------------------------------------------------------- cartesian

class Cartesian : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(Cartesian);

TEST_P(Cartesian, PairsEveryElementWithEveryOther) {
  const auto a = iota(30);
  std::vector<std::string> b;
  for (int i = 0; i < 17; ++i) b.push_back("b" + std::to_string(i % 9));  // duplicates too
  std::vector<std::pair<int, std::string>> expected;
  for (int x : a) {
    for (const auto& y : b) expected.emplace_back(x, y);
  }
  auto out = ctx().parallelize(a, 3).cartesian(ctx().parallelize(b, 4));
  EXPECT_EQ(out.getNumPartitions(), 12);
  EXPECT_EQ(sorted(out.collect()), sorted(expected));
  EXPECT_TRUE(ctx()
                  .parallelize(a, 3)
                  .cartesian(ctx().parallelize(std::vector<int>{}, 2))
                  .collect()
                  .empty());
  EXPECT_TRUE(ctx()
                  .parallelize(std::vector<int>{}, 2)
                  .cartesian(ctx().parallelize(a, 2))
                  .collect()
                  .empty());
}

// ---------------------------------------------------------------- zip, zipPartitions

class Zip : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(Zip);

TEST_P(Zip, PairsElementsAtTheSamePosition) {
  const auto a = randomInts(500, 1000, 8);
  std::vector<std::pair<int, std::string>> expected;
  for (int x : a) expected.emplace_back(x, "s" + std::to_string(x));
  for (int slices : {1, 4, 7}) {
    SCOPED_TRACE("slices " + std::to_string(slices));
    auto rdd = ctx().parallelize(a, slices);
    auto zipped = rdd.zip(rdd.map([](int x) { return "s" + std::to_string(x); }));
    EXPECT_EQ(zipped.collect(), expected);  // in order
  }
}

TEST_P(Zip, RejectsDifferentPartitionCountsAndSizes) {
  EXPECT_THROW(ctx().parallelize(iota(10), 2).zip(ctx().parallelize(iota(10), 3)), ember::Error);
  // Same partition count, different sizes: the job fails.
  auto uneven = ctx().parallelize(iota(10), 2).zip(ctx().parallelize(iota(11), 2));
  EXPECT_THROW(uneven.collect(), ember::JobFailed);
}

class ZipPartitions : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(ZipPartitions);

TEST_P(ZipPartitions, HandsOverPartitionsWithTheSameIndex) {
  const auto a = iota(100);
  const auto b = randomInts(37, 50, 9);
  auto out = ctx()
                 .parallelize(a, 4)
                 .zipPartitions(ctx().parallelize(b, 4),
                                [](std::vector<int>&& xs, std::vector<int>&& ys) {
                                  int64_t sx = 0, sy = 0;
                                  for (int x : xs) sx += x;
                                  for (int y : ys) sy += y;
                                  return std::vector<std::pair<int64_t, int64_t>>{{sx, sy}};
                                })
                 .collect();
  const auto sa = ember::testing::expectedSlices(a, 4);
  const auto sb = ember::testing::expectedSlices(b, 4);
  std::vector<std::pair<int64_t, int64_t>> expected;
  for (size_t i = 0; i < 4; ++i) {
    int64_t sx = 0, sy = 0;
    for (int x : sa[i]) sx += x;
    for (int y : sb[i]) sy += y;
    expected.emplace_back(sx, sy);
  }
  EXPECT_EQ(out, expected);
}

// ---------------------------------------------------------------- repartition, coalesce

class Repartition : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(Repartition);

TEST_P(Repartition, SpreadsEveryElementEvenlyOverExactlyNPartitions) {
  const auto xs = randomInts(5000, 100, 10);
  for (int n : {1, 3, 8, 20}) {
    SCOPED_TRACE("repartition " + std::to_string(n));
    auto out = ctx().parallelize(xs, 4).repartition(n);
    EXPECT_EQ(out.getNumPartitions(), n);
    const auto parts = out.glom().collect();
    ASSERT_EQ(parts.size(), static_cast<size_t>(n));
    std::vector<int> all;
    size_t smallest = xs.size(), largest = 0;
    for (const auto& part : parts) {
      smallest = std::min(smallest, part.size());
      largest = std::max(largest, part.size());
      all.insert(all.end(), part.begin(), part.end());
    }
    EXPECT_EQ(sorted(all), sorted(xs));
    // Each of the 4 input partitions deals its records round-robin.
    EXPECT_LE(largest - smallest, 4u);
  }
}

TEST_P(Repartition, CoalesceWithShuffleCanAlsoGrow) {
  const auto xs = iota(1000);
  auto out = ctx().parallelize(xs, 2).coalesce(6, true);
  EXPECT_EQ(out.getNumPartitions(), 6);
  EXPECT_EQ(sorted(out.collect()), xs);
  // Without a shuffle it only merges.
  auto merged = ctx().parallelize(xs, 5).coalesce(2);
  EXPECT_EQ(merged.getNumPartitions(), 2);
  EXPECT_EQ(merged.collect(), xs);  // neighbours merged: order kept
  EXPECT_EQ(ctx().parallelize(xs, 2).coalesce(6).getNumPartitions(), 2);
  EXPECT_TRUE(ctx().parallelize(std::vector<int>{}, 3).repartition(4).collect().empty());
}

}  // namespace
