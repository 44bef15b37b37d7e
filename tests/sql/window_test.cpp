// Window functions of DataFrames (ranking, offset, frame and aggregate
// functions over ROWS and RANGE frames), against plain loops over the same
// rows, and the Window node's analysis, plans and optimizer rules.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <optional>
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
using Opt = std::optional<int64_t>;
/// (id, k, t, x): k the partition key, t the order key (both with nulls,
/// t with many ties), x the values (with nulls).
using Item = std::tuple<int64_t, Opt, Opt, Opt>;
using Part = std::vector<Item>;
constexpr int64_t kUP = Window::unboundedPreceding;
constexpr int64_t kUF = Window::unboundedFollowing;

std::vector<Item> items(int n) {
  std::vector<Item> rows;
  for (int i = 0; i < n; ++i) {
    const Opt k = i % 11 == 0 ? Opt() : Opt((i * 7) % 5);
    const Opt t = i % 7 == 0 ? Opt() : Opt((i * 37) % 13);
    const Opt x = i % 5 == 0 ? Opt() : Opt((i * 31) % 101 - 50);
    rows.emplace_back(i, k, t, x);
  }
  return rows;
}

Opt keyOf(const Item& r) { return std::get<1>(r); }
Opt orderOf(const Item& r) { return std::get<2>(r); }
Opt valueOf(const Item& r) { return std::get<3>(r); }

/// The window's order of t: nulls first or last, then the direction.
struct Order {
  bool ascending = true;
  bool nullsFirst = true;
  int compare(const Opt& a, const Opt& b) const {
    if (!a || !b) return !a && !b ? 0 : ((!a) == nullsFirst ? -1 : 1);
    const int c = *a < *b ? -1 : (*b < *a ? 1 : 0);
    return ascending ? c : -c;
  }
  Column column() const {
    const Column t = F::col("t");
    if (ascending) return nullsFirst ? t.asc_nulls_first() : t.asc_nulls_last();
    return nullsFirst ? t.desc_nulls_first() : t.desc_nulls_last();
  }
};

/// Each partition's rows (null k a partition of its own), sorted by t then id.
std::vector<Part> partitionsOf(const std::vector<Item>& data, const Order& o) {
  std::map<Opt, Part> by;
  for (const Item& r : data) by[keyOf(r)].push_back(r);
  std::vector<Part> out;
  for (auto& [k, part] : by) {
    std::sort(part.begin(), part.end(), [&](const Item& a, const Item& b) {
      const int c = o.compare(orderOf(a), orderOf(b));
      return c != 0 ? c < 0 : std::get<0>(a) < std::get<0>(b);
    });
    out.push_back(part);
  }
  return out;
}

/// A frame as the spec gives it.
struct Frame {
  bool rows = true;
  int64_t lower = kUP, upper = 0;
};

/// Row i's frame [lo, hi) of `part`, by Spark's definition: the rows from
/// the first not before the lower bound to the last not after the upper
/// one, a RANGE bound being the current key plus the offset in the order's
/// direction (null for a null key) and compared as the order compares.
std::pair<size_t, size_t> frameOf(const Part& part, size_t i, const Frame& f, const Order& o) {
  const auto n = static_cast<int64_t>(part.size());
  const auto at = static_cast<int64_t>(i);
  if (f.rows) {
    const int64_t lo = f.lower == kUP ? 0 : std::clamp<int64_t>(at + f.lower, 0, n);
    const int64_t hi = f.upper == kUF ? n : std::clamp<int64_t>(at + f.upper + 1, 0, n);
    return {static_cast<size_t>(lo), static_cast<size_t>(std::max(lo, hi))};
  }
  const Opt t = orderOf(part[i]);
  auto bound = [&](int64_t off) { return t ? Opt(*t + (o.ascending ? off : -off)) : Opt(); };
  size_t lo = part.size(), hi = 0;
  for (size_t j = 0; j < part.size(); ++j) {
    const bool lowerOk = f.lower == kUP || o.compare(orderOf(part[j]), bound(f.lower)) >= 0;
    const bool upperOk = f.upper == kUF || o.compare(orderOf(part[j]), bound(f.upper)) <= 0;
    if (lowerOk && upperOk) {
      lo = std::min(lo, j);
      hi = j + 1;
    }
  }
  return lo < hi ? std::pair{lo, hi} : std::pair{size_t{0}, size_t{0}};
}

