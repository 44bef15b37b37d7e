// join, the outer joins, cogroup of two and three RDDs, and subtractByKey:
// every result is checked against a plain loop over the same input, with
// duplicate keys on both sides, skewed keys, empty sides, string keys and
// keys of a user type.

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>
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

template <class K, class V>
using Pairs = std::vector<std::pair<K, V>>;

/// (key, position) pairs with random keys in [0, keys): many duplicates.
Pairs<int, int> ints(int n, int keys, unsigned seed) {
  Pairs<int, int> out;
  const auto ks = randomInts(n, keys, seed);
  for (int i = 0; i < n; ++i) out.emplace_back(ks[static_cast<size_t>(i)], i);
  return out;
}

/// As ints(), with string values, so that the sides of a join differ in type.
Pairs<int, std::string> strings(int n, int keys, unsigned seed) {
  Pairs<int, std::string> out;
  const auto ks = randomInts(n, keys, seed);
  for (int i = 0; i < n; ++i) out.emplace_back(ks[static_cast<size_t>(i)], "w" + std::to_string(i));
  return out;
}

/// The values of each key of `records`.
template <class K, class V>
std::map<K, std::vector<V>> byKey(const Pairs<K, V>& records) {
  std::map<K, std::vector<V>> out;
  for (const auto& [k, v] : records) out[k].push_back(v);
  return out;
}

/// The plain answers of join and the outer joins, sorted. The missing side
/// of an outer join's pair is std::nullopt.
template <bool kLeftOuter, bool kRightOuter, class K, class V, class W>
auto plainJoin(const Pairs<K, V>& left, const Pairs<K, W>& right) {
  using L = std::conditional_t<kRightOuter, std::optional<V>, V>;
  using R = std::conditional_t<kLeftOuter, std::optional<W>, W>;
  std::vector<std::pair<K, std::pair<L, R>>> out;
  const auto l = byKey(left);
  const auto r = byKey(right);
  for (const auto& [k, vs] : l) {
    auto it = r.find(k);
    for (const V& v : vs) {
      if (it != r.end()) {
        for (const W& w : it->second) out.emplace_back(k, std::pair<L, R>(v, w));
      } else if constexpr (kLeftOuter) {
        out.emplace_back(k, std::pair<L, R>(v, std::nullopt));
      }
    }
  }
  if constexpr (kRightOuter) {
    for (const auto& [k, ws] : r) {
      if (l.contains(k)) continue;
      for (const W& w : ws) out.emplace_back(k, std::pair<L, R>(std::nullopt, w));
    }
  }
  return sorted(std::move(out));
}

/// The plain cogroup: (key, (sorted values here, sorted values there)) for
/// every key of either side, sorted by key.
template <class K, class V, class W>
auto plainCogroup(const Pairs<K, V>& left, const Pairs<K, W>& right) {
  std::map<K, std::pair<std::vector<V>, std::vector<W>>> groups;
  for (const auto& [k, v] : left) groups[k].first.push_back(v);
  for (const auto& [k, w] : right) groups[k].second.push_back(w);
  std::vector<std::pair<K, std::pair<std::vector<V>, std::vector<W>>>> out;
  for (auto& [k, g] : groups) {
    out.emplace_back(k, std::pair(sorted(g.first), sorted(g.second)));
  }
  return out;
}

/// cogroup's output with every group sorted and the keys in order.
template <class K, class G>
std::vector<std::pair<K, G>> normalizedGroups(std::vector<std::pair<K, G>> groups) {
  for (auto& [k, g] : groups) {
    std::apply([](auto&... sides) { (std::sort(sides.begin(), sides.end()), ...); }, g);
  }
  return sorted(std::move(groups));
}

// ---------------------------------------------------------------- join

class Join : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(Join);

TEST_P(Join, KeepsEveryPairOfValuesOfAKey) {
  const auto left = ints(400, 30, 1);      // about 13 values per key
  const auto right = strings(150, 40, 2);  // keys 30..39 only on the right
  const auto expected = plainJoin<false, false>(left, right);
  ASSERT_GT(expected.size(), left.size());  // duplicates on both sides multiply
  for (auto [l, r] : {std::pair{1, 1}, std::pair{3, 5}, std::pair{8, 2}}) {
    SCOPED_TRACE("slices " + std::to_string(l) + " and " + std::to_string(r));
    auto joined = ctx().parallelize(left, l).join(ctx().parallelize(right, r));
    EXPECT_EQ(sorted(joined.collect()), expected);
  }
}

