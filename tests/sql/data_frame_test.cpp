// DataFrame operations and column expressions, checked against plain loops
// over the same rows, on every execution shape.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cctype>
#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include <ember/ember.hpp>

#include "support/shapes.hpp"

namespace ember::testing {
namespace {

namespace F = ember::functions;
using ::testing::HasSubstr;
using Person = std::tuple<int64_t, std::string, std::optional<int32_t>, std::optional<double>>;

/// Rows with nulls in every nullable column, duplicated names and ages.
std::vector<Person> people(int n) {
  std::vector<Person> rows;
  for (int i = 0; i < n; ++i) {
    std::optional<int32_t> age;
    if (i % 5 != 0) age = 20 + i % 37;
    std::optional<double> score;
    if (i % 3 != 0) score = (i % 11) * 1.5 - 4;
    rows.emplace_back(i, "name" + std::to_string(i % 17), age, score);
  }
  return rows;
}

class DataFrames : public ShapedTest {};

TEST_P(DataFrames, RangeCountsAndCollectsEveryId) {
  Session spark(ctx());
  DataFrame df = spark.range(5, 100003, 7);
  int64_t expected = 0;
  for (int64_t x = 5; x < 100003; x += 7) ++expected;
  EXPECT_EQ(df.count(), expected);
  EXPECT_EQ(df.columns(), std::vector<std::string>{"id"});
  std::vector<Row> rows = df.collect();
  ASSERT_EQ(static_cast<int64_t>(rows.size()), expected);
  for (size_t i = 0; i < rows.size(); ++i)
    ASSERT_EQ(rows[i].getLong(0), 5 + 7 * static_cast<int64_t>(i));
}

TEST_P(DataFrames, SelectFilterAndWithColumnFollowSqlNullSemantics) {
  Session spark(ctx());
  const auto data = people(3000);
  DataFrame df = spark.createDataFrame(data, {"id", "name", "age", "score"});
  DataFrame out = df.filter(F::col("age") > 30 && F::col("score").isNotNull())
                      .withColumn("next", F::col("age") + 1)
                      .withColumn("ratio", F::col("score") / F::col("age"))
                      .select(F::col("id"), F::col("next"), F::col("ratio"),
                              F::upper(F::col("name")).alias("n"));
  std::vector<Row> rows = out.collect();
  size_t k = 0;
  for (const auto& [id, name, age, score] : data) {
    if (!age || *age <= 30 || !score) continue;  // null > 30 is null: the row is dropped
    ASSERT_LT(k, rows.size());
    const Row& r = rows[k++];
    EXPECT_EQ(r.getLong(0), id);
    EXPECT_EQ(r.getInt(1), *age + 1);
    EXPECT_DOUBLE_EQ(r.getDouble(2), *score / *age);
    std::string upper = name;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    EXPECT_EQ(r.getString(3), upper);
  }
  EXPECT_EQ(k, rows.size());
  EXPECT_EQ(out.dtypes(),
            (std::vector<std::pair<std::string, std::string>>{
                {"id", "bigint"}, {"next", "int"}, {"ratio", "double"}, {"n", "string"}}));
}

TEST_P(DataFrames, ThreeValuedLogicMatchesTheTruthTable) {
  Session spark(ctx());
  using B = std::optional<bool>;
  std::vector<std::tuple<B, B>> rows;
  for (B a : {B(true), B(false), B()})
    for (B b : {B(true), B(false), B()}) rows.emplace_back(a, b);
  DataFrame df = spark.createDataFrame(rows, {"a", "b"});
  std::vector<Row> out = df.select(F::col("a") && F::col("b"), F::col("a") || F::col("b"),
                                   !F::col("a"), F::col("a").eqNullSafe(F::col("b")))
                             .collect();
  ASSERT_EQ(out.size(), rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    const auto [a, b] = rows[i];
    // AND: false if either is false; null if either is null; else true.
    B andV = (a == false || b == false) ? B(false) : (!a || !b) ? B() : B(true);
    B orV = (a == true || b == true) ? B(true) : (!a || !b) ? B() : B(false);
    B notV = a ? B(!*a) : B();
    auto check = [&](size_t c, B want) {
      ASSERT_EQ(out[i].isNullAt(c), !want.has_value()) << out[i].toString();
      if (want) {
        EXPECT_EQ(out[i].getBool(c), *want) << out[i].toString();
      }
    };
    check(0, andV);
    check(1, orV);
    check(2, notV);
    check(3, B(a == b));
  }
}

TEST_P(DataFrames, ImplicitCastsFollowSpark) {
  Session spark(ctx());
  DataFrame df = spark.createDataFrame(
      std::vector<std::tuple<int32_t, std::string, double>>{
          {7, "12", 0.5}, {-3, "x", 2.0}, {0, "4.9", -1}},
      {"i", "s", "d"});
  DataFrame out = df.select(F::col("i") + F::col("d"), F::col("s") + 1, F::col("s") > 10,
                            F::col("i") / 2, F::col("i") % 0, F::col("s").cast("int"));
  EXPECT_EQ(out.dtypes()[0].second, "double") << "int + double is double";
  EXPECT_EQ(out.dtypes()[1].second, "double") << "a string in arithmetic is read as a double";
  EXPECT_EQ(out.dtypes()[3].second, "double") << "int / int is double";
  std::vector<Row> rows = out.collect();
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_DOUBLE_EQ(rows[0].getDouble(0), 7.5);
  EXPECT_DOUBLE_EQ(rows[0].getDouble(1), 13);
  EXPECT_TRUE(rows[1].isNullAt(1)) << "'x' + 1 is null";
  EXPECT_TRUE(rows[0].getBool(2)) << "'12' > 10 compares 12 with 10";
  EXPECT_TRUE(rows[1].isNullAt(2));
  EXPECT_DOUBLE_EQ(rows[1].getDouble(3), -1.5);
  EXPECT_TRUE(rows[0].isNullAt(4)) << "x % 0 is null";
  EXPECT_EQ(rows[2].getInt(5), 4) << "CAST('4.9' AS INT) truncates";
  EXPECT_TRUE(rows[1].isNullAt(5));
}

TEST_P(DataFrames, DecimalArithmeticIsExact) {
  Session spark(ctx());
  DataFrame df = spark.createDataFrame(
      std::vector<std::tuple<std::string, std::string>>{
          {"10.25", "0.1"}, {"-3.10", "3"}, {"99999999.99", "0.01"}},
      {"a", "b"});
  DataFrame d = df.select(F::col("a").cast("decimal(10,2)").alias("a"),
                          F::col("b").cast("decimal(5,2)").alias("b"));
  DataFrame out = d.select(F::col("a") + F::col("b"), F::col("a") * F::col("b"),
                           F::col("a") / F::col("b"), F::col("a") * 2);
  EXPECT_EQ(out.dtypes()[0].second, "decimal(11,2)");
  EXPECT_EQ(out.dtypes()[1].second, "decimal(16,4)");
  std::vector<Row> rows = out.collect();
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].getDecimal(0), "10.35");
  EXPECT_EQ(rows[0].getDecimal(1), "1.0250");
  EXPECT_EQ(rows[1].getDecimal(0), "-0.10");
  EXPECT_EQ(rows[1].getDecimal(1), "-9.3000");
  EXPECT_EQ(rows[2].getDecimal(0), "100000000.00");
  EXPECT_EQ(rows[0].getDecimal(2).substr(0, 9), "102.50000");
  EXPECT_EQ(rows[1].getDecimal(3), "-6.20");
}

