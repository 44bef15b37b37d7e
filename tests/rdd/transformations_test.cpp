// Narrow transformations of Rdd<T>: each result is checked against a plain
// loop over the same input, partition by partition where the partitioning
// matters.

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "support/reference.hpp"
#include "support/shapes.hpp"

namespace {

using ember::testing::expectedSlices;
using ember::testing::iota;
using ember::testing::kSliceCounts;
using ember::testing::ShapedTest;
using ember::testing::trace;

template <class T>
std::vector<T> concat(const std::vector<std::vector<T>>& parts) {
  std::vector<T> all;
  for (const auto& part : parts) all.insert(all.end(), part.begin(), part.end());
  return all;
}

std::vector<std::string> words(int n) {
  std::vector<std::string> v;
  for (int i = 0; i < n; ++i)
    v.push_back("word" + std::string(static_cast<size_t>(i % 4), 'x') + std::to_string(i));
  return v;
}

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

/// A context of this test's shape whose batches hold only 3 records, so that
/// even small inputs cross batch boundaries.
std::unique_ptr<ember::Context> smallBatchContext(const std::string& master) {
  return std::make_unique<ember::Context>(ember::testing::clusterConf(
      ember::Conf().set("ember.master", master).set("ember.batch.size", "3")));
}

// ---------------------------------------------------------------- map

class Map : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(Map);

TEST_P(Map, TransformsEachElementInOrder) {
  const auto data = iota(50, -10);
  std::vector<std::string> expected;
  for (int x : data) expected.push_back(std::to_string(x * 3) + "!");
  for (int slices : kSliceCounts) {
    SCOPED_TRACE(trace(slices));
    auto mapped =
        ctx().parallelize(data, slices).map([](int x) { return std::to_string(x * 3) + "!"; });
    EXPECT_EQ(mapped.getNumPartitions(), slices);
    EXPECT_EQ(mapped.collect(), expected);
  }
}

TEST_P(Map, KeepsMutableStatePerPartition) {
  const auto data = iota(40);
  for (int slices : kSliceCounts) {
    SCOPED_TRACE(trace(slices));
    std::vector<int> expected;
    for (const auto& part : expectedSlices(data, slices)) {
      for (size_t i = 0; i < part.size(); ++i) expected.push_back(static_cast<int>(i));
    }
    auto positions =
        ctx().parallelize(data, slices).map([seen = 0](const int&) mutable { return seen++; });
    EXPECT_EQ(positions.collect(), expected);
  }
}

TEST_P(Map, ChainsAcrossBatchBoundaries) {
  auto small = smallBatchContext(GetParam());
  const auto data = iota(100);
  std::vector<int64_t> expected;
  for (int x : data) {
    if (x % 3 != 0) expected.push_back(int64_t{x} * x);
  }
  auto result = small->parallelize(data, 4).filter([](int x) { return x % 3 != 0; }).map([](int x) {
    return int64_t{x} * x;
  });
  EXPECT_EQ(result.collect(), expected);
}

TEST_P(Map, OfEmptyInputIsEmpty) {
  auto mapped = ctx().parallelize(std::vector<int>{}, 3).map([](int x) { return x + 1; });
  EXPECT_EQ(mapped.getNumPartitions(), 3);
  EXPECT_TRUE(mapped.collect().empty());
}

// ---------------------------------------------------------------- filter

class Filter : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(Filter);

TEST_P(Filter, KeepsMatchingElementsInOrder) {
  const auto data = words(60);
  auto keep = [](const std::string& w) { return w.size() % 2 == 0; };
  std::vector<std::string> expected;
  for (const auto& w : data) {
    if (keep(w)) expected.push_back(w);
  }
  ASSERT_FALSE(expected.empty());
  for (int slices : kSliceCounts) {
    SCOPED_TRACE(trace(slices));
    auto kept = ctx().parallelize(data, slices).filter(keep);
    EXPECT_EQ(kept.getNumPartitions(), slices);
    EXPECT_EQ(kept.collect(), expected);
  }
}

TEST_P(Filter, MatchingNothingGivesEmptyPartitions) {
  auto none = ctx().parallelize(iota(30), 4).filter([](int x) { return x > 1000; });
  EXPECT_EQ(none.count(), 0);
  EXPECT_EQ(none.glom().collect(), std::vector<std::vector<int>>(4));
}

// ---------------------------------------------------------------- flatMap

class FlatMap : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(FlatMap);

TEST_P(FlatMap, ConcatenatesTheRangesInOrder) {
  const auto data = iota(20);
  auto copies = [](int x) {
    return std::vector<int>(static_cast<size_t>(x % 4), x);
  };  // 0 copies for some
  std::vector<int> expected;
  for (int x : data) {
    for (int c : copies(x)) expected.push_back(c);
  }
  for (int slices : kSliceCounts) {
    SCOPED_TRACE(trace(slices));
    EXPECT_EQ(ctx().parallelize(data, slices).flatMap(copies).collect(), expected);
  }
}

TEST_P(FlatMap, SplitsLinesIntoWords) {
  const std::vector<std::string> lines = {"the quick brown", "", "fox", "jumps over the lazy dog",
                                          " "};
  auto split = [](const std::string& line) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : line + " ") {
      if (c != ' ') {
        cur += c;
      } else if (!cur.empty()) {
        out.push_back(cur);
        cur.clear();
      }
    }
    return out;
  };
  const std::vector<std::string> expected = {"the",  "quick", "brown", "fox", "jumps",
                                             "over", "the",   "lazy",  "dog"};
  EXPECT_EQ(ctx().parallelize(lines, 3).flatMap(split).collect(), expected);
}