TEST_P(Join, UsesTheRequestedPartitionCountAndPlacesKeysByHash) {
  const auto left = ints(300, 25, 3);
  const auto right = ints(200, 25, 4);
  const auto expected = plainJoin<false, false>(left, right);
  for (int n : {1, 4, 9}) {
    SCOPED_TRACE("numPartitions " + std::to_string(n));
    auto joined = ctx().parallelize(left, 3).join(ctx().parallelize(right, 2), n);
    EXPECT_EQ(joined.getNumPartitions(), n);
    const auto parts = joined.glom().collect();
    ASSERT_EQ(parts.size(), static_cast<size_t>(n));
    const ember::HashPartitioner byHash(n);
    std::vector<std::pair<int, std::pair<int, int>>> all;
    for (size_t p = 0; p < parts.size(); ++p) {
      for (const auto& kv : parts[p]) {
        EXPECT_EQ(byHash.getPartition(kv.first), static_cast<int>(p)) << "key " << kv.first;
        all.push_back(kv);
      }
    }
    EXPECT_EQ(sorted(all), expected);
  }
}

TEST_P(Join, IsEmptyWhenEitherSideIsEmpty) {
  const auto some = ints(100, 10, 5);
  const Pairs<int, int> none;
  EXPECT_TRUE(ctx().parallelize(none, 3).join(ctx().parallelize(some, 2)).collect().empty());
  EXPECT_TRUE(ctx().parallelize(some, 2).join(ctx().parallelize(none, 3)).collect().empty());
  EXPECT_TRUE(ctx().parallelize(none, 2).join(ctx().parallelize(none, 1)).collect().empty());
  auto emptyRdd = ctx().emptyRDD<std::pair<int, int>>();  // no partitions at all
  EXPECT_TRUE(emptyRdd.join(ctx().parallelize(some, 2)).collect().empty());
}

TEST_P(Join, IsEmptyWhenNoKeyIsShared) {
  Pairs<int, int> evens, odds;
  for (int i = 0; i < 200; ++i) (i % 2 ? odds : evens).emplace_back(i, i);
  EXPECT_TRUE(ctx().parallelize(evens, 3).join(ctx().parallelize(odds, 4)).collect().empty());
}

TEST_P(Join, HandlesSkewedKeysOnBothSides) {
  Pairs<int, int> left, right;
  const auto lk = zipfKeys(3000, 300, 1.2, 6);
  const auto rk = zipfKeys(400, 300, 1.2, 7);
  for (size_t i = 0; i < lk.size(); ++i) left.emplace_back(lk[i], static_cast<int>(i));
  for (size_t i = 0; i < rk.size(); ++i) right.emplace_back(rk[i], -static_cast<int>(i));
  const auto expected = plainJoin<false, false>(left, right);
  auto joined = ctx().parallelize(left, 6).join(ctx().parallelize(right, 3), 5);
  EXPECT_EQ(sorted(joined.collect()), expected);
}

TEST_P(Join, OfAnRddWithItselfPairsEveryTwoValuesOfAKey) {
  const auto records = ints(200, 15, 8);
  const auto expected = plainJoin<false, false>(records, records);
  auto rdd = ctx().parallelize(records, 4);
  EXPECT_EQ(sorted(rdd.join(rdd).collect()), expected);
}

TEST_P(Join, MatchesStringKeys) {
  Pairs<std::string, int> left;
  Pairs<std::string, double> right;
  for (int x : randomInts(500, 60, 9)) left.emplace_back("key-" + std::to_string(x), x);
  for (int x : randomInts(120, 80, 10)) right.emplace_back("key-" + std::to_string(x), x * 0.5);
  EXPECT_EQ(sorted(ctx().parallelize(left, 4).join(ctx().parallelize(right, 3)).collect()),
            (plainJoin<false, false>(left, right)));
}

TEST_P(Join, MatchesKeysOfAUserType) {
  Pairs<UserKey, int> left, right;
  for (int x : randomInts(400, 50, 11))
    left.emplace_back(UserKey{"u" + std::to_string(x % 7), x % 5}, x);
  for (int x : randomInts(100, 50, 12))
    right.emplace_back(UserKey{"u" + std::to_string(x % 7), x % 5}, -x);
  EXPECT_EQ(sorted(ctx().parallelize(left, 3).join(ctx().parallelize(right, 2), 4).collect()),
            (plainJoin<false, false>(left, right)));
}

// ---------------------------------------------------------------- outer joins

class LeftOuterJoin : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(LeftOuterJoin);

TEST_P(LeftOuterJoin, KeepsLeftKeysMissingOnTheRightWithNullopt) {
  const auto left = ints(300, 40, 13);
  const auto right = strings(100, 20, 14);  // keys 20..39 only on the left
  const auto expected = plainJoin<true, false>(left, right);
  for (int slices : {1, 3, 7}) {
    SCOPED_TRACE("slices " + std::to_string(slices));
    auto joined = ctx().parallelize(left, slices).leftOuterJoin(ctx().parallelize(right, 2));
    EXPECT_EQ(sorted(joined.collect()), expected);
  }
}