TEST_P(DataFrames, StringDateAndConditionalFunctionsMatchPlainCode) {
  Session spark(ctx());
  DataFrame df = spark.createDataFrame(
      std::vector<std::tuple<std::string, std::optional<std::string>>>{
          {"  Alice ", "2024-02-28"}, {"bob", std::nullopt}, {"Ünïcode", "1999-12-31"}},
      {"name", "day"});
  DataFrame out = df.select(
      F::trim(F::col("name")), F::length(F::col("name")), F::substring(F::col("name"), 2, 3),
      F::date_add(F::col("day").cast("date"), 2), F::year(F::col("day")),
      F::datediff(F::col("day").cast("date"), F::lit("2024-01-01").cast("date")),
      F::coalesce(F::col("day"), F::lit("none")),
      F::when(F::col("name").like("%li%"), "has li")
          .when(F::col("name").startswith("b"), "b")
          .otherwise("other"),
      F::col("name").isin("bob", "carol"), F::concat(F::col("name"), F::lit("!")));
  std::vector<Row> r = out.collect();
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].getString(0), "Alice");
  EXPECT_EQ(r[0].getInt(1), 8);
  EXPECT_EQ(r[2].getInt(1), 7) << "length counts characters, not bytes";
  EXPECT_EQ(r[0].getString(2), " Al");
  EXPECT_EQ(r[2].getString(2), "nïc");
  EXPECT_EQ(r[0].value(3).toString(), "2024-03-01") << "2024 is a leap year";
  EXPECT_TRUE(r[1].isNullAt(3));
  EXPECT_EQ(r[2].getInt(4), 1999);
  EXPECT_EQ(r[0].getInt(5), 58);
  EXPECT_EQ(r[1].getString(6), "none");
  EXPECT_EQ(r[0].getString(7), "has li");
  EXPECT_EQ(r[1].getString(7), "b");
  EXPECT_EQ(r[2].getString(7), "other");
  EXPECT_FALSE(r[0].getBool(8));
  EXPECT_TRUE(r[1].getBool(8));
  EXPECT_EQ(r[1].getString(9), "bob!");
}

