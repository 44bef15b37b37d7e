// groupBy/agg and global aggregates, against plain loops over the same rows.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
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
using Sale = std::tuple<std::optional<std::string>, int32_t, std::optional<double>, std::string>;

/// Null keys, null values, and groups with only nulls.
std::vector<Sale> sales(int n) {
  std::vector<Sale> rows;
  for (int i = 0; i < n; ++i) {
    std::optional<std::string> region;
    if (i % 9 != 0) region = "r" + std::to_string(i % 23);
    std::optional<double> amount;
    if (i % 4 != 0 && region != "r5") amount = (i * 37 % 1000) / 8.0;
    rows.emplace_back(region, i % 7, amount, std::string(1, static_cast<char>('a' + i % 26)));
  }
  return rows;
}

struct Expected {
  int64_t rows = 0, amounts = 0;
  double sum = 0, sumSq = 0;
  std::optional<double> min, max;
  int64_t qty = 0;
  std::string minTag;
};

class Aggregates : public ShapedTest {
 protected:
  Conf conf() const override { return Conf().set("ember.sql.shuffle.partitions", "5"); }
};

TEST_P(Aggregates, GroupByMatchesAPlainLoopWithNullKeysAndValues) {
  Session spark(ctx());
  const auto data = sales(5000);
  std::map<std::optional<std::string>, Expected> want;
  for (const auto& [region, qty, amount, tag] : data) {
    Expected& e = want[region];
    ++e.rows;
    e.qty += qty;
    if (e.minTag.empty() || tag < e.minTag) e.minTag = tag;
    if (!amount) continue;
    ++e.amounts;
    e.sum += *amount;
    e.sumSq += *amount * *amount;
    e.min = e.min ? std::min(*e.min, *amount) : *amount;
    e.max = e.max ? std::max(*e.max, *amount) : *amount;
  }
  DataFrame df = spark.createDataFrame(data, {"region", "qty", "amount", "tag"});
  DataFrame out = df.groupBy("region").agg(
      F::count("*").alias("n"), F::count("amount"), F::sum("amount"), F::avg("amount"),
      F::min("amount"), F::max("amount"), F::sum("qty"), F::min("tag"), F::stddev("amount"));
  EXPECT_EQ(out.columns(), (std::vector<std::string>{"region", "n", "count(amount)", "sum(amount)",
                                                     "avg(amount)", "min(amount)", "max(amount)",
                                                     "sum(qty)", "min(tag)", "stddev(amount)"}));
  EXPECT_EQ(out.dtypes()[7].second, "bigint") << "sum of INT is BIGINT";
  std::vector<Row> rows = out.collect();
  ASSERT_EQ(rows.size(), want.size());
  for (const Row& r : rows) {
    std::optional<std::string> key;
    if (!r.isNullAt(0)) key = r.getString(0);
    ASSERT_TRUE(want.contains(key)) << r.toString();
    const Expected& e = want[key];
    EXPECT_EQ(r.getLong(1), e.rows);
    EXPECT_EQ(r.getLong(2), e.amounts);
    EXPECT_EQ(r.getLong(7), e.qty);
    EXPECT_EQ(r.getString(8), e.minTag);
    if (e.amounts == 0) {
      for (size_t c : {3u, 4u, 5u, 6u, 9u})
        EXPECT_TRUE(r.isNullAt(c)) << "all nulls: " << r.toString();
      continue;
    }
    EXPECT_NEAR(r.getDouble(3), e.sum, 1e-9 * std::abs(e.sum) + 1e-9);
    EXPECT_NEAR(r.getDouble(4), e.sum / static_cast<double>(e.amounts), 1e-9);
    EXPECT_EQ(r.getDouble(5), *e.min);
    EXPECT_EQ(r.getDouble(6), *e.max);
    if (e.amounts > 1) {
      const double n = static_cast<double>(e.amounts);
      const double var = (e.sumSq - e.sum * e.sum / n) / (n - 1);
      EXPECT_NEAR(r.getDouble(9), std::sqrt(var), 1e-6 * std::sqrt(var) + 1e-9);
    }
  }
}