using Want = std::optional<double>;
/// A column's expected value for row i of a partition.
using Reference = std::function<Want(const Part&, size_t)>;

Want number(const Opt& v) { return v ? Want(static_cast<double>(*v)) : Want(); }

Want numberAt(const Row& r, size_t i) {
  if (r.isNullAt(i)) return {};
  switch (r.value(i).type.id()) {
    case TypeId::kInt:
      return r.getInt(i);
    case TypeId::kBigInt:
      return static_cast<double>(r.getLong(i));
    default:
      return r.getDouble(i);
  }
}

/// An aggregate of each row's frame, by a loop over the frame.
Reference overFrame(const Frame& f, const Order& o,
                    const std::function<Want(const Part&, size_t, size_t)>& fold) {
  return [=](const Part& part, size_t i) {
    const auto [lo, hi] = frameOf(part, i, f, o);
    return fold(part, lo, hi);
  };
}

Want sumOf(const Part& p, size_t lo, size_t hi) {
  Want s;
  for (size_t j = lo; j < hi; ++j)
    if (valueOf(p[j])) s = s.value_or(0) + static_cast<double>(*valueOf(p[j]));
  return s;
}
Want countOf(const Part& p, size_t lo, size_t hi) {
  double c = 0;
  for (size_t j = lo; j < hi; ++j) c += valueOf(p[j]).has_value();
  return c;
}
Want avgOf(const Part& p, size_t lo, size_t hi) {
  const Want s = sumOf(p, lo, hi);
  return s ? Want(*s / *countOf(p, lo, hi)) : Want();
}
Want bestOf(const Part& p, size_t lo, size_t hi, bool max) {
  Want best;
  for (size_t j = lo; j < hi; ++j) {
    const Want v = number(valueOf(p[j]));
    if (v && (!best || (max ? *v > *best : *v < *best))) best = v;
  }
  return best;
}
Want minOf(const Part& p, size_t lo, size_t hi) { return bestOf(p, lo, hi, false); }
Want maxOf(const Part& p, size_t lo, size_t hi) { return bestOf(p, lo, hi, true); }
Want rowsOf(const Part&, size_t lo, size_t hi) { return static_cast<double>(hi - lo); }

class Windows : public ShapedTest {
 protected:
  Conf conf() const override { return Conf().set("ember.sql.shuffle.partitions", "3"); }

  DataFrame frame(Session& spark, const std::vector<Item>& data) {
    return spark.createDataFrame(data, {"id", "k", "t", "x"});
  }

  /// Each case's column over `df` (the rows of `data`) against its
  /// reference, row by row (by id).
  void expectMatches(const DataFrame& df, const std::vector<Item>& data, const Order& o,
                     const std::vector<std::pair<Column, Reference>>& cases) {
    std::vector<Column> columns{F::col("id")};
    for (size_t c = 0; c < cases.size(); ++c)
      columns.push_back(cases[c].first.alias("c" + std::to_string(c)));
    const DataFrame out = df.select(columns);
    std::map<int64_t, Row> got;
    for (const Row& r : out.collect()) got.emplace(r.getLong(0), r);
    ASSERT_EQ(got.size(), data.size()) << out.explainString();
    for (const Part& part : partitionsOf(data, o)) {
      for (size_t i = 0; i < part.size(); ++i) {
        const Row& r = got.at(std::get<0>(part[i]));
        for (size_t c = 0; c < cases.size(); ++c) {
          const Want want = cases[c].second(part, i);
          const Want have = numberAt(r, c + 1);
          ASSERT_EQ(have.has_value(), want.has_value())
              << cases[c].first.toString() << " of id " << r.getLong(0);
          if (want) {
            EXPECT_NEAR(*have, *want, 1e-9)
                << cases[c].first.toString() << " of id " << r.getLong(0);
          }
        }
      }
    }
  }
};