// ---------------------------------------------------------------- mapPartitions

class MapPartitions : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(MapPartitions);

TEST_P(MapPartitions, SeesEachWholePartitionOnce) {
  const auto data = iota(37, 1);
  for (int slices : kSliceCounts) {
    SCOPED_TRACE(trace(slices));
    std::vector<int64_t> expected;
    for (const auto& part : expectedSlices(data, slices)) {
      int64_t sum = 0;
      for (int x : part) sum += x;
      expected.push_back(sum);
    }
    auto sums = ctx().parallelize(data, slices).mapPartitions([](std::vector<int>&& part) {
      int64_t sum = 0;
      for (int x : part) sum += x;
      return std::vector<int64_t>{sum};
    });
    EXPECT_EQ(sums.collect(), expected);  // one per partition, 0 for an empty one
  }
}

TEST_P(MapPartitions, CanReorderWithinAPartitionAcrossBatches) {
  auto small = smallBatchContext(GetParam());
  const auto data = iota(50);
  for (int slices : kSliceCounts) {
    SCOPED_TRACE(trace(slices));
    std::vector<int> expected;
    for (auto part : expectedSlices(data, slices)) {
      std::reverse(part.begin(), part.end());
      expected.insert(expected.end(), part.begin(), part.end());
    }
    auto reversed = small->parallelize(data, slices).mapPartitions([](std::vector<int>&& part) {
      std::reverse(part.begin(), part.end());
      return std::move(part);
    });
    EXPECT_EQ(reversed.collect(), expected);
  }
}

// ---------------------------------------------------------------- mapPartitionsWithIndex

class MapPartitionsWithIndex : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(MapPartitionsWithIndex);

TEST_P(MapPartitionsWithIndex, PassesEachElementsPartitionIndex) {
  const auto data = iota(30, 100);
  for (int slices : kSliceCounts) {
    SCOPED_TRACE(trace(slices));
    std::vector<std::pair<int, int>> expected;
    const auto parts = expectedSlices(data, slices);
    for (size_t p = 0; p < parts.size(); ++p) {
      for (int x : parts[p]) expected.emplace_back(static_cast<int>(p), x);
    }
    auto tagged = ctx()
                      .parallelize(data, slices)
                      .mapPartitionsWithIndex([](int index, std::vector<int>&& part) {
                        std::vector<std::pair<int, int>> out;
                        for (int x : part) out.emplace_back(index, x);
                        return out;
                      });
    EXPECT_EQ(tagged.collect(), expected);
  }
}

TEST_P(MapPartitionsWithIndex, RunsForEmptyPartitionsToo) {
  auto indices =
      ctx().parallelize(iota(3), 9).mapPartitionsWithIndex([](int index, std::vector<int>&& part) {
        return std::vector<std::pair<int, size_t>>{{index, part.size()}};
      });
  std::vector<std::pair<int, size_t>> expected;
  const auto parts = expectedSlices(iota(3), 9);
  for (size_t p = 0; p < parts.size(); ++p)
    expected.emplace_back(static_cast<int>(p), parts[p].size());
  EXPECT_EQ(indices.collect(), expected);
}

