// Joins of every type, set operations and the optimizer's join rules,
// against nested loops over the same rows.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
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
using LeftRow = std::tuple<std::optional<int64_t>, std::string>;
using RightRow = std::tuple<std::optional<int64_t>, std::optional<int64_t>>;

/// Duplicate keys on both sides, keys only one side has, null keys.
std::vector<LeftRow> leftRows(int n) {
  std::vector<LeftRow> rows;
  for (int i = 0; i < n; ++i) {
    std::optional<int64_t> k;
    if (i % 11 != 0) k = i % 37;
    rows.emplace_back(k, "l" + std::to_string(i));
  }
  return rows;
}

std::vector<RightRow> rightRows(int n) {
  std::vector<RightRow> rows;
  for (int i = 0; i < n; ++i) {
    std::optional<int64_t> k;
    if (i % 7 != 0) k = 20 + i % 31;
    std::optional<int64_t> v;
    if (i % 5 != 0) v = i;
    rows.emplace_back(k, v);
  }
  return rows;
}

std::string cell(const std::optional<int64_t>& v) { return v ? std::to_string(*v) : "null"; }

std::string text(const LeftRow* l, const RightRow* r, bool withRight) {
  std::string s = l ? cell(std::get<0>(*l)) + "|" + std::get<1>(*l) : "null|null";
  if (withRight) s += "|" + (r ? cell(std::get<0>(*r)) + "|" + cell(std::get<1>(*r)) : "null|null");
  return s;
}

/// A join's rows by nested loops: `match` decides a pair.
template <class Match>
std::multiset<std::string> expected(const std::vector<LeftRow>& ls, const std::vector<RightRow>& rs,
                                    const std::string& how, Match match) {
  std::multiset<std::string> out;
  std::vector<bool> rightMatched(rs.size());
  const bool withRight = how != "left_semi" && how != "left_anti";
  for (const LeftRow& l : ls) {
    bool any = false;
    for (size_t j = 0; j < rs.size(); ++j) {
      if (!match(l, rs[j])) continue;
      any = true;
      rightMatched[j] = true;
      if (withRight) out.insert(text(&l, &rs[j], true));
    }
    if ((how == "left_semi" && any) || (how == "left_anti" && !any))
      out.insert(text(&l, nullptr, false));
    if (!any && (how == "left" || how == "full")) out.insert(text(&l, nullptr, true));
  }
  if (how == "right" || how == "full") {
    for (size_t j = 0; j < rs.size(); ++j)
      if (!rightMatched[j]) out.insert(text(nullptr, &rs[j], true));
  }
  return out;
}

std::multiset<std::string> actual(const DataFrame& df) {
  std::multiset<std::string> out;
  for (const Row& r : df.collect()) {
    std::string s;
    for (size_t c = 0; c < r.size(); ++c) {
      if (c) s += "|";
      if (r.isNullAt(c)) {
        s += "null";
      } else {
        s += df.schema()[c].dataType.simpleString() == "string" ? r.getString(c)
                                                                : std::to_string(r.getLong(c));
      }
    }
    out.insert(s);
  }
  return out;
}

bool equalKeys(const LeftRow& l, const RightRow& r) {
  return std::get<0>(l) && std::get<0>(r) && *std::get<0>(l) == *std::get<0>(r);
}

const char* const kHows[] = {"inner", "left", "right", "full", "left_semi", "left_anti"};

class Joins : public ShapedTest {
 protected:
  Conf conf() const override { return Conf().set("ember.sql.shuffle.partitions", "5"); }
};

/// The same joins with broadcasting off, so that every join shuffles.
class ShuffledJoins : public ShapedTest {
 protected:
  Conf conf() const override {
    return Conf()
        .set("ember.sql.shuffle.partitions", "5")
        .set("ember.sql.autoBroadcastJoinThreshold", "-1");
  }
};

/// Every join type of `ls` and `rs` (columns k, name and `rightKey`, v) on
/// condition(l, r), against nested loops deciding pairs by `match`; each
/// physical plan names `wantOperator`.
template <class Condition, class Match>
void checkEveryTypeOn(Session& spark, const std::vector<LeftRow>& ls,
                      const std::vector<RightRow>& rs, const std::string& rightKey,
                      Condition condition, Match match, const std::string& wantOperator = "Join") {
  DataFrame l = spark.createDataFrame(ls, {"k", "name"});
  DataFrame r = spark.createDataFrame(rs, {rightKey, "v"});
  for (const char* how : kHows) {
    DataFrame j = l.join(r, condition(l, r), how);
    EXPECT_EQ(actual(j), expected(ls, rs, how, match)) << how;
    EXPECT_THAT(j.explainString(), HasSubstr(wantOperator)) << how;
  }
}