TEST_P(Windows, RankingFunctionsMatchAPlainLoopWithTiesAndNulls) {
  Session spark(ctx());
  const auto data = items(600);
  for (const Order o : {Order{true, true}, Order{false, false}, Order{true, false}}) {
    const WindowSpec byT = Window::partitionBy("k").orderBy(o.column());
    const WindowSpec byTAndId = Window::partitionBy("k").orderBy(o.column(), F::col("id"));
    auto rank = [o](const Part& p, size_t i) {
      size_t r = i;
      while (r > 0 && o.compare(orderOf(p[r - 1]), orderOf(p[i])) == 0) --r;
      return r;
    };
    auto peerEnd = [o](const Part& p, size_t i) {
      size_t e = i + 1;
      while (e < p.size() && o.compare(orderOf(p[e]), orderOf(p[i])) == 0) ++e;
      return e;
    };
    auto dense = [o](const Part& p, size_t i) {
      double d = 1;
      for (size_t j = 1; j <= i; ++j) d += o.compare(orderOf(p[j - 1]), orderOf(p[j])) != 0;
      return d;
    };
    auto ntile = [](const Part& p, size_t i) {
      // Spark's NTile: buckets of rows / 4, the first rows % 4 one larger.
      const size_t size = p.size() / 4, extra = p.size() % 4;
      size_t bucket = 1, end = size + (extra > 0 ? 1 : 0);
      for (size_t j = 0; j < i + 1; ++j) {
        if (j + 1 > end) {
          ++bucket;
          end += size + (bucket <= extra ? 1 : 0);
        }
      }
      return Want(static_cast<double>(bucket));
    };
    expectMatches(
        frame(spark, data), data, o,
        {{F::row_number().over(byTAndId), [](const Part&, size_t i) { return Want(i + 1.0); }},
         {F::rank().over(byT), [&](const Part& p, size_t i) { return Want(rank(p, i) + 1.0); }},
         {F::dense_rank().over(byT), [&](const Part& p, size_t i) { return Want(dense(p, i)); }},
         {F::percent_rank().over(byT),
          [&](const Part& p, size_t i) {
            return Want(p.size() == 1 ? 0.0 : rank(p, i) / (p.size() - 1.0));
          }},
         {F::cume_dist().over(byT),
          [&](const Part& p, size_t i) {
            return Want(static_cast<double>(peerEnd(p, i)) / static_cast<double>(p.size()));
          }},
         {F::ntile(4).over(byTAndId), ntile}});
  }
}

TEST_P(Windows, OffsetAndFrameValueFunctionsMatchAPlainLoop) {
  Session spark(ctx());
  const auto data = items(500);
  const Order o{true, true};
  const WindowSpec w = Window::partitionBy("k").orderBy(o.column(), F::col("id"));
  auto shifted = [](int64_t by, Want fallback) {
    return [=](const Part& p, size_t i) {
      const auto at = static_cast<int64_t>(i) - by;
      if (at < 0 || at >= static_cast<int64_t>(p.size())) return fallback;
      return number(valueOf(p[static_cast<size_t>(at)]));
    };
  };
  const Frame around{true, -1, 1};
  const Frame running{true, kUP, 0};  // the default RANGE frame, over unique keys
  expectMatches(
      frame(spark, data), data, o,
      {{F::lag("x").over(w), shifted(1, {})},
       {F::lag(F::col("x"), 2, -1).over(w), shifted(2, -1.0)},
       {F::lead("x").over(w), shifted(-1, {})},
       {F::lead("x", 3, int64_t{7}).over(w), shifted(-3, 7.0)},
       {F::nth_value("x", 2).over(w), overFrame(running, o,
                                                [](const Part& p, size_t lo, size_t hi) {
                                                  return lo + 1 < hi ? number(valueOf(p[lo + 1]))
                                                                     : Want();
                                                })},
       {F::first("x").over(w.rowsBetween(-1, 1)),
        overFrame(around, o,
                  [](const Part& p, size_t lo, size_t) { return number(valueOf(p[lo])); })},
       {F::last_value(F::col("x")).over(w.rowsBetween(-1, 1)),
        overFrame(around, o,
                  [](const Part& p, size_t, size_t hi) { return number(valueOf(p[hi - 1])); })},
       {F::last("x").over(w.rowsBetween(2, 3)),
        overFrame(Frame{true, 2, 3}, o, [](const Part& p, size_t lo, size_t hi) {
          return lo < hi ? number(valueOf(p[hi - 1])) : Want();
        })}});
}