// ---------------------------------------------------------------- union_

class Union : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(Union);

TEST_P(Union, ConcatenatesBothInOrder) {
  const auto left = iota(17);
  const auto right = iota(9, -50);
  for (int slices : kSliceCounts) {
    SCOPED_TRACE(trace(slices));
    auto both = ctx().parallelize(left, slices).union_(ctx().parallelize(right, 2));
    EXPECT_EQ(both.getNumPartitions(), slices + 2);
    EXPECT_EQ(both.collect(), concat(std::vector<std::vector<int>>{left, right}));
  }
}

TEST_P(Union, KeepsDuplicatesOfAUnionWithItself) {
  const auto data = iota(12);
  auto rdd = ctx().parallelize(data, 3);
  auto twice = rdd.union_(rdd);
  EXPECT_EQ(twice.count(), 24);
  EXPECT_EQ(twice.collect(), concat(std::vector<std::vector<int>>{data, data}));
  EXPECT_EQ(twice.glom().collect(),
            concat(std::vector{expectedSlices(data, 3), expectedSlices(data, 3)}));
}

TEST_P(Union, OfAShuffledAndANarrowRddHoldsBoth) {
  const auto data = iota(40);
  auto counts = ctx()
                    .parallelize(data, 4)
                    .map([](int x) { return std::pair<int, int>(x % 5, 1); })
                    .reduceByKey([](int a, int b) { return a + b; }, 3);
  auto both = counts.union_(ctx().parallelize(std::vector<std::pair<int, int>>{{100, 7}}, 1));
  std::vector<std::pair<int, int>> expected;
  for (int k = 0; k < 5; ++k) {
    int n = 0;
    for (int x : data) n += x % 5 == k;
    expected.emplace_back(k, n);
  }
  expected.emplace_back(100, 7);
  auto got = both.collect();
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, expected);
  EXPECT_EQ(both.getNumPartitions(), 4);
}

TEST_P(Union, RejectsAnRddOfAnotherContext) {
  // A process of a cluster belongs to one context at a time.
  if (GetParam().starts_with("local-cluster")) GTEST_SKIP() << "needs two contexts";
  auto other = smallBatchContext(GetParam());
  EXPECT_THROW(ctx().parallelize(iota(3), 1).union_(other->parallelize(iota(3), 1)), ember::Error);
}

// ---------------------------------------------------------------- glom

class Glom : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(Glom);

TEST_P(Glom, GivesOneVectorPerPartitionInOrder) {
  const auto data = words(25);
  for (int slices : kSliceCounts) {
    SCOPED_TRACE(trace(slices));
    auto parts = ctx().parallelize(data, slices).glom();
    EXPECT_EQ(parts.getNumPartitions(), slices);
    EXPECT_EQ(parts.collect(), expectedSlices(data, slices));  // empty vectors for empty partitions
  }
}

TEST_P(Glom, KeepsPartitionsAFilterEmptied) {
  const auto data = iota(40);
  auto keep = [](int x) { return x < 10 || x >= 35; };
  std::vector<std::vector<int>> expected;
  for (const auto& part : expectedSlices(data, 8)) {
    expected.emplace_back();
    for (int x : part) {
      if (keep(x)) expected.back().push_back(x);
    }
  }
  EXPECT_EQ(ctx().parallelize(data, 8).filter(keep).glom().collect(), expected);
}

// ---------------------------------------------------------------- sample

class Sample : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(Sample);

TEST_P(Sample, SameSeedGivesSameSample) {
  auto rdd = ctx().parallelize(iota(2000), 5);
  for (bool withReplacement : {false, true}) {
    SCOPED_TRACE(withReplacement ? "with replacement" : "without replacement");
    auto a = rdd.sample(withReplacement, 0.3, 42).collect();
    auto b = rdd.sample(withReplacement, 0.3, 42).collect();
    auto c = rdd.sample(withReplacement, 0.3, 43).collect();
    EXPECT_FALSE(a.empty());
    EXPECT_EQ(a, b);
    EXPECT_NE(a, c);
    auto unseeded = rdd.sample(withReplacement, 0.3);
    EXPECT_EQ(unseeded.collect(), unseeded.collect());
  }
}

TEST_P(Sample, FractionZeroIsEmpty) {
  auto rdd = ctx().parallelize(iota(500), 4);
  EXPECT_EQ(rdd.sample(false, 0.0, 1).count(), 0);
  EXPECT_EQ(rdd.sample(true, 0.0, 1).count(), 0);
}

