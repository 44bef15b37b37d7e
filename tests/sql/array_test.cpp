// ARRAY columns: the type and its vectors, split, size, array_contains,
// element_at, explode, collect_list and collect_set, against plain loops
// over the same input.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <ember/ember.hpp>

#include "sql/types/batch.hpp"
#include "sql/types/value.hpp"
#include "support/batch_bytes.hpp"
#include "support/shapes.hpp"
#include "support/temp_dir.hpp"
#include "support/tiny_memory.hpp"

namespace ember::testing {
namespace {

namespace F = ember::functions;
using ::testing::HasSubstr;
using Line = std::tuple<std::optional<std::string>>;
using Words = std::vector<std::string>;

template <class Fn>
std::string failureOf(Fn&& f) {
  try {
    f();
  } catch (const AnalysisException& e) {
    return e.what();
  }
  return "(no AnalysisException)";
}

/// Pieces of `s` around each `d`, empty ones kept: Java's split, by hand.
Words splitOn(const std::string& s, char d) {
  Words out(1);
  for (char c : s) {
    if (c == d) {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  return out;
}

/// split(line, " ") as show() and Row::toString print it: [a, b], or null.
std::string splitText(const std::optional<std::string>& line) {
  if (!line) return "null";
  const Words w = splitOn(*line, ' ');
  std::string text = "[";
  for (size_t k = 0; k < w.size(); ++k) text += (k ? ", " : "") + w[k];
  return text + "]";
}

/// Pieces of `s` around each run of blanks (split on "\\s+"), by hand.
Words splitOnBlanks(const std::string& s) {
  Words out(1);
  bool inRun = false;
  for (char c : s) {
    const bool blank = c == ' ' || c == '\t';
    if (blank && !inRun) out.emplace_back();
    if (!blank) out.back() += c;
    inRun = blank;
  }
  return out;
}

/// Lines of words, with nulls, empty lines, doubled and leading blanks.
std::vector<Line> lines(int n) {
  static const char* const kWords[] = {"spark", "ember", "array", "row", "a", "the", "x,y"};
  std::vector<Line> out;
  for (int i = 0; i < n; ++i) {
    if (i % 11 == 0) {
      out.emplace_back(std::nullopt);
      continue;
    }
    std::string line = i % 13 == 0 ? "" : (i % 5 == 0 ? " " : "");
    for (int w = 0; w < i % 13; ++w) {
      if (w) line += i % 4 == 0 ? "  " : (i % 9 == 0 ? "\t" : " ");
      line += kWords[(i * 7 + w * 3) % 7];
    }
    out.emplace_back(line);
  }
  return out;
}

Words stringsOf(const std::vector<sql::Value>& values) {
  Words out;
  for (const sql::Value& v : values) out.push_back(v.isNull() ? "<null>" : v.toString());
  return out;
}

// ---- Types and vectors ----

TEST(ArrayType, NamesParsingAndSchemaTreeAsSpark) {
  const DataType words = DataType::array(DataType::string());
  EXPECT_EQ(words.simpleString(), "array<string>");
  EXPECT_EQ(words.sqlName(), "ARRAY<STRING>");
  EXPECT_EQ(words.typeName(), "array");
  EXPECT_EQ(words.elementType(), DataType::string());
  EXPECT_EQ(DataType::fromString("array<string>"), words);
  EXPECT_EQ(DataType::fromString(" ARRAY < DECIMAL(10, 2) > "),
            DataType::array(DataType::decimal(10, 2)));
  EXPECT_EQ(DataType::array(DataType::decimal(30, 4)).simpleString(), "array<decimal(30,4)>");
  EXPECT_NE(DataType::array(DataType::bigint()), DataType::array(DataType::integer()));
  EXPECT_THAT(failureOf([] { DataType::fromString("array<array<int>>"); }),
              HasSubstr("arrays of arrays"));
  EXPECT_THROW(DataType::fromString("array<int"), ParseException);
  const StructType schema =
      StructType::fromDDL("id BIGINT, words ARRAY<STRING>, prices array<decimal(10,2)> NOT NULL");
  ASSERT_EQ(schema.size(), 3u);
  EXPECT_EQ(schema.treeString(),
            "root\n"
            " |-- id: long (nullable = true)\n"
            " |-- words: array (nullable = true)\n"
            " |    |-- element: string (containsNull = true)\n"
            " |-- prices: array (nullable = false)\n"
            " |    |-- element: decimal(10,2) (containsNull = true)\n");
  EXPECT_EQ(StructType::fromDDL(schema.toDDL()), schema);
}

/// Rows: [a, null, c], null, [], [d] ... with a null every 5th row.
sql::ColumnVector sampleArrays(size_t n) {
  sql::ColumnVector c(DataType::array(DataType::string()));
  for (size_t i = 0; i < n; ++i) {
    if (i % 5 == 1) {
      c.appendNull();
      continue;
    }
    sql::Value::List elements;
    for (size_t k = 0; k < i % 4; ++k)
      elements.push_back(k == 1 ? sql::Value::null(DataType::string())
                                : sql::Value::string("e" + std::to_string(i + k)));
    sql::appendValue(c, sql::Value::list(DataType::string(), elements));
  }
  return c;
}

/// The values of rows [0, n), as valueAt gives them.
std::vector<sql::Value> valuesOf(const sql::ColumnVector& c) {
  std::vector<sql::Value> out;
  for (size_t i = 0; i < c.size(); ++i) out.push_back(sql::valueAt(c, i));
  return out;
}

TEST(ArrayVector, AppendRangeGatherAndValuesKeepEveryRowAndElement) {
  const sql::ColumnVector c = sampleArrays(200);
  const std::vector<sql::Value> want = valuesOf(c);
  EXPECT_EQ(want[0].toString(), "[]");
  EXPECT_EQ(want[1].toString(), "null");
  EXPECT_EQ(want[3].toString(), "[e3, null, e5]");
  sql::ColumnVector copy(c.type());
  for (size_t i = 0; i < c.size(); ++i) copy.appendFrom(c, i);
  EXPECT_EQ(valuesOf(copy), want);
  sql::ColumnVector ranged(c.type());
  ranged.appendRange(c, 0, 70);
  ranged.appendRange(c, 70, 130);
  EXPECT_EQ(valuesOf(ranged), want);
  std::vector<uint32_t> rows;
  for (uint32_t i = 199; i < 200; i -= 3) rows.push_back(i);
  const auto gathered = c.gather(rows.data(), rows.size());
  ASSERT_EQ(gathered->size(), rows.size());
  for (size_t k = 0; k < rows.size(); ++k) EXPECT_EQ(sql::valueAt(*gathered, k), want[rows[k]]);
  EXPECT_GT(c.bytes(), static_cast<int64_t>(c.elements().bytes()));
}

TEST(ArrayVector, BytesRoundTripAndDamagedBytesThrowCorruptBlockError) {
  sql::BatchBuilder b({DataType::bigint(), DataType::array(DataType::string())});
  const sql::ColumnVector arrays = sampleArrays(500);
  for (size_t i = 0; i < arrays.size(); ++i) {
    sql::appendValue(b.column(0), sql::Value::bigint(static_cast<int64_t>(i)));
    b.column(1).appendFrom(arrays, i);
    b.rowAppended();
  }
  const sql::Batch batch = b.finish();
  const std::string bytes = bytesOf(batch);
  sql::Batch back = batchFrom(bytes);
  ASSERT_EQ(back.numRows(), 500u);
  EXPECT_EQ(valuesOf(back.column(1)), valuesOf(arrays));
  for (size_t cut = 0; cut < bytes.size(); cut += 97) {
    const std::string prefix = bytes.substr(0, cut);
    ByteReader damaged(prefix, "a cut batch");
    EXPECT_THROW(back.readFrom(damaged), CorruptBlockError) << "cut at " << cut;
  }
  // A flipped byte either fails to read or reads into offsets that stay
  // inside their elements (walking every value would fault otherwise).
  for (size_t at = 0; at < bytes.size(); at += 13) {
    std::string flipped = bytes;
    flipped[at] = static_cast<char>(flipped[at] ^ 0x5a);
    ByteReader damaged(flipped, "a flipped batch");
    try {
      sql::Batch read;
      read.readFrom(damaged);
      for (size_t c = 0; c < read.numColumns(); ++c) valuesOf(read.column(c));
    } catch (const CorruptBlockError&) {
    }
  }
}

TEST(ArrayRow, ListsComeBackAsValuesAndCrossProcessesIntact) {
  auto schema = std::make_shared<const StructType>(StructType::fromDDL("id INT, w ARRAY<BIGINT>"));
  const sql::Value list = sql::Value::list(
      DataType::bigint(),
      {sql::Value::bigint(3), sql::Value::null(DataType::bigint()), sql::Value::bigint(-1)});
  const Row row({sql::Value::integer(7), list}, schema);
  EXPECT_EQ(row.toString(), "[7,[3, null, -1]]");
  ASSERT_EQ(row.getList(1).size(), 3u);
  EXPECT_EQ(row.getList(1)[0].v, sql::Value::Storage(int64_t{3}));
  EXPECT_TRUE(row.getList(1)[1].isNull());
  EXPECT_THROW(row.getList(0), Error);
  std::string bytes;
  ByteWriter w(bytes);
  row.writeTo(w);
  ByteReader r(bytes, "a row");
  Row back;
  back.readFrom(r);
  EXPECT_EQ(back, row);
  EXPECT_EQ(back.schema(), *schema);
}

// ---- DataFrames, on every shape ----

class Arrays : public ShapedTest {
 protected:
  Conf conf() const override { return Conf().set("ember.sql.shuffle.partitions", "5"); }
};

TEST_P(Arrays, SplitMatchesAHandSplitForLiteralsRegexesLimitsAndNulls) {
  Session spark(ctx());
  const std::vector<Line> data = lines(3000);
  DataFrame df = spark.createDataFrame(data, {"value"});
  DataFrame out = df.select(F::split(F::col("value"), " ").alias("space"),
                            F::split(F::col("value"), "\\s+").alias("blanks"),
                            F::split(F::col("value"), ",", 2).alias("two"),
                            F::split(F::col("value"), "").alias("chars"));
  EXPECT_EQ(out.dtypes()[0].second, "array<string>");
  const std::vector<Row> rows = out.collect();
  ASSERT_EQ(rows.size(), data.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    const std::optional<std::string>& line = std::get<0>(data[i]);
    if (!line) {
      for (size_t c = 0; c < 4; ++c) EXPECT_TRUE(rows[i].isNullAt(c)) << "null in, null out";
      continue;
    }
    EXPECT_EQ(stringsOf(rows[i].getList(0)), splitOn(*line, ' ')) << *line;
    EXPECT_EQ(stringsOf(rows[i].getList(1)), splitOnBlanks(*line)) << *line;
    const size_t comma = line->find(',');
    const Words two = comma == std::string::npos
                          ? Words{*line}
                          : Words{line->substr(0, comma), line->substr(comma + 1)};
    EXPECT_EQ(stringsOf(rows[i].getList(2)), two) << *line;
    Words chars;
    for (char c : *line) chars.emplace_back(1, c);
    if (line->empty()) chars = {""};
    EXPECT_EQ(stringsOf(rows[i].getList(3)), chars) << *line;
  }
}

TEST_P(Arrays, SizeElementAtAndArrayContainsFollowSparkOnNullsAndBounds) {
  Session spark(ctx());
  const std::vector<Line> data = lines(2000);
  DataFrame words =
      spark.createDataFrame(data, {"value"}).withColumn("w", F::split(F::col("value"), " "));
  const std::vector<Row> rows =
      words
          .select(F::size(F::col("w")), F::element_at(F::col("w"), 2),
                  F::element_at(F::col("w"), -1), F::element_at(F::col("w"), 40),
                  F::array_contains(F::col("w"), "ember"), F::col("w").cast("string"))
          .collect();
  ASSERT_EQ(rows.size(), data.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    const std::optional<std::string>& line = std::get<0>(data[i]);
    const Row& r = rows[i];
    if (!line) {
      EXPECT_EQ(r.getInt(0), -1) << "size(null) is -1, as Spark's default";
      for (size_t c = 1; c < 6; ++c) EXPECT_TRUE(r.isNullAt(c)) << r.toString();
      continue;
    }
    const Words w = splitOn(*line, ' ');
    EXPECT_EQ(r.getInt(0), static_cast<int32_t>(w.size()));
    if (w.size() >= 2) {
      EXPECT_EQ(r.getString(1), w[1]);
    } else {
      EXPECT_TRUE(r.isNullAt(1)) << "out of range is null";
    }
    EXPECT_EQ(r.getString(2), w.back());
    EXPECT_TRUE(r.isNullAt(3));
    EXPECT_EQ(r.getBool(4), std::find(w.begin(), w.end(), "ember") != w.end());
    std::string text = "[";
    for (size_t k = 0; k < w.size(); ++k) text += (k ? ", " : "") + w[k];
    EXPECT_EQ(r.getString(5), text + "]");
  }
  // array_contains of an array holding a null: null unless found.
  auto schema = StructType::fromDDL("a ARRAY<INT>");
  const auto list = [](std::vector<std::optional<int32_t>> xs) {
    sql::Value::List out;
    for (auto x : xs)
      out.push_back(x ? sql::Value::integer(*x) : sql::Value::null(DataType::integer()));
    return Row({sql::Value::list(DataType::integer(), out)}, nullptr);
  };
  DataFrame ints = spark.createDataFrame({list({1, std::nullopt}), list({3, 2}), list({})}, schema);
  const std::vector<Row> found = ints.select(F::array_contains(F::col("a"), 2)).collect();
  ASSERT_EQ(found.size(), 3u);
  EXPECT_TRUE(found[0].isNullAt(0));
  EXPECT_TRUE(found[1].getBool(0));
  EXPECT_FALSE(found[2].getBool(0));
}

TEST_P(Arrays, WordCountBySplitExplodeAndGroupByMatchesAPlainLoop) {
  Session spark(ctx());
  const std::vector<Line> data = lines(5000);
  std::map<std::string, int64_t> want;
  for (const auto& [line] : data)
    if (line)
      for (const std::string& w : splitOn(*line, ' ')) ++want[w];
  DataFrame df = spark.createDataFrame(data, {"value"});
  DataFrame words = df.select(F::explode(F::split(F::col("value"), " ")).alias("word"));
  EXPECT_EQ(words.columns(), (std::vector<std::string>{"word"}));
  EXPECT_THAT(words.explainString(),
              HasSubstr("Generate explode(split(value,  , -1)), false, [word]"));
  std::map<std::string, int64_t> got;
  for (const Row& r : words.groupBy("word").count().collect()) got[r.getString(0)] = r.getLong(1);
  EXPECT_EQ(got, want);
  int64_t total = 0;
  for (const auto& [w, n] : want) total += n;
  EXPECT_EQ(words.count(), total);
}

TEST_P(Arrays, ExplodeOuterAndWithColumnKeepTheOtherColumns) {
  Session spark(ctx());
  const std::vector<Line> data = lines(1000);
  DataFrame df = spark.createDataFrame(data, {"value"}).withColumn("n", F::length(F::col("value")));
  DataFrame inner = df.withColumn("w", F::explode(F::split(F::col("value"), "\\s+")));
  DataFrame outer = df.select(F::col("n"), F::explode_outer(F::split(F::col("value"), "\\s+")));
  EXPECT_EQ(inner.columns(), (std::vector<std::string>{"value", "n", "w"}));
  EXPECT_EQ(outer.columns(), (std::vector<std::string>{"n", "col"}));
  EXPECT_THAT(outer.explainString(),
              HasSubstr("Generate explode(split(value, \\s+, -1)), true, [col]"));
  std::multiset<std::string> wantInner, wantOuter;
  for (const auto& [line] : data) {
    const std::string n = line ? std::to_string(line->size()) : "null";
    if (!line) {
      wantOuter.insert(n + "|null");
      continue;
    }
    for (const std::string& w : splitOnBlanks(*line)) {
      wantInner.insert(*line + "|" + n + "|" + w);
      wantOuter.insert(n + "|" + w);
    }
  }
  std::multiset<std::string> gotInner, gotOuter;
  for (const Row& r : inner.collect())
    gotInner.insert(r.getString(0) + "|" + std::to_string(r.getInt(1)) + "|" + r.getString(2));
  for (const Row& r : outer.collect())
    gotOuter.insert(r.value(0).toString() + "|" + r.value(1).toString());
  EXPECT_EQ(gotInner, wantInner);
  EXPECT_EQ(gotOuter, wantOuter);
  // An empty array: no row from explode, one null from explode_outer.
  auto schema = StructType::fromDDL("id INT, a ARRAY<STRING>");
  DataFrame empty = spark.createDataFrame(
      {Row({sql::Value::integer(1), sql::Value::list(DataType::string(), {})}, nullptr)}, schema);
  EXPECT_EQ(empty.select(F::explode(F::col("a"))).count(), 0);
  const std::vector<Row> padded =
      empty.select(F::col("id"), F::explode_outer(F::col("a"))).collect();
  ASSERT_EQ(padded.size(), 1u);
  EXPECT_TRUE(padded[0].isNullAt(1));
  EXPECT_EQ(spark.createDataFrame(std::vector<Line>{}, {"value"})
                .select(F::explode(F::split(F::col("value"), " ")))
                .count(),
            0);
}

TEST_P(Arrays, CollectListAndSetMatchAPlainLoopGroupedAndGlobal) {
  Session spark(ctx());
  using Sale = std::tuple<std::optional<std::string>, std::optional<int32_t>>;
  std::vector<Sale> data;
  std::map<std::optional<std::string>, std::vector<int32_t>> want;
  for (int i = 0; i < 6000; ++i) {
    std::optional<std::string> k;
    if (i % 17 != 0) k = "k" + std::to_string(i % 41);
    std::optional<int32_t> v;
    if (i % 3 != 0 && k != "k7") v = i % 50;  // k7: only nulls
    data.emplace_back(k, v);
    std::vector<int32_t>& list = want[k];
    if (v) list.push_back(*v);
  }
  DataFrame df = spark.createDataFrame(data, {"k", "v"});
  DataFrame grouped = df.groupBy("k").agg(F::collect_list("v"), F::collect_set("v"));
  EXPECT_EQ(grouped.columns(),
            (std::vector<std::string>{"k", "collect_list(v)", "collect_set(v)"}));
  EXPECT_EQ(grouped.dtypes()[1].second, "array<int>");
  const std::vector<Row> rows = grouped.collect();
  ASSERT_EQ(rows.size(), want.size());
  auto ints = [](const std::vector<sql::Value>& values) {
    std::vector<int32_t> out;
    for (const sql::Value& v : values) out.push_back(std::get<int32_t>(v.v));
    std::sort(out.begin(), out.end());
    return out;
  };
  for (const Row& r : rows) {
    std::optional<std::string> k;
    if (!r.isNullAt(0)) k = r.getString(0);
    std::vector<int32_t> list = want.at(k);
    std::sort(list.begin(), list.end());
    EXPECT_EQ(ints(r.getList(1)), list) << r.toString();
    const std::set<int32_t> distinct(list.begin(), list.end());
    EXPECT_EQ(ints(r.getList(2)), std::vector<int32_t>(distinct.begin(), distinct.end()));
    if (k == "k7") {
      EXPECT_EQ(r.value(1).toString(), "[]") << "no values: [], not null";
    }
  }
  // Within one partition, collect_list keeps the order met.
  for (const Row& r : df.coalesce(1).groupBy("k").agg(F::collect_list("v")).collect()) {
    std::optional<std::string> k;
    if (!r.isNullAt(0)) k = r.getString(0);
    std::vector<int32_t> got;
    for (const sql::Value& v : r.getList(1)) got.push_back(std::get<int32_t>(v.v));
    EXPECT_EQ(got, want.at(k));
  }
  const Row all = df.agg(F::collect_list("v"), F::collect_set("k")).first();
  std::vector<int32_t> every;
  std::set<std::string> keys;
  for (const auto& [k, v] : data) {
    if (v) every.push_back(*v);
    if (k) keys.insert(*k);
  }
  std::sort(every.begin(), every.end());
  EXPECT_EQ(ints(all.getList(0)), every);
  Words gotKeys = stringsOf(all.getList(1));
  std::sort(gotKeys.begin(), gotKeys.end());
  EXPECT_EQ(gotKeys, Words(keys.begin(), keys.end()));
  const Row none = df.filter(F::col("v") < 0).agg(F::collect_list("v")).first();
  EXPECT_EQ(none.value(0).toString(), "[]");
}

TEST_P(Arrays, ArraysCrossExchangesAndTheCacheAndGroupAsKeys) {
  Session spark(ctx());
  const std::vector<Line> data = lines(3000);
  DataFrame df = spark.createDataFrame(data, {"value"})
                     .select(F::col("value"), F::split(F::col("value"), " ").alias("w"));
  std::multiset<std::string> want;
  std::set<std::string> distinct;
  for (const auto& [line] : data) {
    const std::string text = splitText(line);
    want.insert(text);
    distinct.insert(text);
  }
  auto texts = [](const std::vector<Row>& rows) {
    std::multiset<std::string> out;
    for (const Row& r : rows) out.insert(r.value(r.size() - 1).toString());
    return out;
  };
  EXPECT_EQ(texts(df.repartition(7).collect()), want);
  EXPECT_EQ(texts(df.repartition(3, {F::col("w")}).collect()), want);
  DataFrame cached = df.cache();
  EXPECT_EQ(texts(cached.collect()), want);
  EXPECT_EQ(texts(cached.collect()), want) << "read back from the cache";
  cached.unpersist();
  // Arrays as grouping keys: equal arrays meet, [] and null stay apart.
  const std::vector<Row> groups = df.select("w").distinct().collect();
  const std::multiset<std::string> got = texts(groups);
  EXPECT_EQ(got, std::multiset<std::string>(distinct.begin(), distinct.end()));
}

TEST_P(Arrays, JoinsAndSortsCarryArraysAsPayload) {
  Session spark(ctx());
  const std::vector<Line> data = lines(4000);
  std::vector<std::tuple<int64_t, std::optional<std::string>>> numbered;
  std::map<int64_t, std::string> want;
  for (size_t i = 0; i < data.size(); ++i) {
    const std::optional<std::string>& line = std::get<0>(data[i]);
    numbered.emplace_back(static_cast<int64_t>(i), line);
    if (i % 3 != 0) continue;  // the ids the join keeps
    want[static_cast<int64_t>(i)] = splitText(line);
  }
  DataFrame df = spark.createDataFrame(numbered, {"id", "value"})
                     .select(F::col("id"), F::split(F::col("value"), " ").alias("w"));
  DataFrame ids = spark.range(0, 4000, 3, 3);
  for (const char* threshold : {"10m", "-1"}) {  // broadcast, then shuffled
    spark.conf().set("spark.sql.autoBroadcastJoinThreshold", threshold);
    std::map<int64_t, std::string> got;
    for (const Row& r : df.join(ids, "id").collect()) got[r.getLong(0)] = r.value(1).toString();
    EXPECT_EQ(got, want) << "threshold " << threshold;
  }
  const std::vector<Row> sorted = df.orderBy(F::col("id").desc()).collect();
  ASSERT_EQ(sorted.size(), data.size());
  for (size_t i = 0; i < sorted.size(); ++i) {
    const int64_t id = sorted[i].getLong(0);
    ASSERT_EQ(id, static_cast<int64_t>(data.size() - 1 - i));
    if (want.contains(id)) {
      EXPECT_EQ(sorted[i].value(1).toString(), want[id]);
    }
  }
}

TEST_P(Arrays, ShowPrintSchemaAndJsonWriteAsSpark) {
  Session spark(ctx());
  DataFrame df =
      spark
          .createDataFrame(std::vector<Line>{{"a b c"}, {std::nullopt}, {""}, {"  long  words"}},
                           {"value"})
          .coalesce(1)
          .withColumn("words", F::split(F::col("value"), " "));
  EXPECT_EQ(df.schema().treeString(),
            "root\n"
            " |-- value: string (nullable = true)\n"
            " |-- words: array (nullable = true)\n"
            " |    |-- element: string (containsNull = true)\n");
  EXPECT_EQ(df.showString(),
            "+-------------+-------------------+\n"
            "|        value|              words|\n"
            "+-------------+-------------------+\n"
            "|        a b c|          [a, b, c]|\n"
            "|         null|               null|\n"
            "|             |                 []|\n"
            "|  long  words|[, , long, , words]|\n"
            "+-------------+-------------------+\n");
  EXPECT_EQ(df.showString(20, 12),
            "+------------+------------+\n"
            "|       value|       words|\n"
            "+------------+------------+\n"
            "|       a b c|   [a, b, c]|\n"
            "|        null|        null|\n"
            "|            |          []|\n"
            "|  long  w...|[, , long...|\n"
            "+------------+------------+\n");
  EXPECT_EQ(df.first().toString(), "[a b c,[a, b, c]]");
  auto schema = StructType::fromDDL("id INT, w ARRAY<STRING>");
  DataFrame held = spark.createDataFrame(
      {Row({sql::Value::integer(1),
            sql::Value::list(DataType::string(),
                             {sql::Value::string("x\"y"), sql::Value::null(DataType::string())})},
           nullptr),
       Row({sql::Value::integer(2), sql::Value::null(schema[1].dataType)}, nullptr)},
      schema);
  const std::string out = tempDir() / "json-arrays";
  held.coalesce(1).write().json(out);
  std::string all;
  for (const auto& e : std::filesystem::directory_iterator(out))
    if (e.path().filename() != "_SUCCESS") all += readFile(e.path().string());
  EXPECT_EQ(all, "{\"id\":1,\"w\":[\"x\\\"y\",null]}\n{\"id\":2}\n");
}

TEST_P(Arrays, WhereArraysCannotGoAnalysisSaysSoNamingTheColumn) {
  Session spark(ctx());
  DataFrame df = spark.createDataFrame(lines(50), {"value"})
                     .withColumn("words", F::split(F::col("value"), " "));
  EXPECT_THAT(failureOf([&] { df.orderBy("words"); }), HasSubstr("sort key 'words'"));
  EXPECT_THAT(failureOf([&] { df.sortWithinPartitions({F::col("words")}); }),
              HasSubstr("ARRAY<STRING>"));
  EXPECT_THAT(failureOf([&] { df.join(df.select("words"), "words"); }),
              HasSubstr("cannot compare arrays"));
  EXPECT_THAT(failureOf([&] { df.filter(F::col("words") == F::col("words")); }),
              HasSubstr("words"));
  const std::string csv = tempDir() / "no-csv";
  EXPECT_THAT(failureOf([&] { df.write().csv(csv); }),
              HasSubstr("CSV data source does not support array<string> data type"));
  EXPECT_FALSE(std::filesystem::exists(csv)) << "refused before any job";
  EXPECT_THAT(failureOf([&] { df.select(F::col("words")).write().text(tempDir() / "t"); }),
              HasSubstr("ARRAY<STRING>"));
  tempDir().write("x.json", "{\"w\": [\"a\"]}\n");
  EXPECT_THAT(failureOf([&] { spark.read().schema("w ARRAY<STRING>").json(tempDir() / "x.json"); }),
              HasSubstr("column `w`"));
  EXPECT_THAT(failureOf([&] { df.agg(F::collect_list("words")); }), HasSubstr("arrays of arrays"));
  EXPECT_THAT(failureOf([&] { df.agg(F::max("words")); }),
              HasSubstr("'words' is of ARRAY<STRING>"));
  EXPECT_THAT(failureOf([&] { df.select(F::explode(F::col("value"))); }),
              HasSubstr("should be array type, however, 'value' is of STRING type"));
  EXPECT_THAT(failureOf([&] { df.select(F::size(F::explode(F::col("words")))); }),
              HasSubstr("[UNSUPPORTED_GENERATOR.NESTED_IN_EXPRESSIONS]"));
  EXPECT_THAT(
      failureOf([&] { df.select(F::explode(F::col("words")), F::explode(F::col("words"))); }),
      HasSubstr("[UNSUPPORTED_GENERATOR.MULTI_GENERATOR]"));
  EXPECT_THAT(failureOf([&] { df.filter(F::size(F::explode(F::col("words"))) > 1); }),
              HasSubstr("[UNSUPPORTED_GENERATOR.OUTSIDE_SELECT]"));
  EXPECT_THAT(failureOf([&] { df.groupBy({F::explode(F::col("words"))}).count(); }),
              HasSubstr("[UNSUPPORTED_GENERATOR"));
  EXPECT_THAT(failureOf([&] { df.select(F::split(F::col("value"), "a(")); }),
              HasSubstr("not a valid regular expression"));
  EXPECT_THAT(failureOf([&] { df.select(F::element_at(F::col("words"), 0)); }),
              HasSubstr("[INVALID_INDEX_OF_ZERO]"));
  EXPECT_THAT(failureOf([&] { df.select(F::col("words").isin("a")); }), HasSubstr("words"));
  EXPECT_THAT(failureOf([&] { df.select(F::col("value").cast("array<string>")); }),
              HasSubstr("cannot cast STRING to ARRAY<STRING>"));
}

EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(Arrays);

/// Lists far larger than the budget: the partial aggregation must flush
/// its lists and the final one spill them, and every value still arrive.
class CollectSpill : public TinyMemoryTest {};

TEST_P(CollectSpill, CollectListFarLargerThanMemorySpillsAndKeepsEveryValue) {
  Session spark(recordedCtx());
  const int64_t n = 300000, groups = 3000;
  DataFrame df =
      spark.range(0, n, 1, 2)
          .withColumn("k", ((F::col("id") * 7919) % groups).cast("string"))
          .withColumn("v", F::concat(F::lit("value-number-"), F::col("id").cast("string")));
  std::map<std::string, Words> want;
  for (int64_t id = 0; id < n; ++id)
    want[std::to_string((id * 7919) % groups)].push_back("value-number-" + std::to_string(id));
  const std::vector<Row> rows =
      df.groupBy("k").agg(F::collect_list("v"), F::collect_set(F::col("id") % 7)).collect();
  ASSERT_EQ(rows.size(), want.size()) << "a group came out twice or not at all";
  for (const Row& r : rows) {
    Words got = stringsOf(r.getList(1));
    std::sort(got.begin(), got.end());
    Words& w = want.at(r.getString(0));
    std::sort(w.begin(), w.end());
    ASSERT_EQ(got, w) << r.getString(0);
    ASSERT_EQ(r.getList(2).size(), 7u) << "ids 3000 apart: every residue";
  }
  expectResultStagesSpilled("collect_list");
}

EMBER_INSTANTIATE_SHAPES(CollectSpill);

}  // namespace
}  // namespace ember::testing