TEST_P(Windows, AggregatesOverRowsFramesMatchAPlainLoop) {
  Session spark(ctx());
  const auto data = items(500);
  const Order o{true, false};
  const WindowSpec w = Window::partitionBy("k").orderBy(o.column(), F::col("id"));
  std::vector<std::pair<Column, Reference>> cases;
  const Frame frames[] = {{true, -2, 1},  {true, kUP, 0},   {true, 0, kUF},
                          {true, -3, -1}, {true, kUP, kUF}, {true, 1, 4}};
  for (const Frame& f : frames) {
    const WindowSpec framed = w.rowsBetween(f.lower, f.upper);
    cases.emplace_back(F::sum("x").over(framed), overFrame(f, o, sumOf));
    cases.emplace_back(F::count("x").over(framed), overFrame(f, o, countOf));
    cases.emplace_back(F::count("*").over(framed), overFrame(f, o, rowsOf));
    cases.emplace_back(F::min("x").over(framed), overFrame(f, o, minOf));
    cases.emplace_back(F::max("x").over(framed), overFrame(f, o, maxOf));
    cases.emplace_back(F::avg("x").over(framed), overFrame(f, o, avgOf));
  }
  expectMatches(frame(spark, data), data, o, cases);
}

TEST_P(Windows, AggregatesOverRangeFramesIncludePeersAndOffsetsByValue) {
  Session spark(ctx());
  const auto data = items(500);
  for (const Order o : {Order{true, true}, Order{false, true}, Order{true, false}}) {
    // Ordered by t alone: ties are peers, which RANGE frames take whole.
    const WindowSpec w = Window::partitionBy("k").orderBy(o.column());
    std::vector<std::pair<Column, Reference>> cases;
    // The default frame with an ORDER BY: RANGE UNBOUNDED PRECEDING to CURRENT ROW.
    cases.emplace_back(F::sum("x").over(w), overFrame(Frame{false, kUP, 0}, o, sumOf));
    const Frame frames[] = {{false, -2, 1},  {false, kUP, 0},  {false, 0, kUF}, {false, 0, 0},
                            {false, kUP, 3}, {false, -4, kUF}, {false, 1, 2}};
    for (const Frame& f : frames) {
      const WindowSpec framed = w.rangeBetween(f.lower, f.upper);
      cases.emplace_back(F::sum("x").over(framed), overFrame(f, o, sumOf));
      cases.emplace_back(F::count("*").over(framed), overFrame(f, o, rowsOf));
      cases.emplace_back(F::max("x").over(framed), overFrame(f, o, maxOf));
    }
    expectMatches(frame(spark, data), data, o, cases);
  }
}

TEST_P(Windows, WithoutAnOrderTheFrameIsTheWholePartition) {
  Session spark(ctx());
  const auto data = items(300);
  const Order o;
  const Frame all{true, kUP, kUF};
  expectMatches(frame(spark, data), data, o,
                {{F::sum("x").over(Window::partitionBy("k")), overFrame(all, o, sumOf)},
                 {F::min("x").over(Window::partitionBy(F::col("k"))), overFrame(all, o, minOf)},
                 {F::count("*").over(), [&](const Part&, size_t) { return Want(data.size()); }}});
}