TEST_P(Aggregates, GlobalAggregatesGiveOneRowEvenWithoutInput) {
  Session spark(ctx());
  DataFrame df = spark.range(0, 100000, 1, 3);
  std::vector<Row> all = df.agg(F::count("*"), F::sum("id"), F::max("id")).collect();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].getLong(0), 100000);
  EXPECT_EQ(all[0].getLong(1), int64_t{99999} * 100000 / 2);
  EXPECT_EQ(all[0].getLong(2), 99999);
  std::vector<Row> none = df.filter(F::col("id") < 0).agg(F::count("*"), F::sum("id")).collect();
  ASSERT_EQ(none.size(), 1u);
  EXPECT_EQ(none[0].getLong(0), 0);
  EXPECT_TRUE(none[0].isNullAt(1)) << "the sum of no rows is null";
  EXPECT_EQ(df.filter(F::col("id") < 0).groupBy("id").count().count(), 0)
      << "a grouped aggregation of no rows has no groups";
}

TEST_P(Aggregates, ExpressionsOverAggregatesAndKeyExpressions) {
  Session spark(ctx());
  DataFrame df = spark.range(0, 1000, 1, 4);
  DataFrame out =
      df.groupBy((F::col("id") % 3).alias("k"))
          .agg((F::sum("id") / F::count("*")).alias("mean"), F::max("id") - F::min("id"));
  EXPECT_EQ(out.columns(), (std::vector<std::string>{"k", "mean", "(max(id) - min(id))"}));
  std::map<int64_t, std::vector<int64_t>> groups;
  for (int64_t id = 0; id < 1000; ++id) groups[id % 3].push_back(id);
  std::vector<Row> rows = out.collect();
  ASSERT_EQ(rows.size(), 3u);
  for (const Row& r : rows) {
    const std::vector<int64_t>& g = groups.at(r.getLong(0));
    int64_t sum = 0;
    for (int64_t x : g) sum += x;
    EXPECT_DOUBLE_EQ(r.getDouble(1), static_cast<double>(sum) / static_cast<double>(g.size()));
    EXPECT_EQ(r.getLong(2), g.back() - g.front());
  }
}

TEST_P(Aggregates, FiltersOnKeysRunBeforeTheAggregationAndOnResultsAfter) {
  Session spark(ctx());
  DataFrame out = spark.range(0, 3000, 1, 3)
                      .groupBy((F::col("id") % 10).alias("k"))
                      .agg(F::count("*").alias("n"), F::sum("id").alias("total"))
                      .filter(F::col("k") > 6 && F::col("total") > 450700);
  const std::string plan = out.optimizedPlan()->treeString();
  // The key's part is on the aggregate's input, rewritten over its expression.
  EXPECT_THAT(plan, HasSubstr("Filter ((id % 10) > 6)\n"));
  EXPECT_THAT(plan, HasSubstr("Filter (sum(id) > 450700)"));
  EXPECT_THAT(plan, HasSubstr("Aggregate [(id % 10) AS k], "));
  EXPECT_LT(plan.find("Filter (sum(id)"), plan.find("Aggregate"));
  EXPECT_GT(plan.find("Filter ((id % 10)"), plan.find("Aggregate"));
  std::map<int64_t, std::pair<int64_t, int64_t>> groups;
  for (int64_t id = 0; id < 3000; ++id) {
    auto& [n, total] = groups[id % 10];
    ++n;
    total += id;
  }
  std::map<int64_t, std::pair<int64_t, int64_t>> expected;
  for (const auto& [k, g] : groups) {
    if (k > 6 && g.second > 450700) expected[k] = g;
  }
  ASSERT_FALSE(expected.empty());
  ASSERT_LT(expected.size(), 3u);  // the result filter drops some key that passes
  std::map<int64_t, std::pair<int64_t, int64_t>> got;
  for (const Row& r : out.collect()) got[r.getLong(0)] = {r.getLong(1), r.getLong(2)};
  EXPECT_EQ(got, expected);
}