/// Every run of digits of `s` replaced by `with`, by hand.
std::string digitRunsReplaced(const std::string& s, const std::string& with) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    if (std::isdigit(static_cast<unsigned char>(s[i]))) {
      out += with;
      while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    } else {
      out += s[i++];
    }
  }
  return out;
}

TEST_P(DataFrames, RegexpReplaceReplacesEveryMatchWithGroupsAndRowPatterns) {
  Session spark(ctx());
  std::vector<std::tuple<int64_t, std::optional<std::string>, std::string>> input;
  for (int64_t i = 0; i < 5000; ++i) {
    std::optional<std::string> text;
    if (i % 11 != 0) text = "order " + std::to_string(i) + " of " + std::to_string(i * 7) + "x";
    input.emplace_back(i, text, i % 2 ? "[0-9]+" : "o");
  }
  DataFrame df = spark.createDataFrame(input, {"id", "text", "pattern"});
  std::vector<Row> rows =
      df.select(F::col("id"), F::regexp_replace(F::col("text"), "[0-9]+", "#"),
                F::regexp_replace(F::col("text"), F::col("pattern"), F::lit("_")),
                F::regexp_replace(F::col("text"), "(\\w+) ([0-9]+)", "$2:$1"))
          .collect();
  ASSERT_EQ(rows.size(), input.size());
  for (const Row& r : rows) {
    const auto& [id, text, pattern] = input[static_cast<size_t>(r.getLong(0))];
    if (!text) {
      EXPECT_TRUE(r.isNullAt(1) && r.isNullAt(2) && r.isNullAt(3));
      continue;
    }
    EXPECT_EQ(r.getString(1), digitRunsReplaced(*text, "#"));
    std::string byRow = *text;
    if (id % 2) {
      byRow = digitRunsReplaced(*text, "_");
    } else {
      for (char& c : byRow) c = c == 'o' ? '_' : c;
    }
    EXPECT_EQ(r.getString(2), byRow);
    EXPECT_EQ(r.getString(3), std::to_string(id) + ":order " + std::to_string(id * 7) + ":ofx");
  }
  try {
    df.select(F::regexp_replace(F::col("text"), "([0-9]", "#"));
    FAIL() << "an unbalanced pattern";
  } catch (const AnalysisException& e) {
    EXPECT_THAT(e.what(), HasSubstr("([0-9]"));
    EXPECT_THAT(e.what(), HasSubstr("not a valid regular expression"));
  }
  EXPECT_THROW(df.filter(F::col("text").rlike("a(b")), AnalysisException);
}