TEST_P(Windows, EmptyInputOneRowPartitionsAndAGlobalOrder) {
  Session spark(ctx());
  const WindowSpec byId = Window::partitionBy("id").orderBy("id");
  EXPECT_EQ(frame(spark, {}).withColumn("r", F::row_number().over(byId)).count(), 0);
  std::vector<Row> rows = spark.range(0, 50, 1, 4)
                              .withColumn("r", F::row_number().over(byId))
                              .withColumn("s", F::sum("id").over(byId))
                              .withColumn("l", F::lag("id").over(byId))
                              .withColumn("c", F::cume_dist().over(byId))
                              .collect();
  ASSERT_EQ(rows.size(), 50u);
  for (const Row& r : rows) {
    EXPECT_EQ(r.getInt(1), 1);
    EXPECT_EQ(r.getLong(2), r.getLong(0));
    EXPECT_TRUE(r.isNullAt(3));
    EXPECT_EQ(r.getDouble(4), 1.0);
  }
  // No partition keys: every row in one window partition.
  rows = spark.range(0, 3000, 1, 4)
             .withColumn("r", F::row_number().over(Window::orderBy(F::col("id").desc())))
             .collect();
  ASSERT_EQ(rows.size(), 3000u);
  for (const Row& r : rows) EXPECT_EQ(r.getInt(1), 3000 - r.getLong(0));
}

TEST_P(Windows, AWindowInsideAnExpressionAndSpark_sNames) {
  Session spark(ctx());
  const auto data = items(200);
  const WindowSpec w = Window::partitionBy("k").orderBy("t");
  const DataFrame df = frame(spark, data).filter(F::col("x").isNotNull() && F::col("x") != 0);
  const DataFrame out = df.select(F::col("id"), F::col("x"), F::row_number().over(w),
                                  (F::sum("x").over(Window::partitionBy("k")) / F::col("x")));
  EXPECT_EQ(out.columns()[2],
            "row_number() OVER (PARTITION BY k ORDER BY t ASC NULLS FIRST ROWS BETWEEN UNBOUNDED "
            "PRECEDING AND CURRENT ROW)");
  EXPECT_EQ(out.columns()[3],
            "(sum(x) OVER (PARTITION BY k ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED "
            "FOLLOWING) / x)");
  std::map<Opt, double> sums;
  for (const Item& r : data)
    if (valueOf(r) && *valueOf(r) != 0) sums[keyOf(r)] += static_cast<double>(*valueOf(r));
  std::map<int64_t, Opt> keys;
  for (const Item& r : data) keys[std::get<0>(r)] = keyOf(r);
  for (const Row& r : out.collect())
    EXPECT_NEAR(r.getDouble(3), sums[keys[r.getLong(0)]] / static_cast<double>(r.getLong(1)), 1e-9);
}