TEST_P(Sample, FractionOneWithoutReplacementKeepsEverything) {
  const auto data = iota(300);
  for (int slices : kSliceCounts) {
    SCOPED_TRACE(trace(slices));
    EXPECT_EQ(ctx().parallelize(data, slices).sample(false, 1.0, 7).collect(), data);
  }
}

TEST_P(Sample, WithoutReplacementIsAnOrderedSubsetWithoutRepeats) {
  const int n = 3000;
  auto picked = ctx().parallelize(iota(n), 6).sample(false, 0.4, 5).collect();
  ASSERT_FALSE(picked.empty());
  for (size_t i = 0; i < picked.size(); ++i) {
    ASSERT_GE(picked[i], 0);
    ASSERT_LT(picked[i], n);
    if (i > 0) {
      ASSERT_LT(picked[i - 1], picked[i]) << "out of order or repeated at " << i;
    }
  }
}

TEST_P(Sample, WithReplacementRepeatsElementsOfTheInput) {
  const int n = 3000;
  auto picked = ctx().parallelize(iota(n), 6).sample(true, 2.0, 5).collect();
  std::set<int> distinct(picked.begin(), picked.end());
  EXPECT_LT(distinct.size(), picked.size());
  EXPECT_GE(*distinct.begin(), 0);
  EXPECT_LT(*distinct.rbegin(), n);
  EXPECT_TRUE(std::is_sorted(picked.begin(), picked.end()));  // copies stay where the element was
}

TEST_P(Sample, SizeAndMeanAreNearTheExpectedOnes) {
  const int64_t n = 200000;
  auto rdd = ctx().range(0, n, 1, 8);
  struct Case {
    bool withReplacement;
    double fraction;
  };
  for (const Case& c : {Case{false, 0.1}, Case{false, 0.9}, Case{true, 0.5}, Case{true, 2.0}}) {
    SCOPED_TRACE("fraction " + std::to_string(c.fraction) +
                 (c.withReplacement ? " with" : " without") + " replacement");
    auto picked = rdd.sample(c.withReplacement, c.fraction, 2024).collect();
    const double expectedCount = c.fraction * static_cast<double>(n);
    // Binomial or Poisson counts: their standard deviation is below
    // sqrt(expectedCount); allow ten of them.
    EXPECT_NEAR(static_cast<double>(picked.size()), expectedCount, 10 * std::sqrt(expectedCount));
    double sum = 0;
    for (int64_t x : picked) sum += static_cast<double>(x);
    // The mean of a uniform sample of [0, n): within 10 standard errors.
    const double stdError =
        static_cast<double>(n) / std::sqrt(12.0 * static_cast<double>(picked.size()));
    EXPECT_NEAR(sum / static_cast<double>(picked.size()), static_cast<double>(n - 1) / 2,
                10 * stdError);
  }
}

TEST_P(Sample, RejectsInvalidFractions) {
  auto rdd = ctx().parallelize(iota(10), 2);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THROW(rdd.sample(false, -0.1), ember::Error);
  EXPECT_THROW(rdd.sample(false, 1.5), ember::Error);
  EXPECT_THROW(rdd.sample(false, nan), ember::Error);
  EXPECT_THROW(rdd.sample(true, -1.0), ember::Error);
  EXPECT_THROW(rdd.sample(true, nan), ember::Error);
  EXPECT_NO_THROW(rdd.sample(true, 1.5));
}

// ---------------------------------------------------------------- coalesce

class Coalesce : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(Coalesce);

/// The running totals of partition sizes: where partitions end.
template <class T>
std::set<size_t> boundaries(const std::vector<std::vector<T>>& parts) {
  std::set<size_t> ends;
  size_t total = 0;
  for (const auto& part : parts) ends.insert(total += part.size());
  return ends;
}

TEST_P(Coalesce, MergesNeighbouringPartitionsInOrder) {
  const auto data = iota(45);
  const std::vector<std::pair<int, int>> cases = {{8, 3}, {8, 1}, {7, 7}, {64, 5}, {5, 4}};
  for (const auto& [from, to] : cases) {
    SCOPED_TRACE("coalesce " + std::to_string(from) + " -> " + std::to_string(to));
    auto merged = ctx().parallelize(data, from).coalesce(to);
    EXPECT_EQ(merged.getNumPartitions(), to);
    EXPECT_EQ(merged.collect(), data);
    // Each new partition is a run of whole old ones.
    auto parts = merged.glom().collect();
    ASSERT_EQ(parts.size(), static_cast<size_t>(to));
    const auto oldEnds = boundaries(expectedSlices(data, from));
    for (size_t end : boundaries(parts)) {
      EXPECT_TRUE(oldEnds.count(end)) << "a partition ends at " << end;
    }
  }
}