void checkEveryType(Context& ctx, const std::string& wantOperator) {
  Session spark(ctx);
  checkEveryTypeOn(
      spark, leftRows(600), rightRows(300), "k",
      [](const DataFrame& l, const DataFrame& r) { return l["k"] == r["k"]; }, equalKeys,
      wantOperator);
}

TEST_P(Joins, EveryTypeMatchesANestedLoopWithDuplicateAndNullKeys) {
  checkEveryType(ctx(), "Join");
}

TEST_P(ShuffledJoins, EveryTypeMatchesANestedLoopWithDuplicateAndNullKeys) {
  checkEveryType(ctx(), "ShuffledHashJoin");
}

TEST_P(ShuffledJoins, AResidualConditionDecidesWhichPairsMatch) {
  Session spark(ctx());
  checkEveryTypeOn(
      spark, leftRows(400), rightRows(200), "k",
      [](const DataFrame& l, const DataFrame& r) { return l["k"] == r["k"] && r["v"] % 3 == 0; },
      [](const LeftRow& a, const RightRow& b) {
        return equalKeys(a, b) && std::get<1>(b) && *std::get<1>(b) % 3 == 0;
      });
}

/// l.k <=> r.k: null keys match each other, as equal values do.
void checkNullSafeKeys(Context& ctx) {
  Session spark(ctx);
  checkEveryTypeOn(
      spark, leftRows(300), rightRows(200), "k",
      [](const DataFrame& l, const DataFrame& r) { return l["k"].eqNullSafe(r["k"]); },
      [](const LeftRow& a, const RightRow& b) { return std::get<0>(a) == std::get<0>(b); });
}

TEST_P(Joins, ANullSafeKeyMatchesNullWithNull) { checkNullSafeKeys(ctx()); }

TEST_P(ShuffledJoins, ANullSafeKeyMatchesNullWithNull) { checkNullSafeKeys(ctx()); }

TEST_P(Joins, AConditionWithoutEqualityIsANestedLoop) {
  Session spark(ctx());
  checkEveryTypeOn(
      spark, leftRows(60), rightRows(40), "k2",
      [](const DataFrame&, const DataFrame&) { return F::col("k") < F::col("k2"); },
      [](const LeftRow& a, const RightRow& b) {
        return std::get<0>(a) && std::get<0>(b) && *std::get<0>(a) < *std::get<0>(b);
      });
  DataFrame l = spark.createDataFrame(leftRows(60), {"k", "name"});
  DataFrame r = spark.createDataFrame(rightRows(40), {"k2", "v"});
  EXPECT_EQ(l.crossJoin(r).count(), 60 * 40);
  EXPECT_THAT(l.crossJoin(r).explainString(), HasSubstr("BroadcastNestedLoopJoin"));
}

TEST_P(Joins, UsingColumnsAppearOnceAndAFullJoinCoalescesThem) {
  Session spark(ctx());
  DataFrame l = spark.createDataFrame(
      std::vector<std::tuple<int64_t, std::string>>{{1, "a"}, {2, "b"}}, {"id", "x"});
  DataFrame r = spark.createDataFrame(
      std::vector<std::tuple<int64_t, std::string>>{{2, "B"}, {3, "C"}}, {"id", "y"});
  DataFrame full = l.join(r, "id", "full");
  EXPECT_EQ(full.columns(), (std::vector<std::string>{"id", "x", "y"}));
  EXPECT_EQ(actual(full), (std::multiset<std::string>{"1|a|null", "2|b|B", "3|null|C"}));
  EXPECT_EQ(actual(l.join(r, {"id"}, "right")), (std::multiset<std::string>{"2|b|B", "3|null|C"}));
  EXPECT_EQ(actual(l.join(r, "id")), (std::multiset<std::string>{"2|b|B"}));
  EXPECT_EQ(l.join(r, "id", "left_anti").columns(), (std::vector<std::string>{"id", "x"}));
}

