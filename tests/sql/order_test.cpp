// Sorting, sampling, repartitioning, null handling, describe and caching of
// DataFrames, against plain loops and std::sort over the same rows.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <ember/ember.hpp>

#include "support/shapes.hpp"
#include "support/tiny_memory.hpp"

namespace ember::testing {
namespace {

namespace F = ember::functions;
using ::testing::HasSubstr;
using ::testing::Not;
using Item =
    std::tuple<int64_t, std::optional<int64_t>, std::optional<double>, std::optional<std::string>>;

/// Rows (id, k, x, s) with nulls in every nullable column, repeated keys,
/// NaN, -0.0, infinities, and strings that are prefixes of each other.
std::vector<Item> items(int n) {
  const double specials[] = {std::nan(""), -0.0, 0.0, std::numeric_limits<double>::infinity(),
                             -std::numeric_limits<double>::infinity()};
  const char* const words[] = {"", "a", "ab", "abc", "b", "ba", "Z", "\xc3\xa9t\xc3\xa9"};
  std::vector<Item> rows;
  for (int i = 0; i < n; ++i) {
    std::optional<int64_t> k;
    if (i % 9 != 0) k = (i * 7919) % 41 - 20;
    std::optional<double> x;
    if (i % 13 != 0) x = i % 17 == 0 ? specials[i % 5] : ((i * 31) % 997) / 7.0 - 60;
    std::optional<std::string> s;
    if (i % 6 != 0)
      s = std::string(words[(i * 13) % 8]) + (i % 4 == 0 ? std::to_string(i % 3) : "");
    rows.emplace_back(i, k, x, s);
  }
  return rows;
}

/// Spark's order of two values of a column: nulls first or last, NaN
/// above everything, -0.0 equal to 0.0; then the direction.
template <class T>
int compareValues(const std::optional<T>& a, const std::optional<T>& b, bool ascending,
                  bool nullsFirst) {
  if (!a || !b) {
    if (!a && !b) return 0;
    return (!a) == nullsFirst ? -1 : 1;
  }
  int c = 0;
  if constexpr (std::is_same_v<T, double>) {
    const bool na = std::isnan(*a), nb = std::isnan(*b);
    c = na || nb ? (na == nb ? 0 : (na ? 1 : -1)) : (*a < *b ? -1 : (*b < *a ? 1 : 0));
  } else {
    c = *a < *b ? -1 : (*b < *a ? 1 : 0);
  }
  return ascending ? c : -c;
}

std::vector<int64_t> ids(const std::vector<Row>& rows) {
  std::vector<int64_t> out;
  for (const Row& r : rows) out.push_back(r.getLong(0));
  return out;
}

class Ordering : public ShapedTest {
 protected:
  Conf conf() const override { return Conf().set("ember.sql.shuffle.partitions", "5"); }
};

TEST_P(Ordering, OrderByMatchesStdSortInEveryDirectionAndNullPlacement) {
  Session spark(ctx());
  const auto data = items(3000);
  DataFrame df = spark.createDataFrame(data, {"id", "k", "x", "s"});
  struct Case {
    Column k, x, s;
    bool kAsc, kNullsFirst, xAsc, xNullsFirst, sAsc, sNullsFirst;
  };
  const Case cases[] = {
      {F::col("k"), F::col("x").desc(), F::col("s"), true, true, false, false, true, true},
      {F::col("k").desc_nulls_first(), F::col("x").asc_nulls_last(), F::col("s").desc(), false,
       true, true, false, false, false},
      {F::col("k").asc_nulls_last(), F::col("x"), F::col("s").asc_nulls_last(), true, false, true,
       true, true, false},
  };
  for (const Case& c : cases) {
    std::vector<Item> want = data;
    std::stable_sort(want.begin(), want.end(), [&](const Item& a, const Item& b) {
      if (int r = compareValues(std::get<1>(a), std::get<1>(b), c.kAsc, c.kNullsFirst))
        return r < 0;
      if (int r = compareValues(std::get<2>(a), std::get<2>(b), c.xAsc, c.xNullsFirst))
        return r < 0;
      if (int r = compareValues(std::get<3>(a), std::get<3>(b), c.sAsc, c.sNullsFirst))
        return r < 0;
      return std::get<0>(a) < std::get<0>(b);
    });
    std::vector<int64_t> wantIds;
    for (const Item& i : want) wantIds.push_back(std::get<0>(i));
    DataFrame sorted = df.orderBy(c.k, c.x, c.s, F::col("id"));
    EXPECT_EQ(ids(sorted.collect()), wantIds) << sorted.explainString();
  }
}

TEST_P(Ordering, OrderByIsARangeExchangeThenASortAndSortAliasesIt) {
  Session spark(ctx());
  DataFrame df = spark.range(0, 20000, 1, 4).withColumn("r", (F::col("id") * 7919) % 20000);
  DataFrame sorted = df.sort(F::col("r").desc());
  const std::string plan = sorted.explainString(true);
  EXPECT_THAT(plan, HasSubstr("Exchange rangepartitioning(r DESC NULLS LAST, 5)")) << plan;
  EXPECT_THAT(plan, HasSubstr("Sort [r DESC NULLS LAST], true, 0")) << plan;
  std::vector<Row> rows = sorted.collect();
  ASSERT_EQ(rows.size(), 20000u);
  for (size_t i = 0; i < rows.size(); ++i) EXPECT_EQ(rows[i].getLong(1), 19999 - int64_t(i));
  // Each of the 5 partitions holds one range of keys, in order.
  const auto parts = sorted.rdd().glom().collect();
  ASSERT_EQ(parts.size(), 5u);
  int64_t last = INT64_MAX;
  size_t nonEmpty = 0;
  for (const auto& p : parts) {
    nonEmpty += !p.empty();
    for (const Row& r : p) {
      EXPECT_LE(r.getLong(1), last);
      last = r.getLong(1);
    }
  }
  EXPECT_GE(nonEmpty, 4u) << "the sampled bounds should spread 20000 keys over the partitions";
  // A filter above a sort runs below it.
  DataFrame filtered = sorted.filter(F::col("r") < 100);
  EXPECT_EQ(filtered.optimizedPlan()->kind, sql::PlanKind::kSort);
  EXPECT_THAT(filtered.optimizedPlan()->child().treeString(), HasSubstr("Filter"));
  EXPECT_EQ(filtered.count(), 100);
}

TEST_P(Ordering, OrderByThenLimitIsTakeOrderedAndProject) {
  Session spark(ctx());
  const auto data = items(2000);
  DataFrame df = spark.createDataFrame(data, {"id", "k", "x", "s"});
  DataFrame top = df.orderBy(F::col("x").desc(), F::col("id")).select("id", "x").limit(7);
  EXPECT_THAT(top.explainString(), HasSubstr("TakeOrderedAndProject(limit=7"))
      << top.explainString();
  std::vector<Item> want = data;
  std::stable_sort(want.begin(), want.end(), [](const Item& a, const Item& b) {
    if (int r = compareValues(std::get<2>(a), std::get<2>(b), false, false)) return r < 0;
    return std::get<0>(a) < std::get<0>(b);
  });
  std::vector<int64_t> wantIds;
  for (size_t i = 0; i < 7; ++i) wantIds.push_back(std::get<0>(want[i]));
  EXPECT_EQ(ids(top.collect()), wantIds);
  EXPECT_EQ(top.columns(), (std::vector<std::string>{"id", "x"}));
  EXPECT_TRUE(df.orderBy("id").limit(0).collect().empty());
  EXPECT_EQ(df.filter(F::col("id") < 0).orderBy("id").count(), 0);
}

TEST_P(Ordering, SortWithinPartitionsSortsEachPartitionWithoutAnExchange) {
  Session spark(ctx());
  DataFrame df = spark.range(0, 5000, 1, 3).withColumn("r", (F::col("id") * 37) % 101);
  DataFrame sorted = df.sortWithinPartitions("r", "id");
  EXPECT_THAT(sorted.explainString(), Not(HasSubstr("Exchange")));
  const auto parts = sorted.rdd().glom().collect();
  ASSERT_EQ(parts.size(), 3u);
  for (size_t p = 0; p < parts.size(); ++p) {
    std::vector<std::pair<int64_t, int64_t>> got;
    for (const Row& r : parts[p]) {
      got.emplace_back(r.getLong(1), r.getLong(0));
      EXPECT_EQ(r.getLong(1), (r.getLong(0) * 37) % 101);
    }
    EXPECT_TRUE(std::is_sorted(got.begin(), got.end())) << "partition " << p;
    EXPECT_NEAR(double(got.size()), 5000 / 3.0, 1) << "rows left their partition";
  }
  EXPECT_EQ(sorted.count(), 5000);
}

TEST_P(Ordering, SampleKeepsAboutTheFractionAndTheSameSeedTheSameRows) {
  Session spark(ctx());
  DataFrame df = spark.range(0, 20000, 1, 4);
  const std::vector<int64_t> a = ids(df.sample(0.3, 7).collect());
  EXPECT_EQ(a, ids(df.sample(0.3, 7).collect()));
  EXPECT_NE(a, ids(df.sample(0.3, 8).collect()));
  // Binomial(20000, 0.3): mean 6000, standard deviation 65.
  EXPECT_NEAR(static_cast<double>(a.size()), 6000, 400);
  EXPECT_TRUE(std::is_sorted(a.begin(), a.end())) << "sampling keeps the rows' order";
  const std::vector<int64_t> b = ids(df.sample(true, 0.5, 3).collect());
  EXPECT_NEAR(static_cast<double>(b.size()), 10000, 600);
  EXPECT_LT(std::set<int64_t>(b.begin(), b.end()).size(), b.size()) << "no row was repeated";
  EXPECT_EQ(df.sample(0.0, 1).count(), 0);
  EXPECT_EQ(df.sample(1.0, 1).count(), 20000);
  EXPECT_THROW(df.sample(1.5, 1), AnalysisException);
  EXPECT_THAT(df.sample(0.3, 7).explainString(), HasSubstr("Sample 0.0, 0.3, false, 7"));
}

TEST_P(Ordering, RepartitionCoalesceAndRepartitionByRangeMoveRowsAsAsked) {
  Session spark(ctx());
  DataFrame df = spark.range(0, 9000, 1, 3).withColumn("k", F::col("id") % 17);
  std::vector<int64_t> all(9000);
  for (int64_t i = 0; i < 9000; ++i) all[static_cast<size_t>(i)] = i;
  auto sortedIds = [](const DataFrame& d) {
    std::vector<int64_t> v = ids(d.collect());
    std::sort(v.begin(), v.end());
    return v;
  };
  DataFrame even = df.repartition(7);
  EXPECT_EQ(even.rdd().getNumPartitions(), 7);
  EXPECT_EQ(sortedIds(even), all);
  for (const auto& p : even.rdd().glom().collect()) EXPECT_NEAR(double(p.size()), 9000 / 7.0, 10);
  EXPECT_THAT(even.explainString(), HasSubstr("Exchange RoundRobinPartitioning(7)"));

  DataFrame byKey = df.repartition(4, "k");
  EXPECT_EQ(sortedIds(byKey), all);
  std::map<int64_t, size_t> partitionOfKey;
  const auto parts = byKey.rdd().glom().collect();
  ASSERT_EQ(parts.size(), 4u);
  for (size_t p = 0; p < parts.size(); ++p) {
    for (const Row& r : parts[p]) {
      auto [it, fresh] = partitionOfKey.emplace(r.getLong(1), p);
      EXPECT_EQ(it->second, p) << "key " << r.getLong(1) << " in two partitions";
    }
  }
  EXPECT_EQ(df.repartition(std::vector<Column>{F::col("k")}).rdd().getNumPartitions(), 5);

  DataFrame fewer = df.coalesce(2);
  EXPECT_EQ(fewer.rdd().getNumPartitions(), 2);
  EXPECT_EQ(sortedIds(fewer), all);
  EXPECT_THAT(fewer.explainString(), HasSubstr("Coalesce 2"));

  const auto ranges = df.repartitionByRange(3, F::col("id").desc()).rdd().glom().collect();
  ASSERT_EQ(ranges.size(), 3u);
  for (size_t p = 0; p + 1 < ranges.size(); ++p) {
    ASSERT_FALSE(ranges[p].empty());
    ASSERT_FALSE(ranges[p + 1].empty());
    int64_t lowest = INT64_MAX, highestNext = INT64_MIN;
    for (const Row& r : ranges[p]) lowest = std::min(lowest, r.getLong(0));
    for (const Row& r : ranges[p + 1]) highestNext = std::max(highestNext, r.getLong(0));
    EXPECT_GT(lowest, highestNext) << "descending ranges overlap at partition " << p;
  }
  EXPECT_THROW(df.repartition(0), AnalysisException);
  EXPECT_THROW(df.coalesce(-1), AnalysisException);
}

using Person = std::tuple<std::optional<std::string>, std::optional<int32_t>, std::optional<double>,
                          std::optional<bool>>;

std::vector<Person> people() {
  return {{"ann", 31, 1.5, true},
          {std::nullopt, 40, std::nan(""), std::nullopt},
          {"bob", std::nullopt, 2.5, false},
          {std::nullopt, std::nullopt, std::nullopt, std::nullopt},
          {"cy", 25, std::nullopt, true}};
}

std::string line(const Row& r) {
  std::string s;
  for (size_t i = 0; i < r.size(); ++i) s += (i ? "|" : "") + r.value(i).toString();
  return s;
}

std::vector<std::string> lines(const DataFrame& df) {
  std::vector<std::string> out;
  for (const Row& r : df.collect()) out.push_back(line(r));
  std::sort(out.begin(), out.end());
  return out;
}

TEST_P(Ordering, NaDropAndFillFollowSpark) {
  Session spark(ctx());
  const auto rows = people();
  DataFrame df = spark.createDataFrame(rows, {"name", "age", "score", "ok"});
  auto nonNulls = [](const Person& p) {
    return int(std::get<0>(p).has_value()) + int(std::get<1>(p).has_value()) +
           int(std::get<2>(p) && !std::isnan(*std::get<2>(p))) + int(std::get<3>(p).has_value());
  };
  auto countWhere = [&](auto keep) { return std::count_if(rows.begin(), rows.end(), keep); };
  EXPECT_EQ(df.na().drop().count(), countWhere([&](const Person& p) { return nonNulls(p) == 4; }));
  EXPECT_EQ(df.na().drop("all").count(),
            countWhere([&](const Person& p) { return nonNulls(p) > 0; }));
  EXPECT_EQ(df.na().drop(2).count(), countWhere([&](const Person& p) { return nonNulls(p) >= 2; }));
  EXPECT_EQ(df.na().drop(std::vector<std::string>{"name"}).count(),
            countWhere([](const Person& p) { return std::get<0>(p).has_value(); }));
  EXPECT_THROW(df.na().drop("some"), AnalysisException);
  EXPECT_THROW(df.na().drop(std::vector<std::string>{"nope"}), AnalysisException);

  // A number fills the numeric columns (NaN too), a string the string ones.
  EXPECT_EQ(lines(df.na().fill(0)),
            (std::vector<std::string>{"ann|31|1.5|true", "bob|0|2.5|false", "cy|25|0.0|true",
                                      "null|0|0.0|null", "null|40|0.0|null"}));
  EXPECT_EQ(lines(df.na().fill("?")),
            (std::vector<std::string>{"?|40|NaN|null", "?|null|null|null", "ann|31|1.5|true",
                                      "bob|null|2.5|false", "cy|25|null|true"}));
  EXPECT_EQ(lines(df.na().fill(false, {"ok"})),
            (std::vector<std::string>{"ann|31|1.5|true", "bob|null|2.5|false", "cy|25|null|true",
                                      "null|40|NaN|false", "null|null|null|false"}));
  EXPECT_EQ(
      lines(df.na().fill({{"age", FillValue(int64_t{-1})}, {"name", FillValue(std::string("x"))}})),
      (std::vector<std::string>{"ann|31|1.5|true", "bob|-1|2.5|false", "cy|25|null|true",
                                "x|-1|null|null", "x|40|NaN|null"}));
  EXPECT_THROW(df.na().fill({{"age", FillValue(std::string("x"))}}), AnalysisException);
  EXPECT_EQ(df.na().fill(7.5).schema(), df.schema()) << "filling keeps every column's type";
}

TEST_P(Ordering, DescribeMatchesPlainStatistics) {
  Session spark(ctx());
  std::vector<std::tuple<std::optional<int64_t>, std::optional<std::string>>> rows;
  double sum = 0, sumSq = 0;
  int64_t n = 0, lo = INT64_MAX, hi = INT64_MIN;
  std::vector<std::string> words;
  for (int i = 0; i < 500; ++i) {
    std::optional<int64_t> v;
    if (i % 4 != 0) {
      v = (i * 37) % 211 - 50;
      ++n;
      sum += double(*v);
      sumSq += double(*v) * double(*v);
      lo = std::min(lo, *v);
      hi = std::max(hi, *v);
    }
    std::optional<std::string> w;
    if (i % 5 != 0) words.push_back(*(w = "w" + std::to_string(i % 23)));
    rows.emplace_back(v, w);
  }
  DataFrame d = spark.createDataFrame(rows, {"v", "w"}).describe();
  EXPECT_EQ(d.columns(), (std::vector<std::string>{"summary", "v", "w"}));
  std::vector<Row> out = d.collect();
  ASSERT_EQ(out.size(), 5u);
  const double mean = sum / double(n);
  const double stddev = std::sqrt((sumSq - double(n) * mean * mean) / double(n - 1));
  EXPECT_EQ(out[0].getString(0), "count");
  EXPECT_EQ(out[0].getString(1), std::to_string(n));
  EXPECT_EQ(out[0].getString(2), "400");
  EXPECT_NEAR(std::stod(out[1].getString(1)), mean, 1e-9);
  EXPECT_TRUE(out[1].isNullAt(2)) << "a string column has no mean";
  EXPECT_NEAR(std::stod(out[2].getString(1)), stddev, 1e-9);
  EXPECT_EQ(out[3].getString(1), std::to_string(lo));
  EXPECT_EQ(out[4].getString(1), std::to_string(hi));
  EXPECT_EQ(out[3].getString(2), *std::min_element(words.begin(), words.end()));
  EXPECT_EQ(out[4].getString(2), *std::max_element(words.begin(), words.end()));
  EXPECT_THROW(spark.range(3).describe("nope"), AnalysisException);
}

TEST_P(Ordering, PersistedFramesAreReadFromTheirBlocksUntilUnpersisted) {
  Session spark(ctx());
  DataFrame base = spark.range(0, 10000, 1, 4).withColumn("k", F::col("id") % 10);
  EXPECT_EQ(base.storageLevel(), StorageLevel::NONE);
  DataFrame cached = base.persist(StorageLevel::MEMORY_ONLY);
  EXPECT_EQ(base.storageLevel(), StorageLevel::MEMORY_ONLY);
  DataFrame derived = base.filter(F::col("k") == 3).groupBy("k").count();
  EXPECT_THAT(
      derived.explainString(true),
      HasSubstr("InMemoryRelation [id, k], StorageLevel(memory, deserialized, 1 replicas)"));
  EXPECT_THAT(derived.explainString(), HasSubstr("InMemoryTableScan [id, k]"));
  EXPECT_EQ(cached.count(), 10000);
  auto cachedPartitions = [&] {
    int n = 0;
    for (const RDDInfo& info : ctx().getRDDStorageInfo()) n += info.numCachedPartitions;
    return n;
  };
  EMBER_ON_DRIVER(ctx()) EXPECT_EQ(cachedPartitions(), 4);
  std::vector<Row> rows = derived.collect();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].getLong(1), 1000);
  base.unpersist(true);
  EXPECT_EQ(base.storageLevel(), StorageLevel::NONE);
  EMBER_ON_DRIVER(ctx()) EXPECT_EQ(cachedPartitions(), 0);
  EXPECT_THAT(derived.explainString(), Not(HasSubstr("InMemoryTableScan")));
  EXPECT_EQ(derived.collect()[0].getLong(1), 1000);
  // Every level keeps the same rows.
  for (const StorageLevel& level : {StorageLevel::MEMORY_AND_DISK, StorageLevel::MEMORY_ONLY_SER,
                                    StorageLevel::MEMORY_AND_DISK_SER, StorageLevel::DISK_ONLY}) {
    DataFrame d = spark.range(0, 3000, 1, 3).withColumn("s", F::col("id").cast("string"));
    d.persist(level);
    EXPECT_EQ(d.count(), 3000) << level.description();
    EXPECT_EQ(d.filter(F::col("s") == "2999").count(), 1) << level.description();
    d.unpersist();
  }
}

EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(Ordering);

/// A budget far smaller than the rows: the sort must spill runs and merge them.
class SortSpill : public TinyMemoryTest {};

TEST_P(SortSpill, AnExternalSortSpillsAndStillOrdersEveryRow) {
  Session spark(recordedCtx());
  const int64_t n = 150000;
  DataFrame df =
      spark.range(0, n, 1, 2)
          .withColumn("s", F::concat(F::lit("key-"), ((F::col("id") * 7919) % n).cast("string")));
  std::vector<Row> rows = df.orderBy(F::col("s").desc()).collect();
  std::vector<std::string> want;
  for (int64_t i = 0; i < n; ++i) want.push_back("key-" + std::to_string((i * 7919) % n));
  std::sort(want.rbegin(), want.rend());
  ASSERT_EQ(rows.size(), want.size());
  for (size_t i = 0; i < rows.size(); ++i) ASSERT_EQ(rows[i].getString(1), want[i]) << i;
  expectResultStagesSpilled("the sort");
}

EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(SortSpill);

}  // namespace
}  // namespace ember::testing