TEST_P(Coalesce, ToMorePartitionsKeepsTheCurrentCount) {
  const auto data = iota(20);
  auto same = ctx().parallelize(data, 4).coalesce(100);
  EXPECT_EQ(same.getNumPartitions(), 4);
  EXPECT_EQ(same.glom().collect(), expectedSlices(data, 4));
}

TEST_P(Coalesce, RejectsANonPositiveCount) {
  auto rdd = ctx().parallelize(iota(5), 2);
  EXPECT_THROW(rdd.coalesce(0), ember::Error);
  EXPECT_THROW(rdd.coalesce(-3), ember::Error);
}

TEST_P(Coalesce, AfterAShuffleKeepsEveryRecord) {
  const auto data = iota(200);
  std::vector<std::pair<int, int>> expected(10);
  for (int k = 0; k < 10; ++k) expected[static_cast<size_t>(k)] = {k, 0};
  for (int x : data) expected[static_cast<size_t>(x % 10)].second += x;
  auto merged = ctx()
                    .parallelize(data, 5)
                    .map([](int x) { return std::pair<int, int>(x % 10, x); })
                    .reduceByKey([](int a, int b) { return a + b; }, 6)
                    .coalesce(2);
  EXPECT_EQ(merged.getNumPartitions(), 2);
  auto got = merged.collect();
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, expected);
}

// ---------------------------------------------------------------- zipWithIndex

class ZipWithIndex : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(ZipWithIndex);

/// (x, its position) for each x of `data`.
template <class T>
std::vector<std::pair<T, int64_t>> indexed(const std::vector<T>& data) {
  std::vector<std::pair<T, int64_t>> out;
  for (size_t i = 0; i < data.size(); ++i) out.emplace_back(data[i], static_cast<int64_t>(i));
  return out;
}

TEST_P(ZipWithIndex, NumbersElementsInOrderAcrossUnevenPartitions) {
  const auto data = iota(500);
  auto keep = [](int x) { return (x / 50) % 3 != 1 && x % 7 != 0; };  // some partitions emptied
  std::vector<int> kept;
  for (int x : data) {
    if (keep(x)) kept.push_back(x);
  }
  for (int slices : {1, 2, 10, 64, 700}) {
    SCOPED_TRACE(trace(slices));
    auto zipped = ctx().parallelize(data, slices).filter(keep).zipWithIndex();
    EXPECT_EQ(zipped.getNumPartitions(), slices);
    EXPECT_EQ(zipped.collect(), indexed(kept));
  }
}

TEST_P(ZipWithIndex, CountsAcrossBatchBoundaries) {
  auto small = smallBatchContext(GetParam());
  const auto data = words(100);
  EXPECT_EQ(small->parallelize(data, 6).zipWithIndex().collect(), indexed(data));
}

TEST_P(ZipWithIndex, FollowsThePartitionOrderOfAShuffle) {
  const auto data = iota(300);
  std::map<int, int> sums;
  for (int x : data) sums[x % 23] += x;
  auto zipped = ctx()
                    .parallelize(data, 4)
                    .map([](int x) { return std::pair<int, int>(x % 23, x); })
                    .reduceByKey([](int a, int b) { return a + b; }, 5)
                    .zipWithIndex()
                    .collect();
  std::vector<std::pair<int, int>> records;
  for (size_t i = 0; i < zipped.size(); ++i) {
    EXPECT_EQ(zipped[i].second, static_cast<int64_t>(i));
    records.push_back(zipped[i].first);
  }
  std::sort(records.begin(), records.end());
  EXPECT_EQ(records, (std::vector<std::pair<int, int>>(sums.begin(), sums.end())));
}

TEST_P(ZipWithIndex, OfEmptyInputIsEmpty) {
  EXPECT_TRUE(ctx().parallelize(std::vector<int>{}, 4).zipWithIndex().collect().empty());
  EXPECT_TRUE(ctx().emptyRDD<int>().zipWithIndex().collect().empty());
}