TEST_P(LeftOuterJoin, OfEmptySides) {
  const auto left = ints(50, 10, 15);
  const Pairs<int, int> none;
  const auto expected = plainJoin<true, false>(left, none);
  ASSERT_EQ(expected.size(), left.size());
  EXPECT_EQ(sorted(ctx().parallelize(left, 3).leftOuterJoin(ctx().parallelize(none, 2)).collect()),
            expected);
  EXPECT_TRUE(
      ctx().parallelize(none, 2).leftOuterJoin(ctx().parallelize(left, 3)).collect().empty());
  EXPECT_TRUE(
      ctx().parallelize(none, 2).leftOuterJoin(ctx().parallelize(none, 2)).collect().empty());
}

class RightOuterJoin : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(RightOuterJoin);

TEST_P(RightOuterJoin, KeepsRightKeysMissingOnTheLeftWithNullopt) {
  const auto left = strings(150, 20, 16);
  const auto right = ints(300, 40, 17);
  const auto expected = plainJoin<false, true>(left, right);
  for (int slices : {1, 4}) {
    SCOPED_TRACE("slices " + std::to_string(slices));
    auto joined = ctx().parallelize(left, 2).rightOuterJoin(ctx().parallelize(right, slices), 3);
    EXPECT_EQ(joined.getNumPartitions(), 3);
    EXPECT_EQ(sorted(joined.collect()), expected);
  }
}

TEST_P(RightOuterJoin, OfEmptySides) {
  const auto right = ints(60, 10, 18);
  const Pairs<int, int> none;
  const auto expected = plainJoin<false, true>(none, right);
  ASSERT_EQ(expected.size(), right.size());
  EXPECT_EQ(
      sorted(ctx().parallelize(none, 2).rightOuterJoin(ctx().parallelize(right, 3)).collect()),
      expected);
  EXPECT_TRUE(
      ctx().parallelize(right, 3).rightOuterJoin(ctx().parallelize(none, 2)).collect().empty());
}

class FullOuterJoin : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(FullOuterJoin);

TEST_P(FullOuterJoin, KeepsKeysOfEitherSide) {
  Pairs<int, int> left, right;
  for (int x : randomInts(300, 60, 19)) left.emplace_back(x, x * 3);     // keys 0..59
  for (int x : randomInts(250, 60, 20)) right.emplace_back(x + 30, -x);  // keys 30..89
  const auto expected = plainJoin<true, true>(left, right);
  for (int slices : {1, 2, 5}) {
    SCOPED_TRACE("slices " + std::to_string(slices));
    auto joined = ctx().parallelize(left, slices).fullOuterJoin(ctx().parallelize(right, 3));
    EXPECT_EQ(sorted(joined.collect()), expected);
  }
}

TEST_P(FullOuterJoin, OfEmptySides) {
  const auto some = strings(80, 12, 21);
  const Pairs<int, int> none;
  EXPECT_EQ(sorted(ctx().parallelize(none, 2).fullOuterJoin(ctx().parallelize(some, 3)).collect()),
            (plainJoin<true, true>(none, some)));
  EXPECT_EQ(sorted(ctx().parallelize(some, 3).fullOuterJoin(ctx().parallelize(none, 2)).collect()),
            (plainJoin<true, true>(some, none)));
  EXPECT_TRUE(
      ctx().parallelize(none, 2).fullOuterJoin(ctx().parallelize(none, 2)).collect().empty());
}

TEST_P(FullOuterJoin, HandlesOneKeyHoldingMostRecords) {
  Pairs<std::string, int> left, right;
  for (int i = 0; i < 2000; ++i) left.emplace_back(i % 20 ? "hot" : "l" + std::to_string(i), i);
  for (int i = 0; i < 60; ++i) right.emplace_back(i % 3 ? "hot" : "r" + std::to_string(i), -i);
  EXPECT_EQ(
      sorted(ctx().parallelize(left, 4).fullOuterJoin(ctx().parallelize(right, 2), 3).collect()),
      (plainJoin<true, true>(left, right)));
}

// ---------------------------------------------------------------- cogroup

class Cogroup : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(Cogroup);

TEST_P(Cogroup, GathersEachSidesValuesOfAKey) {
  const auto left = ints(500, 50, 22);
  const auto right = strings(200, 70, 23);
  const auto expected = plainCogroup(left, right);
  for (int n : {1, 3, 8}) {
    SCOPED_TRACE("numPartitions " + std::to_string(n));
    auto groups = ctx().parallelize(left, 4).cogroup(ctx().parallelize(right, 3), n);
    EXPECT_EQ(groups.getNumPartitions(), n);
    EXPECT_EQ(normalizedGroups(groups.collect()), expected);
  }
}