TEST_P(Aggregates, DecimalSumsAndAveragesAreExact) {
  Session spark(ctx());
  std::vector<std::tuple<int32_t, std::string>> rows;
  for (int i = 0; i < 3000; ++i)
    rows.emplace_back(i % 2, std::to_string(i) + "." + std::to_string(i % 100 / 10) + "1");
  DataFrame df = spark.createDataFrame(rows, {"k", "price"})
                     .withColumn("price", F::col("price").cast("decimal(10,2)"));
  DataFrame out = df.groupBy("k").agg(F::sum("price"), F::avg("price"));
  EXPECT_EQ(out.dtypes()[1].second, "decimal(20,2)");
  EXPECT_EQ(out.dtypes()[2].second, "decimal(14,6)");
  // Plain loop in hundredths.
  std::map<int, std::pair<int64_t, int64_t>> want;
  for (int i = 0; i < 3000; ++i) {
    auto& [cents, n] = want[i % 2];
    cents += int64_t{i} * 100 + (i % 100 / 10) * 10 + 1;
    ++n;
  }
  for (const Row& r : out.collect()) {
    const auto [cents, n] = want.at(r.getInt(0));
    EXPECT_EQ(r.getDecimal(1), std::to_string(cents / 100) + "." + (cents % 100 < 10 ? "0" : "") +
                                   std::to_string(cents % 100));
    // cents / n / 100 at six decimals, half up.
    const int64_t micro = (cents * 10000 * 2 + n) / (2 * n);
    const std::string frac = std::to_string(1000000 + micro % 1000000).substr(1);
    EXPECT_EQ(r.getDecimal(2), std::to_string(micro / 1000000) + "." + frac);
  }
}

TEST_P(Aggregates, AColumnThatIsNeitherKeyNorAggregateIsAnAnalysisError) {
  Session spark(ctx());
  DataFrame df = spark.createDataFrame(sales(10), {"region", "qty", "amount", "tag"});
  EXPECT_THROW(df.groupBy("region").agg(F::col("qty") + 1), AnalysisException);
  EXPECT_THROW(df.groupBy("region").agg(F::sum("tag2")), AnalysisException);
  try {
    df.groupBy("region").agg(F::sum(F::col("qty") > 1));
    FAIL() << "sum of a BOOLEAN";
  } catch (const AnalysisException& e) {
    EXPECT_THAT(e.what(), HasSubstr("sum((qty > 1))"));
  }
}