// ---------------------------------------------------------------- zipWithUniqueId

class ZipWithUniqueId : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(ZipWithUniqueId);

TEST_P(ZipWithUniqueId, GivesElementIOfPartitionKTheIdKPlusITimesN) {
  const auto data = words(41);
  for (int slices : kSliceCounts) {
    SCOPED_TRACE(trace(slices));
    std::vector<std::pair<std::string, int64_t>> expected;
    const auto parts = expectedSlices(data, slices);
    for (size_t k = 0; k < parts.size(); ++k) {
      for (size_t i = 0; i < parts[k].size(); ++i) {
        expected.emplace_back(parts[k][i],
                              static_cast<int64_t>(k + i * static_cast<size_t>(slices)));
      }
    }
    auto zipped = ctx().parallelize(data, slices).zipWithUniqueId().collect();
    EXPECT_EQ(zipped, expected);
    std::set<int64_t> ids;
    for (const auto& [w, id] : zipped) ids.insert(id);
    EXPECT_EQ(ids.size(), data.size());
  }
}

// ---------------------------------------------------------------- keyBy

class KeyBy : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(KeyBy);

TEST_P(KeyBy, PairsEachElementWithItsKey) {
  const auto data = words(30);
  std::vector<std::pair<size_t, std::string>> expected;
  for (const auto& w : data) expected.emplace_back(w.size(), w);
  for (int slices : kSliceCounts) {
    SCOPED_TRACE(trace(slices));
    EXPECT_EQ(ctx()
                  .parallelize(data, slices)
                  .keyBy([](const std::string& w) { return w.size(); })
                  .collect(),
              expected);
  }
}

// ---------------------------------------------------------------- pipe

class Pipe : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(Pipe);

TEST_P(Pipe, StreamsEachPartitionThroughTheCommand) {
  const auto data = words(30);
  std::vector<std::string> expected;
  for (const auto& w : data) expected.push_back(upper(w));
  for (int slices : {1, 3, 40}) {
    SCOPED_TRACE(trace(slices));
    auto piped = ctx().parallelize(data, slices).pipe("tr a-z A-Z");
    EXPECT_EQ(piped.getNumPartitions(), slices);
    EXPECT_EQ(piped.collect(), expected);
  }
}

TEST_P(Pipe, RunsTheCommandOncePerPartitionEvenWhenEmpty) {
  const auto data = iota(10);
  for (int slices : {1, 4, 13}) {
    SCOPED_TRACE(trace(slices));
    std::vector<int64_t> expected;
    for (const auto& part : expectedSlices(data, slices))
      expected.push_back(static_cast<int64_t>(part.size()));
    auto lines = ctx().parallelize(data, slices).pipe("wc -l").collect();
    std::vector<int64_t> counts;
    for (const auto& line : lines) counts.push_back(std::stoll(line));
    EXPECT_EQ(counts, expected);
  }
}

TEST_P(Pipe, PrintsPairsAsTabSeparatedFields) {
  std::vector<std::pair<int, std::string>> data;
  std::vector<std::string> expected;
  for (int i = 0; i < 12; ++i) {
    data.emplace_back(i * 11, "v" + std::to_string(i));
    expected.push_back(std::to_string(i * 11) + "\tv" + std::to_string(i));
  }
  EXPECT_EQ(ctx().parallelize(data, 3).pipe("cat").collect(), expected);
}

TEST_P(Pipe, CarriesLargePartitionsBothWays) {
  // More than the pipe buffers hold in each direction: the task must write
  // and read at the same time.
  const auto data = iota(60000);
  std::vector<std::string> expected;
  for (int x : data) expected.push_back(std::to_string(x));
  EXPECT_EQ(ctx().range(0, 60000, 1, 2).pipe("cat").collect(), expected);
}

TEST_P(Pipe, FailsTheJobWhenTheCommandExitsNonZero) {
  const std::vector<std::string> commands = {"exit 3", "cat >/dev/null; exit 3"};
  for (const auto& command : commands) {
    for (int slices : {1, 3}) {
      SCOPED_TRACE(command + " over " + trace(slices));
      try {
        ctx().parallelize(words(20), slices).pipe(command).collect();
        ADD_FAILURE() << "no JobFailed";
      } catch (const ember::JobFailed& e) {
        EXPECT_NE(std::string(e.what()).find("exited with status 3"), std::string::npos)
            << e.what();
      }
    }
  }
  EXPECT_EQ(ctx().parallelize(words(5), 2).pipe("cat").collect(), words(5));
}