size_t occurrences(const std::string& text, const std::string& part) {
  size_t n = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

TEST_P(Windows, OneWindowNodePerSpecSharingItsExchangeAndSort) {
  Session spark(ctx());
  const WindowSpec w = Window::partitionBy("k").orderBy("t");
  const DataFrame out = frame(spark, items(100))
                            .select(F::col("id"), F::sum("x").over(w), F::rank().over(w),
                                    F::max("x").over(w.rowsBetween(-1, 1)),
                                    F::lag("x").over(Window::partitionBy("k").orderBy("id")));
  const std::string plan = out.explainString(true);
  const std::string physical = plan.substr(plan.find("== Physical Plan =="));
  const std::string optimized = plan.substr(
      plan.find("== Optimized"), plan.find("== Physical Plan ==") - plan.find("== Optimized"));
  EXPECT_EQ(occurrences(optimized, "Window ["), 2u) << plan;
  EXPECT_THAT(optimized,
              HasSubstr("Window [sum(x) windowspecdefinition(k, t ASC NULLS FIRST, "
                        "specifiedwindowframe(RangeFrame, unboundedpreceding$(), currentrow$())) "
                        "AS sum(x) OVER (PARTITION BY k ORDER BY t ASC NULLS FIRST RANGE BETWEEN "
                        "UNBOUNDED PRECEDING AND CURRENT ROW)"))
      << plan;
  EXPECT_THAT(optimized, HasSubstr("], [k], [t ASC NULLS FIRST]")) << plan;
  EXPECT_THAT(optimized, HasSubstr("specifiedwindowframe(RowFrame, -1, 1)")) << plan;
  EXPECT_THAT(optimized, HasSubstr("lag(x, 1, NULL) windowspecdefinition(k, id ASC NULLS FIRST, "
                                   "specifiedwindowframe(RowFrame, -1, -1))"))
      << plan;
  // The second Window reuses the first one's exchange by k: one in all.
  EXPECT_EQ(occurrences(physical, "Exchange hashpartitioning(k, 3)"), 1u) << plan;
  EXPECT_THAT(physical, HasSubstr("Sort [k ASC NULLS FIRST, t ASC NULLS FIRST], false, 0")) << plan;
  EXPECT_THAT(physical, HasSubstr("Sort [k ASC NULLS FIRST, id ASC NULLS FIRST], false, 0"))
      << plan;
  EXPECT_EQ(out.count(), 100);
}

TEST_P(Windows, AWithColumnChainOverOneSpecIsOneWindowNode) {
  Session spark(ctx());
  const WindowSpec w = Window::partitionBy(F::col("id") % 3).orderBy("id");
  const DataFrame out = spark.range(0, 3000, 1, 4)
                            .withColumn("r", F::row_number().over(w))
                            .withColumn("s", F::sum("id").over(w))
                            .withColumn("l", F::lag("id", 1, int64_t{-1}).over(w));
  const std::string plan = out.explainString(true);
  const std::string optimized = plan.substr(plan.find("== Optimized"));
  const std::string physical = plan.substr(plan.find("== Physical Plan =="));
  EXPECT_EQ(occurrences(optimized, "Window ["), 2u) << plan;  // its line in both plans
  EXPECT_EQ(occurrences(physical, "Exchange hashpartitioning"), 1u) << plan;
  EXPECT_EQ(occurrences(physical, "Sort ["), 1u) << plan;
  EXPECT_THAT(optimized, HasSubstr("AS r, sum(id) windowspecdefinition")) << plan;
  // Window columns nobody reads are not computed, and a Window of none goes.
  auto optimizedOf = [](const DataFrame& d) {
    const std::string all = d.explainString(true);
    const size_t at = all.find("== Optimized");
    return all.substr(at, all.find("== Physical Plan ==") - at);
  };
  const std::string someRead = optimizedOf(out.select("id", "l"));
  EXPECT_THAT(someRead, HasSubstr("lag(id, 1, -1)")) << someRead;
  EXPECT_THAT(someRead, Not(HasSubstr("row_number()"))) << someRead;
  EXPECT_EQ(occurrences(optimizedOf(out.select("id")), "Window ["), 0u)
      << optimizedOf(out.select("id"));
  const std::vector<Row> rows = out.collect();
  ASSERT_EQ(rows.size(), 3000u);
  for (const Row& r : rows) {
    const int64_t id = r.getLong(0), n = id / 3;  // n ids of its class below it
    EXPECT_EQ(r.getInt(1), n + 1);
    EXPECT_EQ(r.getLong(2), (n + 1) * (id % 3) + 3 * n * (n + 1) / 2);
    EXPECT_EQ(r.getLong(3), n == 0 ? -1 : id - 3);
  }
}

TEST_P(Windows, AFilterOnPartitionKeysGoesBelowTheWindowAndOthersStayAbove) {
  Session spark(ctx());
  const auto data = items(300);
  const WindowSpec w = Window::partitionBy("k").orderBy("t", "id");
  const DataFrame ranked = frame(spark, data).withColumn("r", F::row_number().over(w));
  const DataFrame out = ranked.filter(F::col("k") == 3 && F::col("r") <= 2);
  const std::string plan = out.explainString(true);
  const std::string optimized = plan.substr(plan.find("== Optimized"));
  const size_t window = optimized.find("Window [");
  const size_t below = optimized.find("Filter (k = 3)");
  const size_t above = optimized.find("<= 2)");
  ASSERT_NE(window, std::string::npos) << plan;
  EXPECT_NE(below, std::string::npos) << plan;
  EXPECT_GT(below, window) << plan;
  EXPECT_LT(above, window) << plan;
  EXPECT_EQ(out.count(), 2);
  // A filter on the order key would change frames: it stays above.
  const std::string kept = ranked.filter(F::col("t") > 3).explainString(true);
  const std::string keptOptimized = kept.substr(kept.find("== Optimized"));
  EXPECT_LT(keptOptimized.find("Filter"), keptOptimized.find("Window [")) << kept;
}

TEST_P(Windows, MisusedWindowsAreAnalysisErrorsBeforeAnyJob) {
  Session spark(ctx());
  const DataFrame df = frame(spark, items(10));
  const WindowSpec w = Window::partitionBy("k").orderBy("t");
  auto fails = [&](const std::function<void()>& f, const std::string& message) {
    try {
      f();
      ADD_FAILURE() << "no AnalysisException for " << message;
    } catch (const AnalysisException& e) {
      EXPECT_THAT(e.what(), HasSubstr(message));
    }
  };
  fails([&] { df.select(F::row_number()); }, "\"row_number()\" requires an OVER clause");
  fails([&] { df.select(F::col("x").over(w)); },
        "[UNSUPPORTED_EXPR_FOR_WINDOW] Expression \"x\" not supported within a window function");
  fails([&] { df.select((F::col("x") + 1).over(w)); }, "\"(x + 1)\" not supported");
  fails([&] { df.select(F::countDistinct("x").over(w)); }, "DISTINCT_WINDOW_FUNCTION_UNSUPPORTED");
  fails([&] { df.select(F::rank().over(Window::partitionBy("k"))); },
        "rank() requires window to be ordered");
  fails([&] { df.select(F::row_number().over(w.rowsBetween(-1, 1))); },
        "must match the required frame");
  fails([&] { df.select(F::sum("x").over(w.rowsBetween(2, 1))); }, "lower bound");
  fails([&] { df.select(F::sum("x").over(Window::orderBy("t", "id").rangeBetween(-1, 1))); },
        "multiple order by expressions");
  fails([&] { df.select(F::sum("x").over(Window::partitionBy("nope"))); },
        "`nope` cannot be resolved");
  fails([&] { df.filter(F::row_number().over(w) > 1); }, "not allowed to use window functions");
  fails([&] { df.groupBy("k").agg(F::sum("x").over(w)); }, "window functions");
  fails([&] { df.select(F::sum(F::sum("x").over(w)).over(w)); }, "not allowed");
  fails([&] { df.select(F::ntile(0).over(w)); }, "must be positive");
}

EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(Windows);

/// Rows far larger than the memory budget: the sort before the window
/// spills and merges, and running frames still add up.
class WindowSpill : public TinyMemoryTest {};

TEST_P(WindowSpill, TheSortSpillsAndRunningSumsStillAddUp) {
  Session spark(recordedCtx());
  const int64_t n = 150000;
  const WindowSpec w = Window::partitionBy(F::col("id") % 7).orderBy(F::col("id").desc());
  std::vector<Row> rows = spark.range(0, n, 1, 2)
                              .withColumn("s", F::sum("id").over(w))
                              .withColumn("r", F::row_number().over(w))
                              .collect();
  ASSERT_EQ(rows.size(), static_cast<size_t>(n));
  for (const Row& r : rows) {
    // The ids of r's class above or equal to it: id, id + 7, ... below n.
    const int64_t id = r.getLong(0);
    const int64_t count = (n - 1 - id) / 7 + 1;
    ASSERT_EQ(r.getLong(1), count * id + 7 * count * (count - 1) / 2) << id;
    ASSERT_EQ(r.getInt(2), count) << id;
  }
  expectResultStagesSpilled("the window's sort");
}

TEST_P(WindowSpill, ALongPartitionStreamsItsRunningAndBoundedFunctions) {
  Session spark(recordedCtx());
  const int64_t n = 200000;
  // One window partition of every row, with ties (t) and nulls (y) that
  // run across the segments it streams in.
  const DataFrame df = spark.range(0, n, 1, 2)
                           .withColumn("t", F::col("id") / 3)
                           .withColumn("y", F::when(F::col("id") >= n / 2, F::col("id")));
  const WindowSpec byT = Window::orderBy(F::col("t").cast("bigint"));
  const WindowSpec byId = Window::orderBy("id");
  const std::vector<Row> rows =
      df.select(F::col("id"), F::rank().over(byT), F::dense_rank().over(byT),
                F::sum("id").over(byT), F::count("*").over(byT), F::max("id").over(byT),
                F::min("y").over(byT), F::first("id").over(byT), F::row_number().over(byId),
                F::sum("id").over(byId.rowsBetween(Window::unboundedPreceding, 0)),
                F::lag("id").over(byId), F::lag("id", 3, -1).over(byId),
                F::avg("id").over(byId.rowsBetween(-6, 0)),
                F::sum("id").over(byId.rowsBetween(-2, -1)),
                F::first("id").over(byId.rowsBetween(-4, 0)), F::lead("id", 2).over(byId),
                F::sum("id").over(byId.rowsBetween(-3, 3)), F::avg("id").over(byT))
          .collect();
  ASSERT_EQ(rows.size(), static_cast<size_t>(n));
  for (const Row& r : rows) {
    const int64_t id = r.getLong(0), t = id / 3, peersEnd = std::min(3 * t + 3, n);
    ASSERT_EQ(r.getInt(1), 3 * t + 1) << id;
    ASSERT_EQ(r.getInt(2), t + 1) << id;
    ASSERT_EQ(r.getLong(3), peersEnd * (peersEnd - 1) / 2) << id;
    ASSERT_EQ(r.getLong(4), peersEnd) << id;
    ASSERT_EQ(r.getLong(5), peersEnd - 1) << id;
    ASSERT_EQ(r.isNullAt(6), peersEnd <= n / 2) << id;
    if (!r.isNullAt(6)) {
      ASSERT_EQ(r.getLong(6), n / 2) << id;
    }
    ASSERT_EQ(r.getLong(7), 0) << id;
    ASSERT_EQ(r.getInt(8), id + 1) << id;
    ASSERT_EQ(r.getLong(9), id * (id + 1) / 2) << id;
    // Calls that look back read the rows before a segment.
    ASSERT_EQ(r.isNullAt(10), id == 0) << id;
    if (id > 0) {
      ASSERT_EQ(r.getLong(10), id - 1) << id;
    }
    ASSERT_EQ(r.getLong(11), id >= 3 ? id - 3 : -1) << id;
    const int64_t from = std::max<int64_t>(0, id - 6);
    ASSERT_DOUBLE_EQ(r.getDouble(12), static_cast<double>(from + id) / 2) << id;
    ASSERT_EQ(r.isNullAt(13), id == 0) << id;
    if (id > 0) {
      ASSERT_EQ(r.getLong(13), id == 1 ? 0 : 2 * id - 3) << id;
    }
    ASSERT_EQ(r.getLong(14), std::max<int64_t>(0, id - 4)) << id;
    // And those that read ahead, the held rows after a segment.
    ASSERT_EQ(r.isNullAt(15), id + 2 >= n) << id;
    if (id + 2 < n) {
      ASSERT_EQ(r.getLong(15), id + 2) << id;
    }
    const int64_t lo = std::max<int64_t>(0, id - 3), hi = std::min<int64_t>(n - 1, id + 3);
    ASSERT_EQ(r.getLong(16), (lo + hi) * (hi - lo + 1) / 2) << id;
    ASSERT_DOUBLE_EQ(r.getDouble(17), static_cast<double>(peersEnd - 1) / 2) << id;
  }
}

EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(WindowSpill);

}  // namespace
}  // namespace ember::testing