TEST_P(DataFrames, LimitTakeFirstAndEmptyInputs) {
  Session spark(ctx());
  DataFrame df = spark.range(0, 10000, 1, 4);
  EXPECT_EQ(df.limit(10).count(), 10);
  std::vector<Row> five = df.take(5);
  ASSERT_EQ(five.size(), 5u);
  EXPECT_EQ(df.filter(F::col("id") > 9990).first().getLong(0), 9991);
  DataFrame none = df.filter(F::col("id") < 0);
  EXPECT_EQ(none.count(), 0);
  EXPECT_TRUE(none.collect().empty());
  EXPECT_THROW(none.first(), Error);
  EXPECT_EQ(spark.createDataFrame(std::vector<std::tuple<int64_t>>{}, {"x"}).count(), 0);
}

TEST_P(DataFrames, RenameDropAndRddKeepValues) {
  Session spark(ctx());
  DataFrame df = spark.createDataFrame(people(100), {"id", "name", "age", "score"});
  DataFrame out = df.withColumnRenamed("name", "who").drop("score", "nope");
  EXPECT_EQ(out.columns(), (std::vector<std::string>{"id", "who", "age"}));
  std::vector<Row> rows = out.rdd().collect();
  ASSERT_EQ(rows.size(), 100u);
  int64_t idSum = 0;
  for (const Row& r : rows) idSum += r.getAs<int64_t>("id");
  EXPECT_EQ(idSum, 99 * 100 / 2);
  EXPECT_EQ(rows[3].getAs<std::string>("who"), "name3");
}

TEST_P(DataFrames, CreateDataFrameFromAnRddKeepsItsPartitionsAndValues) {
  Session spark(ctx());
  std::vector<std::tuple<int64_t, std::string, std::optional<double>>> records;
  for (int64_t i = 0; i < 10000; ++i) {
    std::optional<double> x;
    if (i % 3 != 0) x = static_cast<double>(i) / 4;
    records.emplace_back(i, "w" + std::to_string(i % 7), x);
  }
  Rdd<std::tuple<int64_t, std::string, std::optional<double>>> rdd =
      ctx().parallelize(records, 3).filter([](const auto& t) { return std::get<0>(t) % 2 == 0; });
  DataFrame df = spark.createDataFrame(rdd, {"id", "w", "x"});
  EXPECT_EQ(df.rdd().getNumPartitions(), 3);
  EXPECT_THAT(df.explainString(), ::testing::HasSubstr("Scan ExistingRDD[id, w, x]"));
  std::map<std::string, std::pair<int64_t, double>> want;
  for (const auto& [id, w, x] : records) {
    if (id % 2 != 0) continue;
    ++want[w].first;
    if (x) want[w].second += *x;
  }
  std::vector<Row> rows = df.groupBy("w").agg(F::count("*"), F::sum("x")).collect();
  ASSERT_EQ(rows.size(), want.size());
  for (const Row& r : rows) {
    EXPECT_EQ(r.getLong(1), want.at(r.getString(0)).first);
    EXPECT_DOUBLE_EQ(r.getDouble(2), want.at(r.getString(0)).second);
  }
}

TEST_P(DataFrames, SessionConfChangesTheNextActionsSettings) {
  Session spark(ctx());
  DataFrame counts = spark.range(0, 1000, 1, 2).groupBy((F::col("id") % 10).alias("k")).count();
  EXPECT_THAT(counts.explainString(),
              ::testing::ContainsRegex("Exchange hashpartitioning\\(.*, 200\\)"));
  spark.conf().set("spark.sql.shuffle.partitions", 7);
  EXPECT_EQ(spark.conf().get("ember.sql.shuffle.partitions"), "7");
  EXPECT_THAT(counts.explainString(),
              ::testing::ContainsRegex("Exchange hashpartitioning\\(.*, 7\\)"));
  EXPECT_EQ(counts.rdd().getNumPartitions(), 7);
  EXPECT_EQ(counts.count(), 10);
  spark.conf().set("spark.sql.autoBroadcastJoinThreshold", -1);
  EXPECT_THAT(spark.range(5).join(spark.range(3), "id").explainString(),
              ::testing::HasSubstr("ShuffledHashJoin"));
  EXPECT_THROW(spark.conf().set("ember.executor.memory", "1g"), AnalysisException);
  EXPECT_THROW(spark.conf().set("spark.sql.shuffle.partition", 3), ConfigError);
  EXPECT_THROW(spark.conf().set("spark.sql.shuffle.partitions", "many"), ConfigError);
  EXPECT_EQ(Session(ctx()).conf().get("spark.sql.shuffle.partitions"), "200")
      << "each session has its own settings";
}

EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(DataFrames);

class DataFrameOutput : public ShapedTest {};

TEST_P(DataFrameOutput, ShowPrintsSparksTable) {
  Session spark(ctx());
  DataFrame df = spark.createDataFrame(
      std::vector<std::tuple<int64_t, std::optional<std::string>, double>>{
          {1, "alice", 1.5}, {22, std::nullopt, 1e7}, {3, "a name longer than twenty", -0.25}},
      {"id", "name", "x"});
  EXPECT_EQ(df.showString(),
            "+---+--------------------+-----+\n"
            "| id|                name|    x|\n"
            "+---+--------------------+-----+\n"
            "|  1|               alice|  1.5|\n"
            "| 22|                null|1.0E7|\n"
            "|  3|a name longer tha...|-0.25|\n"
            "+---+--------------------+-----+\n");
  EXPECT_EQ(df.showString(2, 0),
            "+---+-----+-----+\n"
            "|id |name |x    |\n"
            "+---+-----+-----+\n"
            "|1  |alice|1.5  |\n"
            "|22 |null |1.0E7|\n"
            "+---+-----+-----+\n"
            "only showing top 2 rows\n");
}

TEST_P(DataFrameOutput, UnknownColumnsAndTypeErrorsFailAtOnceNamingThem) {
  Session spark(ctx());
  DataFrame df = spark.createDataFrame(people(10), {"id", "name", "age", "score"});
  try {
    df.select(F::col("agee") + 1);
    FAIL() << "no AnalysisException";
  } catch (const AnalysisException& e) {
    EXPECT_THAT(e.what(), HasSubstr("`agee`"));
    EXPECT_THAT(e.what(), HasSubstr("Did you mean `age`?"));
    EXPECT_THAT(e.what(), HasSubstr("[`id`, `name`, `age`, `score`]"));
  }
  try {
    df.filter(F::col("age"));
    FAIL() << "an INT filter";
  } catch (const AnalysisException& e) {
    EXPECT_THAT(e.what(), HasSubstr("not a boolean"));
  }
  try {
    df.select(F::year(F::col("score")));
    FAIL() << "year of a DOUBLE";
  } catch (const AnalysisException& e) {
    EXPECT_THAT(e.what(), HasSubstr("year(score)"));
    EXPECT_THAT(e.what(), HasSubstr("requires DATE"));
  }
  EXPECT_THROW(df.select(F::col("name").cast("date") + 1), AnalysisException);
}

TEST_P(DataFrameOutput, OptimizerPushesFiltersBelowProjectsAndFoldsConstants) {
  Session spark(ctx());
  DataFrame df = spark.range(0, 1000, 1, 2)
                     .withColumn("twice", F::col("id") * 2)
                     .filter(F::col("twice") > F::lit(10) + F::lit(90))
                     .filter(F::col("id") < 400);
  const std::string plan = df.optimizedPlan()->treeString();
  EXPECT_EQ(plan,
            "Project [id, (id * 2) AS twice]\n"
            "+- Filter (((id * 2) > 100) AND (id < 400))\n"
            "   +- Range (0, 1000, step=1, splits=2)\n");
  EXPECT_THAT(df.explainString(true), HasSubstr("== Parsed Logical Plan ==\n'Filter ('id < 400)"));
  EXPECT_THAT(df.explainString(), HasSubstr("*(1) Filter"));
  int64_t expected = 0;
  for (int64_t id = 0; id < 1000; ++id) expected += (id * 2 > 100 && id < 400);
  EXPECT_EQ(df.count(), expected);
}

EMBER_INSTANTIATE_SHAPES(DataFrameOutput);

}  // namespace
}  // namespace ember::testing
