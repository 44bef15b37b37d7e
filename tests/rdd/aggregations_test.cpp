// combineByKey, aggregateByKey, foldByKey, groupByKey of a huge key,
// countByKey, collectAsMap, lookup, flatMapValues and sampleByKey, each
// against a plain loop over the same input: skewed keys, one hot key,
// string keys, keys of a user type and empty inputs.

#include <gtest/gtest.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "support/pairs.hpp"
#include "support/reference.hpp"
#include "support/shapes.hpp"

namespace {

using ember::testing::asGroups;
using ember::testing::asMap;
using ember::testing::plainGroups;
using ember::testing::plainSums;
using ember::testing::randomInts;
using ember::testing::ShapedTest;
using ember::testing::sorted;
using ember::testing::UserKey;
using ember::testing::zipfRecords;

using Pair = std::pair<int, int64_t>;

// ---------------------------------------------------------------- combineByKey

class CombineByKey : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(CombineByKey);

/// (sum, count) of each key's values.
using SumCount = std::pair<int64_t, int64_t>;

template <class K>
std::map<K, SumCount> plainSumCounts(const std::vector<std::pair<K, int64_t>>& records) {
  std::map<K, SumCount> out;
  for (const auto& [k, v] : records) {
    out[k].first += v;
    ++out[k].second;
  }
  return out;
}

const auto kStart = [](const int64_t& v) { return SumCount(v, 1); };
const auto kAddValue = [](SumCount c, const int64_t& v) {
  return SumCount(c.first + v, c.second + 1);
};
const auto kMergeCombiners = [](SumCount a, SumCount b) {
  return SumCount(a.first + b.first, a.second + b.second);
};

TEST_P(CombineByKey, BuildsOneCombinerPerKeyOfSkewedKeys) {
  const auto records = zipfRecords(20000, 500, 1);
  const auto expected = plainSumCounts(records);
  for (int n : {0, 1, 4, 16}) {
    SCOPED_TRACE("numPartitions " + std::to_string(n));
    auto out = ctx().parallelize(records, 6).combineByKey(kStart, kAddValue, kMergeCombiners, n);
    EXPECT_EQ(out.getNumPartitions(), n > 0 ? n : 6);
    size_t twice = 0;
    EXPECT_EQ(asMap(out.collect(), &twice), expected);
    EXPECT_EQ(twice, 0u);
  }
}

TEST_P(CombineByKey, CombinesKeysOfAUserTypeIntoVectors) {
  std::vector<std::pair<UserKey, int64_t>> records;
  for (int x : randomInts(3000, 600, 2))
    records.emplace_back(UserKey{"user" + std::to_string(x % 31), x % 3}, x);
  auto out = ctx()
                 .parallelize(records, 5)
                 .combineByKey([](const int64_t& v) { return std::vector<int64_t>{v}; },
                               [](std::vector<int64_t> c, const int64_t& v) {
                                 c.push_back(v);
                                 return c;
                               },
                               [](std::vector<int64_t> a, std::vector<int64_t> b) {
                                 a.insert(a.end(), b.begin(), b.end());
                                 return a;
                               },
                               3);
  size_t twice = 0;
  EXPECT_EQ(asGroups(out.collect(), &twice), plainGroups(records));
  EXPECT_EQ(twice, 0u);
}

TEST_P(CombineByKey, OfEmptyInputIsEmpty) {
  EXPECT_TRUE(ctx()
                  .parallelize(std::vector<Pair>{}, 3)
                  .combineByKey(kStart, kAddValue, kMergeCombiners, 2)
                  .collect()
                  .empty());
}

// ---------------------------------------------------------------- aggregateByKey

class AggregateByKey : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(AggregateByKey);

TEST_P(AggregateByKey, FoldsValuesIntoAnotherTypeFromANeutralZero) {
  // (min, max, count) per key; the zero is neutral for min and max.
  using Stats = std::tuple<int64_t, int64_t, int64_t>;
  std::vector<std::pair<std::string, int64_t>> records;
  for (int x : randomInts(10000, 5000, 3))
    records.emplace_back("k" + std::to_string(x % 97), x - 2500);
  std::map<std::string, Stats> expected;
  for (const auto& [k, v] : records) {
    auto [it, fresh] = expected.try_emplace(k, Stats(v, v, 0));
    auto& [lo, hi, n] = it->second;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
    ++n;
  }
  const Stats zero(INT64_MAX, INT64_MIN, 0);
  auto seq = [](Stats s, const int64_t& v) {
    return Stats(std::min(std::get<0>(s), v), std::max(std::get<1>(s), v), std::get<2>(s) + 1);
  };
  auto comb = [](Stats a, Stats b) {
    return Stats(std::min(std::get<0>(a), std::get<0>(b)), std::max(std::get<1>(a), std::get<1>(b)),
                 std::get<2>(a) + std::get<2>(b));
  };
  for (int n : {0, 3}) {
    SCOPED_TRACE("numPartitions " + std::to_string(n));
    size_t twice = 0;
    EXPECT_EQ(
        asMap(ctx().parallelize(records, 7).aggregateByKey(zero, seq, comb, n).collect(), &twice),
        expected);
    EXPECT_EQ(twice, 0u);
  }
}

TEST_P(AggregateByKey, GathersDistinctValuesOfAHotKey) {
  std::vector<Pair> records;
  for (int x : randomInts(20000, 300, 4)) records.emplace_back(x < 270 ? 0 : x, x % 50);
  std::map<int, std::vector<int64_t>> expected;
  for (const auto& [k, v] : records) {
    auto& vs = expected[k];
    if (std::find(vs.begin(), vs.end(), v) == vs.end()) vs.push_back(v);
  }
  for (auto& [k, vs] : expected) std::sort(vs.begin(), vs.end());
  auto addSorted = [](std::vector<int64_t> acc, const int64_t& v) {
    auto it = std::lower_bound(acc.begin(), acc.end(), v);
    if (it == acc.end() || *it != v) acc.insert(it, v);
    return acc;
  };
  auto merge = [](std::vector<int64_t> a, std::vector<int64_t> b) {
    std::vector<int64_t> out;
    std::set_union(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
    return out;
  };
  auto out =
      ctx().parallelize(records, 5).aggregateByKey(std::vector<int64_t>{}, addSorted, merge, 4);
  size_t twice = 0;
  EXPECT_EQ(asMap(out.collect(), &twice), expected);
  EXPECT_EQ(twice, 0u);
}

// ---------------------------------------------------------------- foldByKey

class FoldByKey : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(FoldByKey);

TEST_P(FoldByKey, FoldsFromANeutralZero) {
  const auto records = zipfRecords(15000, 800, 5);
  std::map<int, int64_t> maxima;
  for (const auto& [k, v] : records) {
    auto [it, fresh] = maxima.try_emplace(k, v);
    it->second = std::max(it->second, v);
  }
  for (int slices : {1, 4, 9}) {
    SCOPED_TRACE("slices " + std::to_string(slices));
    auto rdd = ctx().parallelize(records, slices);
    size_t twice = 0;
    EXPECT_EQ(asMap(rdd.foldByKey(0, std::plus<>{}).collect(), &twice), plainSums(records));
    EXPECT_EQ(asMap(rdd.foldByKey(
                           INT64_MIN, [](int64_t a, int64_t b) { return std::max(a, b); }, 3)
                        .collect(),
                    &twice),
              maxima);
    EXPECT_EQ(twice, 0u);
  }
}

// ---------------------------------------------------------------- groupByKey

class GroupByKeyOfAHugeKey : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(GroupByKeyOfAHugeKey);

TEST_P(GroupByKeyOfAHugeKey, KeepsEveryValueOfTheHotKey) {
  std::vector<std::pair<std::string, int64_t>> records;
  for (int i = 0; i < 60000; ++i)
    records.emplace_back(i % 10 ? "hot" : "cold" + std::to_string(i % 900), i);
  for (int n : {1, 4}) {
    SCOPED_TRACE("numPartitions " + std::to_string(n));
    size_t twice = 0;
    EXPECT_EQ(asGroups(ctx().parallelize(records, 6).groupByKey(n).collect(), &twice),
              plainGroups(records));
    EXPECT_EQ(twice, 0u);
  }
}

TEST_P(GroupByKeyOfAHugeKey, GroupsKeysOfAUserType) {
  std::vector<std::pair<UserKey, int64_t>> records;
  for (int x : randomInts(4000, 100, 6))
    records.emplace_back(UserKey{x < 60 ? "hot" : "c" + std::to_string(x), 0}, x);
  size_t twice = 0;
  EXPECT_EQ(asGroups(ctx().parallelize(records, 3).groupByKey(5).collect(), &twice),
            plainGroups(records));
  EXPECT_EQ(twice, 0u);
}

// ---------------------------------------------------------------- actions on pairs

class PairActions : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(PairActions);

TEST_P(PairActions, CountByKeyCountsSkewedKeys) {
  const auto records = zipfRecords(30000, 2000, 7);
  std::map<int, int64_t> expected;
  for (const auto& kv : records) ++expected[kv.first];
  EXPECT_EQ(ctx().parallelize(records, 5).countByKey(), expected);
}

TEST_P(PairActions, CollectAsMapKeepsOneValueOfEachKey) {
  std::vector<Pair> unique;
  for (int i = 0; i < 500; ++i) unique.emplace_back(i * 7 % 500, i);
  EXPECT_EQ(ctx().parallelize(unique, 4).collectAsMap(),
            (std::map<int, int64_t>(unique.begin(), unique.end())));
  // With repeated keys, the value is one of the key's values.
  const auto records = zipfRecords(3000, 100, 8);
  const auto groups = plainGroups(records);
  const auto map = ctx().parallelize(records, 4).collectAsMap();
  ASSERT_EQ(map.size(), groups.size());
  for (const auto& [k, v] : map) {
    ASSERT_TRUE(groups.contains(k));
    EXPECT_TRUE(std::binary_search(groups.at(k).begin(), groups.at(k).end(), v)) << "key " << k;
  }
  EXPECT_TRUE(ctx().parallelize(std::vector<Pair>{}, 2).collectAsMap().empty());
}

TEST_P(PairActions, LookupFindsEveryValueOfAKey) {
  std::vector<std::pair<std::string, int64_t>> records;
  for (int x : randomInts(5000, 200, 9))
    records.emplace_back(x < 100 ? "hot" : "k" + std::to_string(x), x);
  const auto groups = plainGroups(records);
  auto rdd = ctx().parallelize(records, 4);
  for (const std::string key : {"hot", "k150", "k199", "missing"}) {
    const auto it = groups.find(key);
    const std::vector<int64_t> expected = it == groups.end() ? std::vector<int64_t>{} : it->second;
    EXPECT_EQ(sorted(rdd.lookup(key)), expected) << key;
    EXPECT_EQ(sorted(rdd.partitionBy(3).lookup(key)), expected) << key << " (partitioned)";
  }
}

// ---------------------------------------------------------------- flatMapValues

class FlatMapValues : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(FlatMapValues);

TEST_P(FlatMapValues, PairsTheKeyWithEachValueOfTheRange) {
  const auto records = zipfRecords(2000, 60, 10);
  auto expand = [](const int64_t& v) {
    std::vector<std::string> out;
    for (int64_t i = 0; i < v % 4; ++i) out.push_back(std::to_string(v) + "." + std::to_string(i));
    return out;  // empty for a quarter of the values
  };
  std::vector<std::pair<int, std::string>> expected;
  for (const auto& [k, v] : records) {
    for (auto& w : expand(v)) expected.emplace_back(k, w);
  }
  for (int slices : {1, 3, 8}) {
    SCOPED_TRACE("slices " + std::to_string(slices));
    EXPECT_EQ(ctx().parallelize(records, slices).flatMapValues(expand).collect(), expected);
  }
}

// ---------------------------------------------------------------- sampleByKey

class SampleByKey : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(SampleByKey);

TEST_P(SampleByKey, KeepsEachKeysShareOfItsPairs) {
  std::vector<Pair> records;
  for (int i = 0; i < 30000; ++i) records.emplace_back(i % 3, i);
  const std::map<int, double> fractions = {{0, 0.0}, {1, 1.0}, {2, 0.3}};
  auto sample = ctx().parallelize(records, 4).sampleByKey(false, fractions, 42).collect();
  std::map<int, int64_t> counts;
  std::set<Pair> seen;
  const std::set<Pair> input(records.begin(), records.end());
  for (const auto& kv : sample) {
    ++counts[kv.first];
    EXPECT_TRUE(input.contains(kv)) << "a pair that was not in the input";
    EXPECT_TRUE(seen.insert(kv).second) << "a pair sampled twice without replacement";
  }
  EXPECT_EQ(counts[0], 0);
  EXPECT_EQ(counts[1], 10000);
  // Binomial(10000, 0.3): sd about 46.
  EXPECT_NEAR(static_cast<double>(counts[2]), 3000, 6 * std::sqrt(10000 * 0.3 * 0.7));
  // The same seed, the same sample.
  EXPECT_EQ(ctx().parallelize(records, 4).sampleByKey(false, fractions, 42).collect(), sample);
}

TEST_P(SampleByKey, WithReplacementRepeatsPairsAtTheRate) {
  std::vector<Pair> records;
  for (int i = 0; i < 20000; ++i) records.emplace_back(i % 2, i);
  const std::map<int, double> fractions = {{0, 2.0}, {1, 0.5}};
  std::map<int, int64_t> counts;
  for (const auto& kv : ctx().parallelize(records, 3).sampleByKey(true, fractions, 7).collect())
    ++counts[kv.first];
  // Sums of 10000 Poisson(f): sd sqrt(10000 f).
  EXPECT_NEAR(static_cast<double>(counts[0]), 20000, 6 * std::sqrt(20000.0));
  EXPECT_NEAR(static_cast<double>(counts[1]), 5000, 6 * std::sqrt(5000.0));
}

TEST_P(SampleByKey, RejectsBadFractionsAndKeysWithoutOne) {
  auto rdd = ctx().parallelize(std::vector<Pair>{{1, 1}, {2, 2}}, 2);
  EXPECT_THROW(rdd.sampleByKey(false, std::map<int, double>{{1, 1.5}, {2, 0.5}}), ember::Error);
  EXPECT_THROW(rdd.sampleByKey(true, std::map<int, double>{{1, -0.1}, {2, 0.5}}), ember::Error);
  EXPECT_THROW(rdd.sampleByKey(false, std::map<int, double>{{1, 0.5}}).collect(), ember::JobFailed);
}

}  // namespace
