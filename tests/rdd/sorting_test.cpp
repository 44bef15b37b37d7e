// sortByKey (ascending, descending, custom order), sortBy, RangePartitioner
// bounds and repartitionAndSortWithinPartitions, each checked against
// std::sort over the same input.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "support/pairs.hpp"
#include "support/reference.hpp"
#include "support/shapes.hpp"

namespace {

using ember::testing::randomInts;
using ember::testing::ShapedTest;
using ember::testing::sorted;
using ember::testing::UserKey;
using ember::testing::zipfKeys;

using Pair = std::pair<int, int>;

std::vector<Pair> records(int n, int keys, unsigned seed) {
  std::vector<Pair> out;
  const auto ks = randomInts(n, keys, seed);
  for (int i = 0; i < n; ++i) out.emplace_back(ks[static_cast<size_t>(i)], i);
  return out;
}

template <class K, class V>
std::vector<K> keysOf(const std::vector<std::pair<K, V>>& pairs) {
  std::vector<K> keys;
  for (const auto& kv : pairs) keys.push_back(kv.first);
  return keys;
}

/// The keys of `input` in the order `comp` sorts them.
template <class K, class V, class Compare = std::less<>>
std::vector<K> plainSortedKeys(const std::vector<std::pair<K, V>>& input, Compare comp = {}) {
  auto keys = keysOf(input);
  std::sort(keys.begin(), keys.end(), comp);
  return keys;
}

/// Checks that partition i's keys all come before partition i+1's under
/// `before` (a key never in two partitions), and each partition is sorted.
template <class K, class V, class Before>
void expectRangesInOrder(const std::vector<std::vector<std::pair<K, V>>>& parts, Before before) {
  const std::vector<std::pair<K, V>>* last = nullptr;
  for (size_t p = 0; p < parts.size(); ++p) {
    const auto& part = parts[p];
    for (size_t i = 1; i < part.size(); ++i) {
      ASSERT_FALSE(before(part[i].first, part[i - 1].first)) << "partition " << p << " at " << i;
    }
    if (part.empty()) continue;
    if (last) {
      EXPECT_TRUE(before(last->back().first, part.front().first))
          << "partition " << p << " starts at " << part.front().first
          << ", not after the previous one's last key " << last->back().first;
    }
    last = &part;
  }
}

// ---------------------------------------------------------------- sortByKey

class SortByKey : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(SortByKey);

TEST_P(SortByKey, SortsAscendingWithinAndAcrossPartitions) {
  const auto input = records(5000, 700, 1);
  for (int n : {1, 3, 8}) {
    SCOPED_TRACE("numPartitions " + std::to_string(n));
    auto out = ctx().parallelize(input, 4).sortByKey(true, n);
    EXPECT_LE(out.getNumPartitions(), n);
    EXPECT_GE(out.getNumPartitions(), 1);
    const auto all = out.collect();
    EXPECT_EQ(keysOf(all), plainSortedKeys(input));
    EXPECT_EQ(sorted(all), sorted(input));  // the values travel with their keys
    expectRangesInOrder(out.glom().collect(), std::less<>{});
  }
}

TEST_P(SortByKey, SortsDescending) {
  const auto input = records(3000, 400, 2);
  auto out = ctx().parallelize(input, 3).sortByKey(false, 4);
  EXPECT_EQ(keysOf(out.collect()), plainSortedKeys(input, std::greater<>{}));
  EXPECT_EQ(sorted(out.collect()), sorted(input));
  expectRangesInOrder(out.glom().collect(), std::greater<>{});
}

TEST_P(SortByKey, FollowsACustomComparator) {
  // Shortest first, then alphabetical.
  auto shorter = [](const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() < b.size() : a < b;
  };
  std::vector<std::pair<std::string, int>> input;
  for (int x : randomInts(2000, 5000, 3))
    input.emplace_back(std::string(x % 7 + 1, 'a' + x % 26), x);
  for (bool ascending : {true, false}) {
    SCOPED_TRACE(ascending ? "ascending" : "descending");
    auto out = ctx().parallelize(input, 4).sortByKey(ascending, 3, shorter);
    auto expected = plainSortedKeys(input, shorter);
    if (!ascending) std::reverse(expected.begin(), expected.end());
    EXPECT_EQ(keysOf(out.collect()), expected);
    auto before = [&](const std::string& a, const std::string& b) {
      return ascending ? shorter(a, b) : shorter(b, a);
    };
    expectRangesInOrder(out.glom().collect(), before);
  }
}

TEST_P(SortByKey, SortsKeysOfAUserType) {
  std::vector<std::pair<UserKey, int>> input;
  for (int x : randomInts(1500, 300, 4))
    input.emplace_back(UserKey{"n" + std::to_string(x % 13), x % 5}, x);
  auto out = ctx().parallelize(input, 3).sortByKey(true, 4);
  EXPECT_EQ(keysOf(out.collect()), plainSortedKeys(input));
  expectRangesInOrder(out.glom().collect(), std::less<>{});
}

TEST_P(SortByKey, KeepsSkewedKeysInOnePartitionEach) {
  std::vector<Pair> input;
  for (int k : zipfKeys(6000, 50, 1.5, 5)) input.emplace_back(k, k * 2);
  auto out = ctx().parallelize(input, 4).sortByKey(true, 6);
  EXPECT_EQ(keysOf(out.collect()), plainSortedKeys(input));
  expectRangesInOrder(out.glom().collect(), std::less<>{});
}

TEST_P(SortByKey, OfEmptyInputIsEmpty) {
  EXPECT_TRUE(ctx().parallelize(std::vector<Pair>{}, 3).sortByKey().collect().empty());
  EXPECT_TRUE(ctx().parallelize(std::vector<Pair>{}, 3).sortByKey(false, 5).collect().empty());
}

// ---------------------------------------------------------------- sortBy

class SortBy : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(SortBy);

TEST_P(SortBy, SortsElementsByTheirKey) {
  std::vector<std::string> words;
  for (int x : randomInts(1000, 300, 6)) words.push_back("w" + std::to_string(x * 37 % 1000));
  auto byLength = [](const std::string& w) { return std::pair(w.size(), w); };
  auto expected = words;
  std::sort(expected.begin(), expected.end(),
            [&](const auto& a, const auto& b) { return byLength(a) < byLength(b); });
  EXPECT_EQ(ctx().parallelize(words, 4).sortBy(byLength, true, 3).collect(), expected);
  std::reverse(expected.begin(), expected.end());
  EXPECT_EQ(ctx().parallelize(words, 4).sortBy(byLength, false, 2).collect(), expected);
}

// ---------------------------------------------------------------- RangePartitioner

class RangePartitioner : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(RangePartitioner);

TEST(RangePartitionerBounds, SendsKeysUpToEachBoundToItsPartition) {
  const ember::RangePartitioner<int> ascending({10, 20, 30});
  const ember::RangePartitioner<int> descending({10, 20, 30}, false);
  EXPECT_EQ(ascending.numPartitions(), 4);
  for (int key = -5; key < 40; ++key) {
    const int plain = key <= 10 ? 0 : key <= 20 ? 1 : key <= 30 ? 2 : 3;
    EXPECT_EQ(ascending.getPartition(key), plain) << "key " << key;
    EXPECT_EQ(descending.getPartition(key), 3 - plain) << "key " << key;
  }
  EXPECT_TRUE(ascending.equals(ember::RangePartitioner<int>({10, 20, 30})));
  EXPECT_FALSE(ascending.equals(descending));
  EXPECT_FALSE(ascending.equals(ember::RangePartitioner<int>({10, 20, 31})));
  EXPECT_FALSE(ascending.equals(ember::HashPartitioner(4)));
}

TEST_P(RangePartitioner, SampledBoundsCutTheKeysIntoOrderedRanges) {
  const auto input = records(8000, 100000, 7);
  auto rdd = ctx().parallelize(input, 5);
  const ember::RangePartitioner<int> partitioner(4, rdd);
  const auto& bounds = partitioner.bounds();
  EXPECT_EQ(partitioner.numPartitions(), 4);
  EXPECT_TRUE(std::is_sorted(bounds.begin(), bounds.end()));
  // Each range holds a fair share: the sample stands for the data.
  std::vector<int> sizes(4, 0);
  for (const auto& kv : input) ++sizes[static_cast<size_t>(partitioner.getPartition(kv.first))];
  for (int size : sizes) {
    EXPECT_GT(size, 8000 / 4 / 2);
    EXPECT_LT(size, 8000 / 4 * 2);
  }
  // partitionBy places every key where getPartition says.
  auto placed = rdd.partitionBy(partitioner).glom().collect();
  ASSERT_EQ(placed.size(), 4u);
  for (size_t p = 0; p < placed.size(); ++p) {
    for (const auto& kv : placed[p])
      ASSERT_EQ(partitioner.getPartition(kv.first), static_cast<int>(p));
  }
}

// ----------------------------------------------------------------
// repartitionAndSortWithinPartitions

class RepartitionAndSortWithinPartitions : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(RepartitionAndSortWithinPartitions);

TEST_P(RepartitionAndSortWithinPartitions, PlacesByThePartitionerAndSortsEachPartition) {
  const auto input = records(4000, 500, 8);
  for (bool descending : {false, true}) {
    SCOPED_TRACE(descending ? "greater" : "less");
    const ember::HashPartitioner byHash(5);
    auto out = descending ? ctx().parallelize(input, 3).repartitionAndSortWithinPartitions(
                                byHash, std::greater<>{})
                          : ctx().parallelize(input, 3).repartitionAndSortWithinPartitions(byHash);
    const auto parts = out.glom().collect();
    ASSERT_EQ(parts.size(), 5u);
    std::vector<Pair> all;
    for (size_t p = 0; p < parts.size(); ++p) {
      std::vector<Pair> expectedHere;
      for (const auto& kv : input) {
        if (byHash.getPartition(kv.first) == static_cast<int>(p)) expectedHere.push_back(kv);
      }
      auto keys = keysOf(expectedHere);
      if (descending) {
        std::sort(keys.begin(), keys.end(), std::greater<>{});
      } else {
        std::sort(keys.begin(), keys.end());
      }
      EXPECT_EQ(keysOf(parts[p]), keys) << "partition " << p;
      EXPECT_EQ(sorted(parts[p]), sorted(expectedHere)) << "partition " << p;
    }
  }
}

}  // namespace
