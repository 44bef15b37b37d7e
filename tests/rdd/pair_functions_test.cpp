// Operations on Rdd<std::pair<K, V>>: the shuffles (reduceByKey, groupByKey,
// partitionBy, countByKey) and the narrow ones (mapValues, keys, values).
// Every result is checked against a plain loop over the same input.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "support/reference.hpp"
#include "support/shapes.hpp"

namespace {

using ember::testing::kSliceCounts;
using ember::testing::randomInts;
using ember::testing::ShapedTest;
using ember::testing::trace;

using IntPair = std::pair<int, int>;

/// (key, value) records: keys in [0, keys), values the record's position.
std::vector<IntPair> keyedRecords(int n, int keys, unsigned seed = 1) {
  std::vector<IntPair> records;
  const auto ks = randomInts(n, keys, seed);
  for (int i = 0; i < n; ++i) records.emplace_back(ks[static_cast<size_t>(i)], i);
  return records;
}

template <class T>
std::vector<T> sorted(std::vector<T> v) {
  std::sort(v.begin(), v.end());
  return v;
}

/// The plain answer of reduceByKey(f): one (key, folded values) per key,
/// sorted by key.
template <class K, class V, class F>
std::vector<std::pair<K, V>> plainReduceByKey(const std::vector<std::pair<K, V>>& records, F f) {
  std::map<K, V> acc;
  for (const auto& [k, v] : records) {
    auto it = acc.find(k);
    if (it == acc.end()) {
      acc.emplace(k, v);
    } else {
      it->second = f(it->second, v);
    }
  }
  return {acc.begin(), acc.end()};
}

/// The plain answer of groupByKey with each group's values sorted.
template <class K, class V>
std::vector<std::pair<K, std::vector<V>>> plainGroupByKey(
    const std::vector<std::pair<K, V>>& records) {
  std::map<K, std::vector<V>> groups;
  for (const auto& [k, v] : records) groups[k].push_back(v);
  std::vector<std::pair<K, std::vector<V>>> out;
  for (auto& [k, vs] : groups) out.emplace_back(k, sorted(vs));
  return out;
}

/// groupByKey's output with values sorted (their order is not defined) and
/// groups sorted by key.
template <class K, class V>
std::vector<std::pair<K, std::vector<V>>> normalized(
    std::vector<std::pair<K, std::vector<V>>> groups) {
  for (auto& [k, vs] : groups) std::sort(vs.begin(), vs.end());
  return sorted(std::move(groups));
}

const auto kAdd = [](int a, int b) { return a + b; };
const auto kAdd64 = [](int64_t a, int64_t b) { return a + b; };

// ---------------------------------------------------------------- reduceByKey

class ReduceByKey : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(ReduceByKey);

TEST_P(ReduceByKey, CombinesEqualKeysAcrossPartitions) {
  const auto records = keyedRecords(500, 13);
  const auto expected = plainReduceByKey(records, kAdd);
  for (int slices : kSliceCounts) {
    SCOPED_TRACE(trace(slices));
    auto reduced = ctx().parallelize(records, slices).reduceByKey(kAdd);
    EXPECT_EQ(reduced.getNumPartitions(), slices);  // default: the parent's count
    EXPECT_EQ(sorted(reduced.collect()), expected);
  }
}

TEST_P(ReduceByKey, UsesTheRequestedPartitionCount) {
  const auto records = keyedRecords(300, 20, 2);
  const auto expected = plainReduceByKey(records, [](int a, int b) { return std::max(a, b); });
  for (int partitions : {1, 4, 50}) {  // 50: more partitions than keys
    SCOPED_TRACE("numPartitions " + std::to_string(partitions));
    auto reduced = ctx()
                       .parallelize(records, 3)
                       .reduceByKey([](int a, int b) { return std::max(a, b); }, partitions);
    EXPECT_EQ(reduced.getNumPartitions(), partitions);
    EXPECT_EQ(sorted(reduced.collect()), expected);
  }
}

TEST_P(ReduceByKey, CountsWordsWithStringKeys) {
  std::vector<std::pair<std::string, int64_t>> records;
  for (int x : randomInts(20000, 300, 3))
    records.emplace_back("word-" + std::to_string(x * 7919 % 1000), 1);
  const auto expected = plainReduceByKey(records, kAdd64);
  for (int slices : kSliceCounts) {
    SCOPED_TRACE(trace(slices));
    EXPECT_EQ(sorted(ctx().parallelize(records, slices).reduceByKey(kAdd64, 5).collect()),
              expected);
  }
}

TEST_P(ReduceByKey, HandlesOneKeyHoldingMostRecords) {
  std::vector<std::pair<std::string, int64_t>> records;
  for (int i = 0; i < 20000; ++i)
    records.emplace_back(i % 10 != 0 ? "hot" : "cold-" + std::to_string(i % 700), i);
  const auto expected = plainReduceByKey(records, kAdd64);
  for (int partitions : {1, 3, 8}) {
    SCOPED_TRACE("numPartitions " + std::to_string(partitions));
    EXPECT_EQ(sorted(ctx().parallelize(records, 6).reduceByKey(kAdd64, partitions).collect()),
              expected);
  }
}

TEST_P(ReduceByKey, CombinesPairKeys) {
  std::vector<std::pair<IntPair, int>> records;
  for (int x : randomInts(1000, 1000, 4)) records.emplace_back(IntPair(x % 3, x % 5), x);
  const auto expected = plainReduceByKey(records, kAdd);
  for (int slices : kSliceCounts) {
    SCOPED_TRACE(trace(slices));
    EXPECT_EQ(sorted(ctx().parallelize(records, slices).reduceByKey(kAdd).collect()), expected);
  }
}

TEST_P(ReduceByKey, OfEmptyInputIsEmpty) {
  auto reduced = ctx().parallelize(std::vector<IntPair>{}, 4).reduceByKey(kAdd, 3);
  EXPECT_EQ(reduced.getNumPartitions(), 3);
  EXPECT_TRUE(reduced.collect().empty());
}

// ---------------------------------------------------------------- groupByKey

class GroupByKey : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(GroupByKey);

TEST_P(GroupByKey, GathersEveryValueOfAKey) {
  const auto records = keyedRecords(600, 17, 5);
  const auto expected = plainGroupByKey(records);
  for (int slices : kSliceCounts) {
    SCOPED_TRACE(trace(slices));
    auto groups = ctx().parallelize(records, slices).groupByKey();
    EXPECT_EQ(groups.getNumPartitions(), slices);
    EXPECT_EQ(normalized(groups.collect()), expected);
  }
}

TEST_P(GroupByKey, UsesTheRequestedPartitionCount) {
  std::vector<std::pair<std::string, int>> records;
  for (int x : randomInts(3000, 40, 6))
    records.emplace_back(x < 30 ? "hot" : "k" + std::to_string(x), x);
  const auto expected = plainGroupByKey(records);
  for (int partitions : {1, 5, 64}) {
    SCOPED_TRACE("numPartitions " + std::to_string(partitions));
    auto groups = ctx().parallelize(records, 4).groupByKey(partitions);
    EXPECT_EQ(groups.getNumPartitions(), partitions);
    EXPECT_EQ(normalized(groups.collect()), expected);
  }
}

TEST_P(GroupByKey, OfEmptyInputIsEmpty) {
  EXPECT_TRUE(ctx().parallelize(std::vector<IntPair>{}, 3).groupByKey().collect().empty());
}

// ---------------------------------------------------------------- partitionBy

class PartitionBy : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(PartitionBy);

/// Checks that every key of `parts` lives in one partition only, the one the
/// partitioner names, and that the partitions hold exactly `records`.
template <class K, class V>
void expectPartitionedByKey(const std::vector<std::vector<std::pair<K, V>>>& parts,
                            const std::vector<std::pair<K, V>>& records, int n) {
  ASSERT_EQ(parts.size(), static_cast<size_t>(n));
  const ember::HashPartitioner partitioner(n);
  std::vector<int64_t> expectedSizes(static_cast<size_t>(n), 0);
  for (const auto& [k, v] : records)
    ++expectedSizes[static_cast<size_t>(partitioner.getPartition(k))];
  std::map<K, size_t> home;
  std::vector<std::pair<K, V>> all;
  for (size_t p = 0; p < parts.size(); ++p) {
    EXPECT_EQ(static_cast<int64_t>(parts[p].size()), expectedSizes[p]) << "partition " << p;
    for (const auto& kv : parts[p]) {
      auto [it, inserted] = home.emplace(kv.first, p);
      EXPECT_EQ(it->second, p) << "key " << kv.first << " is in partitions " << it->second
                               << " and " << p;
      all.push_back(kv);
    }
  }
  EXPECT_EQ(sorted(all), sorted(records));
}

TEST_P(PartitionBy, PlacesEachKeyInExactlyOnePartition) {
  const auto records = keyedRecords(2000, 50, 7);
  for (int n : {1, 3, 8, 64}) {
    SCOPED_TRACE("partitionBy " + std::to_string(n));
    auto placed = ctx().parallelize(records, 5).partitionBy(n);
    EXPECT_EQ(placed.getNumPartitions(), n);
    expectPartitionedByKey(placed.glom().collect(), records, n);
  }
}

TEST_P(PartitionBy, AcceptsAPartitionerAndStringKeys) {
  std::vector<std::pair<std::string, int>> records;
  for (int x : randomInts(1500, 200, 8)) records.emplace_back("key" + std::to_string(x), x);
  auto placed = ctx().parallelize(records, 3).partitionBy(ember::HashPartitioner(6));
  EXPECT_EQ(placed.getNumPartitions(), 6);
  expectPartitionedByKey(placed.glom().collect(), records, 6);
}

TEST_P(PartitionBy, RejectsANonPositiveCount) {
  auto rdd = ctx().parallelize(keyedRecords(10, 3), 2);
  EXPECT_THROW(rdd.partitionBy(0), ember::Error);
  EXPECT_THROW(rdd.partitionBy(-2), ember::Error);
}

// ---------------------------------------------------------------- countByKey

class CountByKey : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(CountByKey);

TEST_P(CountByKey, CountsThePairsOfEachKey) {
  std::vector<std::pair<std::string, double>> records;
  for (int x : randomInts(800, 25, 9)) records.emplace_back("k" + std::to_string(x % 11), x * 0.5);
  std::map<std::string, int64_t> expected;
  for (const auto& kv : records) ++expected[kv.first];
  for (int slices : kSliceCounts) {
    SCOPED_TRACE(trace(slices));
    EXPECT_EQ(ctx().parallelize(records, slices).countByKey(), expected);
  }
  EXPECT_TRUE(ctx().parallelize(std::vector<IntPair>{}, 2).countByKey().empty());
}

// ---------------------------------------------------------------- mapValues, keys, values

class MapValues : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(MapValues);

TEST_P(MapValues, TransformsValuesAndKeepsKeysAndOrder) {
  const auto records = keyedRecords(60, 9, 10);
  auto describe = [](const int& v) { return "v" + std::to_string(v * 2); };
  std::vector<std::pair<int, std::string>> expected;
  for (const auto& [k, v] : records) expected.emplace_back(k, describe(v));
  for (int slices : kSliceCounts) {
    SCOPED_TRACE(trace(slices));
    auto mapped = ctx().parallelize(records, slices).mapValues(describe);
    EXPECT_EQ(mapped.getNumPartitions(), slices);
    EXPECT_EQ(mapped.collect(), expected);
  }
}

class Keys : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(Keys);

TEST_P(Keys, ListsEachRecordsKeyInOrder) {
  const auto records = keyedRecords(45, 6, 11);
  std::vector<int> expected;
  for (const auto& kv : records) expected.push_back(kv.first);
  for (int slices : kSliceCounts) {
    SCOPED_TRACE(trace(slices));
    EXPECT_EQ(ctx().parallelize(records, slices).keys().collect(), expected);
  }
}

class Values : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(Values);

TEST_P(Values, ListsEachRecordsValueInOrder) {
  std::vector<std::pair<std::string, std::vector<int>>> records;
  for (int i = 0; i < 30; ++i)
    records.emplace_back("k" + std::to_string(i % 4),
                         std::vector<int>(static_cast<size_t>(i % 5), i));
  std::vector<std::vector<int>> expected;
  for (const auto& kv : records) expected.push_back(kv.second);
  for (int slices : kSliceCounts) {
    SCOPED_TRACE(trace(slices));
    EXPECT_EQ(ctx().parallelize(records, slices).values().collect(), expected);
  }
}

// ---------------------------------------------------------------- chained and reused shuffles

class ShuffleChain : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(ShuffleChain);

TEST_P(ShuffleChain, ReducesThenRekeysThenReducesAgain) {
  // Word counts, then how many words have each count.
  std::vector<std::string> words;
  for (int x : randomInts(5000, 400, 12)) words.push_back("w" + std::to_string(x % 97 * (x % 5)));
  std::map<std::string, int> counts;
  for (const auto& w : words) ++counts[w];
  std::map<int, int> wordsPerCount;
  for (const auto& [w, c] : counts) ++wordsPerCount[c];
  const std::vector<IntPair> expected(wordsPerCount.begin(), wordsPerCount.end());
  for (int slices : kSliceCounts) {
    SCOPED_TRACE(trace(slices));
    auto result =
        ctx()
            .parallelize(words, slices)
            .map([](const std::string& w) { return std::pair<std::string, int>(w, 1); })
            .reduceByKey(kAdd, 4)
            .map([](const std::pair<std::string, int>& wc) { return IntPair(wc.second, 1); })
            .reduceByKey(kAdd, 3);
    EXPECT_EQ(sorted(result.collect()), expected);
  }
}

TEST_P(ShuffleChain, GroupsWhatAPartitionByPlaced) {
  const auto records = keyedRecords(700, 30, 13);
  auto groups =
      ctx()
          .parallelize(records, 4)
          .partitionBy(5)
          .groupByKey(3)
          .mapValues([](const std::vector<int>& vs) { return static_cast<int64_t>(vs.size()); });
  std::map<int, int64_t> sizes;
  for (const auto& kv : records) ++sizes[kv.first];
  EXPECT_EQ(sorted(groups.collect()),
            (std::vector<std::pair<int, int64_t>>(sizes.begin(), sizes.end())));
}

class ShuffleReuse : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(ShuffleReuse);

TEST_P(ShuffleReuse, GivesTheSameAnswerToEveryAction) {
  const auto records = keyedRecords(3000, 40, 14);
  const auto sums = plainReduceByKey(records, kAdd);
  int64_t total = 0;
  for (const auto& kv : sums) total += kv.second;
  auto reduced = ctx().parallelize(records, 6).reduceByKey(kAdd, 4);
  EXPECT_EQ(sorted(reduced.collect()), sums);
  EXPECT_EQ(reduced.count(), static_cast<int64_t>(sums.size()));
  EXPECT_EQ(sorted(reduced.collect()), sums);
  EXPECT_EQ(reduced.values().map([](int v) { return int64_t{v}; }).sum(), total);
  // A second shuffle on top of the first, twice.
  auto byParity = reduced.map([](const IntPair& kv) { return IntPair(kv.first % 2, kv.second); })
                      .reduceByKey(kAdd);
  const auto expected = plainReduceByKey(
      [&] {
        std::vector<IntPair> rekeyed;
        for (const auto& [k, v] : sums) rekeyed.emplace_back(k % 2, v);
        return rekeyed;
      }(),
      kAdd);
  for (int round = 0; round < 2; ++round) EXPECT_EQ(sorted(byParity.collect()), expected);
}

TEST_P(ShuffleReuse, FeedsTwoDifferentShufflesFromOneParent) {
  const auto records = keyedRecords(1000, 25, 15);
  auto parent = ctx().parallelize(records, 5);
  auto sums = parent.reduceByKey(kAdd, 3);
  auto groups = parent.groupByKey(7);
  EXPECT_EQ(sorted(sums.collect()), plainReduceByKey(records, kAdd));
  EXPECT_EQ(normalized(groups.collect()), plainGroupByKey(records));
  EXPECT_EQ(sorted(sums.collect()), plainReduceByKey(records, kAdd));
}

}  // namespace