TEST_P(Aggregates, DistinctAggregatesMatchSetsAndMixWithOthers) {
  Session spark(ctx());
  const auto data = sales(4000);
  struct Want {
    std::set<std::string> tags;
    std::set<int32_t> qtys;
    std::set<std::pair<std::string, int32_t>> pairs;
    int64_t rows = 0, amounts = 0, qtySum = 0;
    double amountSum = 0;
  };
  std::map<std::optional<std::string>, Want> want;
  for (const auto& [region, qty, amount, tag] : data) {
    Want& w = want[region];
    w.tags.insert(tag);
    w.qtys.insert(qty);
    w.pairs.emplace(tag, qty);
    ++w.rows;
    w.qtySum += qty;
    if (amount) {
      ++w.amounts;
      w.amountSum += *amount;
    }
  }
  DataFrame df = spark.createDataFrame(data, {"region", "qty", "amount", "tag"});
  DataFrame out =
      df.groupBy("region").agg(F::countDistinct("tag").alias("tags"), F::count("*").alias("n"),
                               F::avg("amount"), F::count("amount"), F::sum("qty"), F::max("tag"));
  EXPECT_THAT(out.explainString(true), HasSubstr("count(DISTINCT tag)"));
  const std::vector<Row> rows = out.collect();
  ASSERT_EQ(rows.size(), want.size());
  for (const Row& r : rows) {
    const Want& w = want.at(r.isNullAt(0) ? std::nullopt : std::optional(r.getString(0)));
    EXPECT_EQ(r.getLong(1), static_cast<int64_t>(w.tags.size()));
    EXPECT_EQ(r.getLong(2), w.rows);
    if (w.amounts == 0) {
      EXPECT_TRUE(r.isNullAt(3));
    } else {
      EXPECT_NEAR(r.getDouble(3), w.amountSum / static_cast<double>(w.amounts), 1e-9);
    }
    EXPECT_EQ(r.getLong(4), w.amounts);
    EXPECT_EQ(r.getLong(5), w.qtySum);
    EXPECT_EQ(r.getString(6), *w.tags.rbegin());
  }
  // Over all rows, several columns at once, and sums of distinct values.
  std::set<std::pair<std::string, int32_t>> pairs;
  std::set<int32_t> qtys;
  for (const auto& [region, qty, amount, tag] : data) {
    pairs.emplace(tag, qty);
    qtys.insert(qty);
  }
  EXPECT_EQ(df.agg(F::countDistinct("tag", "qty")).first().getLong(0),
            static_cast<int64_t>(pairs.size()));
  int64_t distinctSum = 0;
  for (int32_t q : qtys) distinctSum += q;
  const Row sums = df.agg(F::sum_distinct(F::col("qty")), F::sum("qty")).first();
  EXPECT_EQ(sums.getLong(0), distinctSum);
  int64_t qtySum = 0;
  for (const auto& row : data) qtySum += std::get<1>(row);
  EXPECT_EQ(sums.getLong(1), qtySum);
  EXPECT_EQ(
      df.filter(F::col("qty") < 0).agg(F::countDistinct("tag"), F::count("*")).first().getLong(1),
      0);
  EXPECT_THROW(df.agg(F::countDistinct("tag"), F::countDistinct("qty")), AnalysisException);
  EXPECT_THROW(df.agg(F::countDistinct("tag"), F::stddev("amount")), AnalysisException);
}

EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(Aggregates);

/// A budget far smaller than the groups: the partial aggregation must
/// flush early and the final one spill buckets and aggregate them apart.
class AggregateSpill : public TinyMemoryTest {};

TEST_P(AggregateSpill, AGroupByFarLargerThanMemorySpillsAndStillAddsUp) {
  Session spark(recordedCtx());
  const int64_t n = 300000, groups = 100000;
  DataFrame df = spark.range(0, n, 1, 2)
                     .withColumn("k", F::concat(F::lit("group-"),
                                                ((F::col("id") * 7919) % groups).cast("string")));
  struct Want {
    int64_t count = 0, sum = 0, min = INT64_MAX;
  };
  std::map<std::string, Want> want;
  for (int64_t id = 0; id < n; ++id) {
    Want& w = want["group-" + std::to_string((id * 7919) % groups)];
    ++w.count;
    w.sum += id;
    w.min = std::min(w.min, id);
  }
  const std::vector<Row> rows =
      df.groupBy("k").agg(F::count("*"), F::sum("id"), F::min("id")).collect();
  ASSERT_EQ(rows.size(), want.size()) << "a group came out twice or not at all";
  for (const Row& r : rows) {
    const Want& w = want.at(r.getString(0));
    ASSERT_EQ(r.getLong(1), w.count) << r.getString(0);
    ASSERT_EQ(r.getLong(2), w.sum) << r.getString(0);
    ASSERT_EQ(r.getLong(3), w.min) << r.getString(0);
  }
  expectResultStagesSpilled("the final aggregation");
}

EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(AggregateSpill);

}  // namespace
}  // namespace ember::testing