TEST_P(Joins, ASharedNameIsAmbiguousUnlessTakenFromItsDataFrame) {
  Session spark(ctx());
  DataFrame l = spark.range(5);
  DataFrame r = spark.range(3);
  DataFrame j = l.join(r, l["id"] == r["id"]);
  EXPECT_EQ(j.columns(), (std::vector<std::string>{"id", "id"}));
  EXPECT_EQ(j.select(l["id"]).count(), 3);
  try {
    j.select("id");
    FAIL() << "expected AnalysisException";
  } catch (const AnalysisException& e) {
    EXPECT_THAT(e.what(), HasSubstr("AMBIGUOUS_REFERENCE"));
  }
  EXPECT_THROW(l.join(r, "id", "sideways"), AnalysisException);
  EXPECT_THROW(l.join(r, "nope"), AnalysisException);
}

TEST_P(Joins, BroadcastIsChosenUnderTheThresholdOrByHint) {
  Session spark(ctx());
  // Estimates: 8 bytes a row of a range; the threshold is 10 MB.
  DataFrame big = spark.range(2000000);
  DataFrame small = spark.range(100).withColumnRenamed("id", "k");
  const std::string under = big.join(small, F::col("id") == F::col("k")).explainString();
  EXPECT_THAT(under, HasSubstr("BroadcastHashJoin [id], [k], Inner, BuildRight"));
  EXPECT_THAT(under, HasSubstr("BroadcastExchange"));
  DataFrame other = spark.range(3000000).withColumnRenamed("id", "k");
  EXPECT_THAT(big.join(other, F::col("id") == F::col("k")).explainString(),
              HasSubstr("ShuffledHashJoin [id], [k], Inner, BuildLeft"));
  EXPECT_THAT(big.join(F::broadcast(other), F::col("id") == F::col("k")).explainString(),
              HasSubstr("BroadcastHashJoin [id], [k], Inner, BuildRight"));
}

TEST_P(ShuffledJoins, ABroadcastHintBroadcastsWithTheThresholdOff) {
  Session spark(ctx());
  const auto ls = leftRows(500);
  const auto rs = rightRows(200);
  DataFrame l = spark.createDataFrame(ls, {"k", "name"});
  DataFrame r = spark.createDataFrame(rs, {"k", "v"});
  for (const char* how : {"inner", "left", "left_semi", "left_anti"}) {
    DataFrame j = l.join(F::broadcast(r), l["k"] == r["k"], how);
    EXPECT_THAT(j.explainString(), HasSubstr("BroadcastHashJoin")) << how;
    EXPECT_EQ(actual(j), expected(ls, rs, how, equalKeys)) << how;
  }
}

TEST_P(Joins, FiltersMoveBelowTheJoinWhereTheJoinTypeAllows) {
  Session spark(ctx());
  DataFrame l = spark.range(50);
  DataFrame r = spark.range(50).withColumnRenamed("id", "k");
  auto optimized = [](const DataFrame& df) { return df.optimizedPlan()->treeString(); };
  const std::string inner = optimized(
      l.join(r, F::col("id") == F::col("k")).filter(F::col("id") > 10 && F::col("k") < 40));
  EXPECT_THAT(inner, HasSubstr("Join Inner, (id = k)\n:- Filter (id > 10)"));
  EXPECT_THAT(inner, HasSubstr("Filter (id < 40)")) << "below the right side's projection";
  // Above a left join, a filter on the right side stays above: it drops
  // the rows the join padded with nulls.
  DataFrame left = l.join(r, F::col("id") == F::col("k"), "left").filter(F::col("k") < 40);
  EXPECT_THAT(optimized(left), HasSubstr("Filter (k < 40)\n+- Join LeftOuter"));
  EXPECT_EQ(left.count(), 40);
  // A filter over a cross join that relates both sides becomes its keys.
  DataFrame cross = l.crossJoin(r).filter(F::col("id") == F::col("k"));
  EXPECT_THAT(cross.explainString(), HasSubstr("HashJoin [id], [k], Inner"));
  EXPECT_EQ(cross.count(), 50);
}