// ---------------------------------------------------------------- failing tasks

class TaskFailure : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(TaskFailure);

/// The partition that holds `value` when `data` is cut into `n` slices.
int partitionOf(const std::vector<int>& data, int n, int value) {
  const auto parts = expectedSlices(data, n);
  for (size_t p = 0; p < parts.size(); ++p) {
    if (std::find(parts[p].begin(), parts[p].end(), value) != parts[p].end())
      return static_cast<int>(p);
  }
  return -1;
}

void expectFailureNames(const ember::JobFailed& e, int partition, const std::string& message) {
  const std::string what = e.what();
  EXPECT_NE(what.find("stage"), std::string::npos) << what;
  EXPECT_NE(what.find("Task " + std::to_string(partition) + " "), std::string::npos) << what;
  EXPECT_NE(what.find(message), std::string::npos) << what;
  EXPECT_THROW(std::rethrow_exception(e.cause()), std::runtime_error);
}

TEST_P(TaskFailure, ThrowingMapFailsTheJobNamingStageAndTask) {
  const auto data = iota(40);
  for (int slices : {1, 4, 7}) {
    SCOPED_TRACE(trace(slices));
    auto failing = ctx().parallelize(data, slices).map([](int x) {
      if (x == 27) throw std::runtime_error("boom at 27");
      return x;
    });
    try {
      failing.collect();
      ADD_FAILURE() << "no JobFailed";
    } catch (const ember::JobFailed& e) {
      expectFailureNames(e, partitionOf(data, slices, 27), "boom at 27");
    }
  }
}

TEST_P(TaskFailure, ThrowingBeforeAShuffleFailsTheJob) {
  const auto data = iota(40);
  auto failing = ctx().parallelize(data, 5).map([](int x) {
    if (x == 13) throw std::runtime_error("bad key 13");
    return std::pair<int, int>(x % 3, x);
  });
  try {
    failing.reduceByKey([](int a, int b) { return a + b; }).collect();
    ADD_FAILURE() << "no JobFailed";
  } catch (const ember::JobFailed& e) {
    expectFailureNames(e, partitionOf(data, 5, 13), "bad key 13");
  }
}

TEST_P(TaskFailure, ThrowingInAnActionsFunctionFailsTheJob) {
  const auto data = iota(30);
  try {
    ctx().parallelize(data, 3).foreach ([](const int& x) {
      if (x == 5) throw std::runtime_error("foreach saw 5");
    });
    ADD_FAILURE() << "no JobFailed";
  } catch (const ember::JobFailed& e) {
    expectFailureNames(e, partitionOf(data, 3, 5), "foreach saw 5");
  }
}

TEST_P(TaskFailure, ReportsAnExceptionThatIsNoStdException) {
  try {
    ctx()
        .parallelize(iota(10), 2)
        .map([](int x) {
          if (x == 7) throw 42;
          return x;
        })
        .count();
    ADD_FAILURE() << "no JobFailed";
  } catch (const ember::JobFailed& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("Task " + std::to_string(partitionOf(iota(10), 2, 7)) + " "),
              std::string::npos)
        << what;
    EXPECT_NE(what.find("not a std::exception"), std::string::npos) << what;
  }
}

TEST_P(TaskFailure, LaterJobsOnTheSameContextStillRun) {
  const auto data = iota(100);
  auto rdd = ctx().parallelize(data, 4);
  auto failing = rdd.map([](int x) {
    if (x % 10 == 9) throw std::runtime_error("every tenth");
    return x;
  });
  for (int round = 0; round < 3; ++round) EXPECT_THROW(failing.count(), ember::JobFailed);
  int64_t sum = 0;
  for (int x : data) sum += x * 2;
  EXPECT_EQ(rdd.map([](int x) { return int64_t{x} * 2; }).sum(), sum);
  std::vector<std::pair<int, int>> expected;
  for (int k = 0; k < 4; ++k) {
    int n = 0;
    for (int x : data) n += x % 4 == k;
    expected.emplace_back(k, n);
  }
  auto counts = rdd.map([](int x) { return std::pair<int, int>(x % 4, 1); })
                    .reduceByKey([](int a, int b) { return a + b; })
                    .collect();
  std::sort(counts.begin(), counts.end());
  EXPECT_EQ(counts, expected);
}

}  // namespace