TEST_P(Cogroup, DefaultsToTheWidestSidesPartitionCount) {
  auto groups =
      ctx().parallelize(ints(50, 5, 24), 2).cogroup(ctx().parallelize(ints(50, 5, 25), 6));
  EXPECT_EQ(groups.getNumPartitions(), 6);
}

TEST_P(Cogroup, OfEmptySidesGivesEmptyGroupsThere) {
  const auto some = ints(90, 9, 26);
  const Pairs<int, std::string> none;
  EXPECT_EQ(
      normalizedGroups(ctx().parallelize(some, 3).cogroup(ctx().parallelize(none, 2)).collect()),
      plainCogroup(some, none));
  EXPECT_EQ(
      normalizedGroups(ctx().parallelize(none, 2).cogroup(ctx().parallelize(some, 3)).collect()),
      plainCogroup(none, some));
  EXPECT_TRUE(ctx().parallelize(none, 2).cogroup(ctx().parallelize(none, 2)).collect().empty());
}

TEST_P(Cogroup, OfThreeRddsGathersEverySidesValues) {
  const auto a = ints(300, 30, 27);
  const auto b = strings(100, 45, 28);
  Pairs<int, double> c;
  for (int x : zipfKeys(400, 60, 1.1, 29)) c.emplace_back(x, x * 0.25);
  using Groups = std::tuple<std::vector<int>, std::vector<std::string>, std::vector<double>>;
  std::map<int, Groups> plain;
  for (const auto& [k, v] : a) std::get<0>(plain[k]).push_back(v);
  for (const auto& [k, v] : b) std::get<1>(plain[k]).push_back(v);
  for (const auto& [k, v] : c) std::get<2>(plain[k]).push_back(v);
  std::vector<std::pair<int, Groups>> expected(plain.begin(), plain.end());
  expected = normalizedGroups(std::move(expected));
  for (int n : {1, 5}) {
    SCOPED_TRACE("numPartitions " + std::to_string(n));
    auto groups =
        ctx().parallelize(a, 3).cogroup(ctx().parallelize(b, 2), ctx().parallelize(c, 4), n);
    EXPECT_EQ(groups.getNumPartitions(), n);
    EXPECT_EQ(normalizedGroups(groups.collect()), expected);
  }
  // One side empty: its group is empty for every key.
  const Pairs<int, std::string> none;
  std::map<int, Groups> plainNoB;
  for (const auto& [k, v] : a) std::get<0>(plainNoB[k]).push_back(v);
  for (const auto& [k, v] : c) std::get<2>(plainNoB[k]).push_back(v);
  std::vector<std::pair<int, Groups>> expectedNoB(plainNoB.begin(), plainNoB.end());
  EXPECT_EQ(normalizedGroups(ctx()
                                 .parallelize(a, 2)
                                 .cogroup(ctx().parallelize(none, 3), ctx().parallelize(c, 2))
                                 .collect()),
            normalizedGroups(std::move(expectedNoB)));
}

// ---------------------------------------------------------------- subtractByKey

class SubtractByKey : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(SubtractByKey);

TEST_P(SubtractByKey, DropsThePairsWhoseKeyTheOtherHas) {
  const auto left = ints(400, 50, 30);
  const auto right = strings(60, 100, 31);  // some keys only on the right
  std::map<int, int> rightKeys;
  for (const auto& kv : right) rightKeys[kv.first] = 1;
  std::vector<std::pair<int, int>> expected;
  for (const auto& kv : left) {
    if (!rightKeys.contains(kv.first)) expected.push_back(kv);
  }
  ASSERT_FALSE(expected.empty());
  ASSERT_LT(expected.size(), left.size());
  for (int slices : {1, 3, 6}) {
    SCOPED_TRACE("slices " + std::to_string(slices));
    auto rest = ctx().parallelize(left, slices).subtractByKey(ctx().parallelize(right, 2));
    EXPECT_EQ(sorted(rest.collect()), sorted(expected));  // duplicates kept
  }
}

TEST_P(SubtractByKey, OfEmptySides) {
  const auto some = ints(100, 10, 32);
  const Pairs<int, int> none;
  EXPECT_EQ(sorted(ctx().parallelize(some, 3).subtractByKey(ctx().parallelize(none, 2)).collect()),
            sorted(some));
  EXPECT_TRUE(
      ctx().parallelize(none, 3).subtractByKey(ctx().parallelize(some, 2)).collect().empty());
  EXPECT_TRUE(
      ctx().parallelize(some, 3).subtractByKey(ctx().parallelize(some, 2)).collect().empty());
}

}  // namespace