TEST_P(Joins, UnionDistinctAndDropDuplicatesMatchLoops) {
  Session spark(ctx());
  std::vector<std::tuple<int32_t, std::string>> a, b;
  for (int i = 0; i < 300; ++i) a.emplace_back(i % 40, "s" + std::to_string(i % 3));
  for (int i = 0; i < 200; ++i) b.emplace_back(i % 25, "s" + std::to_string(i % 4));
  DataFrame da = spark.createDataFrame(a, {"n", "s"});
  DataFrame db = spark.createDataFrame(b, {"n", "s"});
  std::set<std::pair<int32_t, std::string>> distinct;
  for (const auto& [n, s] : a) distinct.emplace(n, s);
  for (const auto& [n, s] : b) distinct.emplace(n, s);
  EXPECT_EQ(da.union_(db).count(), 500);
  EXPECT_EQ(da.union_(db).distinct().count(), static_cast<int64_t>(distinct.size()));
  std::set<int32_t> ns;
  for (const auto& [n, s] : a) ns.insert(n);
  DataFrame dedup = da.dropDuplicates({"n"});
  EXPECT_EQ(dedup.columns(), (std::vector<std::string>{"n", "s"}));
  EXPECT_EQ(dedup.count(), static_cast<int64_t>(ns.size()));
  // By name: b's columns reordered; a missing column is null when allowed.
  DataFrame swapped = db.select("s", "n");
  EXPECT_EQ(da.unionByName(swapped).filter(F::col("n") == 0).count(), 8 + 8);
  DataFrame wider = db.withColumn("extra", F::lit(1));
  EXPECT_THROW(da.unionByName(wider), AnalysisException);
  DataFrame both = da.unionByName(wider, true);
  EXPECT_EQ(both.columns(), (std::vector<std::string>{"n", "s", "extra"}));
  EXPECT_EQ(both.filter(F::col("extra").isNull()).count(), 300);
  // Widening: INT and BIGINT give BIGINT.
  EXPECT_EQ(da.select("n").union_(spark.range(3)).dtypes()[0].second, "bigint");
  EXPECT_THROW(da.union_(spark.range(3)), AnalysisException);
}

EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(Joins);
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(ShuffledJoins);

/// A build side far larger than the memory budget: each task must split
/// both sides into buckets on disk and join them one at a time.
class JoinSpill : public TinyMemoryTest {
 protected:
  Conf conf() const override {
    return TinyMemoryTest::conf().set("ember.sql.autoBroadcastJoinThreshold", "-1");
  }
};

TEST_P(JoinSpill, EveryJoinTypeSpillsAndStillMatchesKeyCounts) {
  Session spark(recordedCtx());
  const int64_t nl = 120000, nr = 100000;
  auto leftKey = [](int64_t id) { return id % 70000; };
  auto rightKey = [](int64_t id) { return (id * 3) % 90000; };
  std::map<int64_t, int64_t> cl, cr;
  for (int64_t i = 0; i < nl; ++i) ++cl[leftKey(i)];
  for (int64_t i = 0; i < nr; ++i) ++cr[rightKey(i)];
  int64_t inner = 0, leftOnly = 0, rightOnly = 0, semi = 0;
  for (int64_t i = 0; i < nl; ++i) {
    const auto m = cr.find(leftKey(i));
    inner += m == cr.end() ? 0 : m->second;
    (m == cr.end() ? leftOnly : semi) += 1;
  }
  for (int64_t i = 0; i < nr; ++i) rightOnly += !cl.contains(rightKey(i));
  DataFrame l = spark.range(0, nl, 1, 2)
                    .withColumn("k", F::col("id") % 70000)
                    .withColumn("pad", F::concat(F::lit("left-row-"), F::col("id").cast("string")));
  DataFrame r = spark.range(0, nr, 1, 2)
                    .select((F::col("id") * 3 % 90000).alias("k2"), F::col("id").alias("rid"));
  const Column on = l["k"] == r["k2"];
  EXPECT_EQ(l.join(r, on).count(), inner);
  EXPECT_EQ(l.join(r, on, "left").count(), inner + leftOnly);
  EXPECT_EQ(l.join(r, on, "right").count(), inner + rightOnly);
  EXPECT_EQ(l.join(r, on, "full").count(), inner + leftOnly + rightOnly);
  EXPECT_EQ(l.join(r, on, "left_semi").count(), semi);
  EXPECT_EQ(l.join(r, on, "left_anti").count(), leftOnly);
  expectResultStagesSpilled("the join");
}

EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(JoinSpill);

}  // namespace
}  // namespace ember::testing
