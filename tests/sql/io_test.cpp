// Reading and writing files (CSV, JSON lines, text) as Spark's
// DataFrameReader and DataFrameWriter do: every value read is checked
// against an expectation computed by plain loops over the text written.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include <ember/ember.hpp>

#include "sql/plan/file_scan.hpp"
#include "support/shapes.hpp"

namespace ember::testing {
namespace {

namespace F = ember::functions;
namespace fs = std::filesystem;
using ::testing::HasSubstr;

/// Small splits, so that files are cut into several byte ranges and a
/// line may cross a split's end.
class Io : public ShapedTest {
 protected:
  Conf conf() const override { return Conf().set("ember.files.maxPartitionBytes", "4k"); }
};

/// A row's values as show() prints them, "null" for nulls.
std::vector<std::string> cells(const Row& r) {
  std::vector<std::string> out;
  for (size_t i = 0; i < r.size(); ++i) out.push_back(r.value(i).toString());
  return out;
}

using Table = std::vector<std::vector<std::string>>;

/// The rows in the order the DataFrame gives them: file order for a scan.
Table table(const DataFrame& df) {
  Table out;
  for (const Row& r : df.collect()) out.push_back(cells(r));
  return out;
}

Table sorted(Table t) {
  std::sort(t.begin(), t.end());
  return t;
}

/// The text of a failure, from the exception or the job's cause.
template <class F>
std::string failureOf(F&& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "(no error)";
}

/// The scan at the bottom of the left spine of `plan`.
const sql::FileScan* scanOf(const sql::LogicalPlan& plan) {
  if (plan.kind == sql::PlanKind::kScan) return plan.scan.get();
  for (const sql::PlanPtr& c : plan.children)
    if (const sql::FileScan* s = scanOf(*c)) return s;
  return nullptr;
}

// ---- CSV ----

/// n rows of id, name, amount, flag, day with nulls and quoting needs, as
/// CSV text and as the cells a reader must give.
struct CsvData {
  std::string text;
  std::vector<std::vector<std::string>> rows;
};

CsvData ordersCsv(int n) {
  CsvData d;
  d.text = "id,name,amount,flag,day\n";
  for (int i = 0; i < n; ++i) {
    const std::string id = std::to_string(i);
    std::string name = "n" + std::to_string(i % 13);
    std::string nameText = name;
    if (i % 7 == 3) {
      name = "a,\"b\" " + std::to_string(i);
      nameText = "\"a,\"\"b\"\" " + std::to_string(i) + "\"";
    }
    const bool nullAmount = i % 5 == 0;
    const std::string amount = std::to_string(i % 100) + ".5";
    const std::string flag = i % 2 ? "true" : "false";
    const int day = 1 + i % 28;
    const std::string dayText = "2024-02-" + std::string(day < 10 ? "0" : "") + std::to_string(day);
    d.text +=
        id + "," + nameText + "," + (nullAmount ? "" : amount) + "," + flag + "," + dayText + "\n";
    d.rows.push_back({id, name, nullAmount ? "null" : amount, flag, dayText});
  }
  return d;
}

TEST_P(Io, CsvHeaderAndInferSchemaGiveSparksTypesAndEveryValue) {
  Session spark(ctx());
  const CsvData data = ordersCsv(3000);
  const std::string path = tempDir().write("orders.csv", data.text);
  DataFrame df = spark.read().option("header", true).option("inferSchema", true).csv(path);
  using Types = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(df.dtypes(), (Types{{"id", "int"},
                                {"name", "string"},
                                {"amount", "double"},
                                {"flag", "boolean"},
                                {"day", "date"}}));
  EXPECT_EQ(table(df), data.rows);
  EXPECT_EQ(df.count(), 3000);
}

TEST_P(Io, CsvWithoutOptionsReadsStringsNamedByPosition) {
  Session spark(ctx());
  const std::string path = tempDir().write("plain.csv", "1,x\n2,\n,z\n");
  DataFrame df = spark.read().csv(path);
  EXPECT_EQ(df.columns(), (std::vector<std::string>{"_c0", "_c1"}));
  EXPECT_EQ(df.dtypes()[0].second, "string");
  EXPECT_EQ(table(df), (Table{{"1", "x"}, {"2", "null"}, {"null", "z"}}));
}

TEST_P(Io, CsvInferenceWidensIntegersDoublesDatesAndTimestamps) {
  Session spark(ctx());
  const std::string path =
      tempDir().write("wide.csv",
                      "a,b,c,d,e,f\n"
                      "1,1,2024-01-01,2024-01-01 10:00:00,true,99999999999999999999\n"
                      "3000000000,2.5,2024-01-02,2024-01-02,x,1\n");
  DataFrame df = spark.read().option("header", "true").option("inferSchema", "true").csv(path);
  using Types = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(df.dtypes(), (Types{{"a", "bigint"},
                                {"b", "double"},
                                {"c", "date"},
                                {"d", "timestamp"},
                                {"e", "string"},
                                {"f", "decimal(20,0)"}}));
  EXPECT_EQ(
      table(df),
      (Table{{"1", "1.0", "2024-01-01", "2024-01-01 10:00:00", "true", "99999999999999999999"},
             {"3000000000", "2.5", "2024-01-02", "2024-01-02 00:00:00", "x", "1"}}));
}

TEST_P(Io, CsvQuotesEscapesSeparatorsNullValueAndPatterns) {
  Session spark(ctx());
  const std::string path = tempDir().write("semi.csv",
                                           "k;s;d;t;m\n"
                                           "1;\"x;y\";05/03/2024;2024/03/05 07:08:09.250;12.50\n"
                                           "2;\"say \\\"hi\\\"\";NA;NA;NA\n"
                                           "3;\"\";31/12/1999;1999/12/31 23:59:59.000;-0.01\n"
                                           "4;NA;01/01/2000;2000/01/01 00:00:00.001;7\n");
  DataFrame df = spark.read()
                     .options({{"header", "true"},
                               {"sep", ";"},
                               {"nullValue", "NA"},
                               {"dateFormat", "dd/MM/yyyy"},
                               {"timestampFormat", "yyyy/MM/dd HH:mm:ss.SSS"}})
                     .schema("k INT, s STRING, d DATE, t TIMESTAMP, m DECIMAL(6,2)")
                     .csv(path);
  EXPECT_EQ(table(df), (Table{{"1", "x;y", "2024-03-05", "2024-03-05 07:08:09.25", "12.50"},
                              {"2", "say \"hi\"", "null", "null", "null"},
                              {"3", "", "1999-12-31", "1999-12-31 23:59:59", "-0.01"},
                              {"4", "null", "2000-01-01", "2000-01-01 00:00:00.001", "7.00"}}));
}

TEST_P(Io, CsvTimestampPatternsHaveOptionalSectionsOffsetsAndAmPm) {
  Session spark(ctx());
  const std::string iso = tempDir().write("iso.csv",
                                          "2024-01-01T10:00:00\n"
                                          "2024-01-01T10:00:00.123\n"
                                          "2024-01-01T10:00:00.123+01:30\n"
                                          "2024-01-01T10:00:00Z\n"
                                          "2024-01-01 10:00:00\n");
  DataFrame df = spark.read()
                     .option("timestampFormat", "yyyy-MM-dd'T'HH:mm:ss[.SSS][XXX]")
                     .schema("t TIMESTAMP")
                     .csv(iso);
  EXPECT_EQ(table(df), (Table{{"2024-01-01 10:00:00"},
                              {"2024-01-01 10:00:00.123"},
                              {"2024-01-01 08:30:00.123"},
                              {"2024-01-01 10:00:00"},
                              {"null"}}));
  const std::string us =
      tempDir().write("us.csv", "12/31/1999 11:59 PM,7/4/2024\n01/02/2000 12:05 AM,1/2/2000\n");
  DataFrame am = spark.read()
                     .option("timestampFormat", "MM/dd/yyyy hh:mm a")
                     .option("dateFormat", "M/d/yyyy")
                     .schema("t TIMESTAMP, d DATE")
                     .csv(us);
  EXPECT_EQ(table(am),
            (Table{{"1999-12-31 23:59:00", "2024-07-04"}, {"2000-01-02 00:05:00", "2000-01-02"}}));
  EXPECT_THAT(failureOf([&] { spark.read().option("dateFormat", "yyyy-QQ").csv(us); }),
              HasSubstr("[INVALID_DATETIME_PATTERN]"));
}

TEST_P(Io, EmptyFilesHeadersAloneAndEmptyDirectories) {
  Session spark(ctx());
  const std::string headerOnly = tempDir().write("h.csv", "a,b\r\n");
  DataFrame h = spark.read().option("header", true).option("inferSchema", true).csv(headerOnly);
  EXPECT_EQ(h.dtypes(),
            (std::vector<std::pair<std::string, std::string>>{{"a", "string"}, {"b", "string"}}));
  EXPECT_EQ(h.count(), 0);
  const std::string empty = tempDir().write("e.csv", "");
  EXPECT_TRUE(spark.read().csv(empty).columns().empty());
  EXPECT_EQ(spark.read().csv(empty).count(), 0);
  EXPECT_TRUE(spark.read().json(empty).columns().empty());
  const std::string dir = tempDir() / "nothing";
  tempDir().write("nothing/_SUCCESS", "");
  EXPECT_THAT(failureOf([&] { spark.read().csv(dir); }), HasSubstr("[UNABLE_TO_INFER_SCHEMA]"));
  EXPECT_EQ(spark.read().schema("a INT").csv(dir).count(), 0);
  EXPECT_EQ(spark.read().text(dir).count(), 0);
  // No newline at the end of the last line.
  const std::string last = tempDir().write("last.csv", "1,2\n3,4");
  EXPECT_EQ(table(spark.read().schema("x INT, y INT").csv(last)), (Table{{"1", "2"}, {"3", "4"}}));
}

const char* kMalformed =
    "id,amount\n"
    "1,1.5\n"
    "2,oops\n"
    "3\n"
    "4,4.5\n";

TEST_P(Io, CsvPermissiveKeepsWhatParsesAndTheLineInCorruptRecord) {
  Session spark(ctx());
  const std::string path = tempDir().write("bad.csv", kMalformed);
  DataFrame df = spark.read()
                     .option("header", true)
                     .schema("id INT, amount DOUBLE, _corrupt_record STRING")
                     .csv(path);
  EXPECT_EQ(table(df), (Table{{"1", "1.5", "null"},
                              {"2", "null", "2,oops"},
                              {"3", "null", "3"},
                              {"4", "4.5", "null"}}));
  // A query of the corrupt-record column reads every column, so that a
  // bad value in a column it does not select still marks its line.
  DataFrame bad = df.filter(F::col("_corrupt_record").isNotNull()).select("_corrupt_record");
  EXPECT_EQ(scanOf(*bad.optimizedPlan())->required.size(), 3u);
  EXPECT_EQ(table(bad), (Table{{"2,oops"}, {"3"}}));
  // Without the column, the malformed fields are null all the same.
  DataFrame plain = spark.read().option("header", true).schema("id INT, amount DOUBLE").csv(path);
  EXPECT_EQ(table(plain), (Table{{"1", "1.5"}, {"2", "null"}, {"3", "null"}, {"4", "4.5"}}));
}

TEST_P(Io, CsvDropMalformedDropsTheBadLines) {
  Session spark(ctx());
  const std::string path = tempDir().write("bad.csv", kMalformed);
  DataFrame df = spark.read()
                     .option("header", true)
                     .option("mode", "DROPMALFORMED")
                     .schema("id INT, amount DOUBLE")
                     .csv(path);
  EXPECT_EQ(table(df), (Table{{"1", "1.5"}, {"4", "4.5"}}));
}

TEST_P(Io, CsvFailFastNamesTheFileTheLineAndTheField) {
  Session spark(ctx());
  // One bad line far into the file: its split starts past the file's start.
  std::string text = "id,amount\n";
  for (int i = 2; i <= 3000; ++i) text += i == 2500 ? "2500,oops\n" : std::to_string(i) + ",1.5\n";
  const std::string path = tempDir().write("bad.csv", text);
  DataFrame df = spark.read()
                     .option("header", true)
                     .option("mode", "FAILFAST")
                     .schema("id INT, amount DOUBLE")
                     .csv(path);
  ASSERT_GT(df.rdd().getNumPartitions(), 2);
  const std::string error = failureOf([&] { df.collect(); });
  EXPECT_THAT(error, HasSubstr("[MALFORMED_RECORD_IN_PARSING]"));
  EXPECT_THAT(error, HasSubstr(path + ", line 2500, field 'amount'"));
  EXPECT_THAT(error, HasSubstr("'oops' is not a value of type DOUBLE"));
  EXPECT_THAT(error, HasSubstr("PERMISSIVE"));
}

TEST_P(Io, AMissingPathFailsWhenTheDataFrameIsDefined) {
  Session spark(ctx());
  const std::string missing = tempDir() / "nope.csv";
  const std::string error = failureOf([&] { spark.read().csv(missing); });
  EXPECT_THAT(error, HasSubstr("[PATH_NOT_FOUND] Path does not exist: file:" + missing));
  EXPECT_THAT(failureOf([&] { spark.read().json(tempDir() / "*.nothing"); }),
              HasSubstr("[PATH_NOT_FOUND]"));
  EXPECT_THROW(spark.read().text(missing), AnalysisException);
}

TEST_P(Io, ADirectoryReadsItsVisibleFilesEachWithItsHeader) {
  Session spark(ctx());
  // Files of many lines, cut into several splits; empty files; files
  // that Hadoop's convention hides.
  std::vector<std::vector<std::string>> expected;
  for (int f = 0; f < 4; ++f) {
    std::string text = "k,v\n";
    for (int i = 0; i < (f == 2 ? 0 : 700 * (f + 1)); ++i) {
      const int k = f * 100000 + i;
      text += std::to_string(k) + "," + (i % 9 == 0 ? "" : "v" + std::to_string(i)) + "\n";
      expected.push_back({std::to_string(k), i % 9 == 0 ? "null" : "v" + std::to_string(i)});
    }
    tempDir().write("dir/part-" + std::to_string(f) + ".csv", text);
  }
  tempDir().write("dir/empty.csv", "");
  tempDir().write("dir/_SUCCESS", "");
  tempDir().write("dir/.hidden.csv", "k,v\nhidden,1\n");
  DataFrame df =
      spark.read().option("header", true).schema("k BIGINT, v STRING").csv(tempDir() / "dir");
  EXPECT_GT(df.rdd().getNumPartitions(), 5);
  EXPECT_EQ(table(df), expected);
  // The header alone is read for the names, without inferSchema.
  EXPECT_EQ(spark.read().option("header", true).csv(tempDir() / "dir").columns(),
            (std::vector<std::string>{"k", "v"}));
}

TEST_P(Io, PruningReadsOnlyTheColumnsThePlanUses) {
  Session spark(ctx());
  const CsvData data = ordersCsv(500);
  const std::string path = tempDir().write("orders.csv", data.text);
  DataFrame df = spark.read().option("header", true).option("inferSchema", true).csv(path);
  DataFrame q =
      df.filter(F::col("flag")).select(F::col("id"), (F::col("amount") * 2).alias("twice"));
  const sql::PlanPtr optimized = q.optimizedPlan();
  const sql::FileScan* scan = scanOf(*optimized);
  ASSERT_NE(scan, nullptr);
  EXPECT_EQ(scan->required, (std::vector<size_t>{0, 2, 3}));
  EXPECT_THAT(q.explainString(),
              HasSubstr("ReadSchema: struct<id:int,amount:double,flag:boolean>"));
  EXPECT_THAT(q.explainString(true), HasSubstr("Relation [id, amount, flag] csv"));
  std::vector<std::vector<std::string>> expected;
  for (const auto& r : data.rows) {
    if (r[3] != "true") continue;
    expected.push_back({r[0], r[2] == "null" ? "null" : sql::formatDouble(std::stod(r[2]) * 2)});
  }
  EXPECT_EQ(table(q), expected);
  // count() needs no column at all; a bare select none of the projection.
  EXPECT_EQ(scanOf(*df.groupBy().count().optimizedPlan())->required.size(), 0u);
  EXPECT_EQ(df.count(), 500);
  const sql::PlanPtr narrow = df.select("day", "id").optimizedPlan();
  EXPECT_EQ(scanOf(*narrow)->required, (std::vector<size_t>{0, 4}));
}

TEST_P(Io, PruningReachesBothSidesOfAJoin) {
  Session spark(ctx());
  const std::string a = tempDir().write("a.csv", "k,x,y\n1,a,10\n2,b,20\n3,c,30\n");
  const std::string b = tempDir().write("b.csv", "k2,z,w\n1,p,100\n3,q,300\n4,r,400\n");
  auto read = [&](const std::string& p) {
    return spark.read().option("header", true).option("inferSchema", true).csv(p);
  };
  DataFrame l = read(a), r = read(b);
  DataFrame q = l.join(r, l["k"] == r["k2"]).select(F::col("y"), F::col("w"));
  const sql::PlanPtr plan = q.optimizedPlan();
  EXPECT_THAT(plan->treeString(), HasSubstr("Relation [k, y] csv"));
  EXPECT_THAT(plan->treeString(), HasSubstr("Relation [k2, w] csv"));
  EXPECT_EQ(sorted(table(q)), (Table{{"10", "100"}, {"30", "300"}}));
}

// ---- JSON lines ----

TEST_P(Io, JsonInfersSortedFieldsWidensNumbersAndKeepsNestedValuesAsText) {
  Session spark(ctx());
  const std::string path = tempDir().write(
      "people.json",
      "{\"name\":\"ann\",\"age\":30,\"score\":1.5,\"tags\":[1,2],\"ok\":true}\n"
      "\n"
      "{\"age\":3000000000,\"name\":\"b\\\"o\\u00e9\\nb\",\"score\":2,\"extra\":{\"a\":\"}\"}}\n"
      "{\"name\":null,\"ok\":false}\n");
  DataFrame df = spark.read().json(path);
  using Types = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(df.dtypes(), (Types{{"age", "bigint"},
                                {"extra", "string"},
                                {"name", "string"},
                                {"ok", "boolean"},
                                {"score", "double"},
                                {"tags", "string"}}));
  EXPECT_EQ(table(df),
            (Table{{"30", "null", "ann", "true", "1.5", "[1,2]"},
                   {"3000000000", "{\"a\":\"}\"}", "b\"o\xc3\xa9\nb", "null", "2.0", "null"},
                   {"null", "null", "null", "false", "null", "null"}}));
}

const char* kBadJson =
    "{\"id\":1,\"v\":1.5}\n"
    "{\"id\":2,\"v\":\"x\"}\n"
    "{\"id\":3,\n"
    "{\"id\":4,\"v\":4}\n";

TEST_P(Io, JsonModesTreatBadRecordsAsCsvDoes) {
  Session spark(ctx());
  const std::string path = tempDir().write("bad.json", kBadJson);
  // Inference in PERMISSIVE mode adds the corrupt-record column, as Spark's.
  DataFrame inferred = spark.read().json(path);
  EXPECT_EQ(inferred.columns(), (std::vector<std::string>{"_corrupt_record", "id", "v"}));
  DataFrame permissive =
      spark.read().schema("id BIGINT, v DOUBLE, _corrupt_record STRING").json(path);
  EXPECT_EQ(table(permissive), (Table{{"1", "1.5", "null"},
                                      {"2", "null", "{\"id\":2,\"v\":\"x\"}"},
                                      {"null", "null", "{\"id\":3,"},
                                      {"4", "4.0", "null"}}));
  // A number in a string is not a DOUBLE; Spark's words for the non-finite ones are.
  const std::string words =
      tempDir().write("w.json", "{\"v\":\"2.5\"}\n{\"v\":\"NaN\"}\n{\"v\":\"-Infinity\"}\n");
  EXPECT_EQ(table(spark.read().schema("v DOUBLE").json(words)),
            (Table{{"null"}, {"NaN"}, {"-Infinity"}}));
  DataFrame dropped =
      spark.read().option("mode", "DROPMALFORMED").schema("id BIGINT, v DOUBLE").json(path);
  EXPECT_EQ(table(dropped), (Table{{"1", "1.5"}, {"4", "4.0"}}));
  const std::string oneBad = tempDir().write("one.json", "{\"id\":1}\n{\"id\":2,\"v\":\"x\"}\n");
  DataFrame failing =
      spark.read().option("mode", "FAILFAST").schema("id BIGINT, v DOUBLE").json(oneBad);
  const std::string error = failureOf([&] { failing.collect(); });
  EXPECT_THAT(error, HasSubstr(oneBad + ", line 2, field 'v'"));
}

// ---- text ----

TEST_P(Io, TextGivesALineAColumnValueEmptyLinesIncluded) {
  Session spark(ctx());
  std::string text;
  Table expected;
  for (int i = 0; i < 5000; ++i) {
    const std::string line = i % 10 == 0 ? "" : "line, \"" + std::to_string(i) + "\"";
    text += line + (i % 3 == 0 ? "\r\n" : "\n");
    expected.push_back({line});
  }
  const std::string path = tempDir().write("lines.txt", text);
  DataFrame df = spark.read().text(path);
  EXPECT_EQ(df.columns(), std::vector<std::string>{"value"});
  EXPECT_EQ(table(df), expected);
  EXPECT_EQ(df.count(), 5000);
  EXPECT_EQ(df.filter(F::col("value") == "").count(), 500);
}

TEST_P(Io, PruningPassesThroughSortsAndRepartitions) {
  Session spark(ctx());
  const CsvData data = ordersCsv(800);
  const std::string path = tempDir().write("orders.csv", data.text);
  DataFrame df = spark.read().option("header", true).option("inferSchema", true).csv(path);
  DataFrame q = df.repartition(3).orderBy(F::col("id").desc()).select("name");
  EXPECT_EQ(scanOf(*q.optimizedPlan())->required, (std::vector<size_t>{0, 1}));
  Table expected;
  for (auto it = data.rows.rbegin(); it != data.rows.rend(); ++it) expected.push_back({(*it)[1]});
  EXPECT_EQ(table(q), expected);
}

TEST_P(Io, PruningAppliesToJsonAndText) {
  Session spark(ctx());
  const std::string json = tempDir().write(
      "p.json", "{\"a\":1,\"b\":\"x\",\"c\":2.5}\n{\"c\":3.5,\"a\":2,\"b\":\"y\"}\n");
  DataFrame df = spark.read().json(json).select(F::col("c"), F::col("a") + 1);
  EXPECT_EQ(scanOf(*df.optimizedPlan())->required, (std::vector<size_t>{0, 2}));
  EXPECT_EQ(table(df), (Table{{"2.5", "2"}, {"3.5", "3"}}));
  const std::string text = tempDir().write("t.txt", "a\nb\n\n");
  DataFrame counted = spark.read().text(text).groupBy().count();
  EXPECT_TRUE(scanOf(*counted.optimizedPlan())->required.empty());
  EXPECT_EQ(table(counted), (Table{{"3"}}));
}

// ---- Writing ----

StructType everyType() {
  return StructType::fromDDL(
      "b BOOLEAN, i INT, l BIGINT, d DOUBLE, m DECIMAL(12,3), s STRING, day DATE, ts TIMESTAMP");
}

/// Rows of every type, nulls in each column, strings that need quoting
/// and escaping in CSV and JSON.
/// CSV without multiLine cannot hold a line break: `lineBreaks` leaves them out.
std::vector<Row> everyTypeRows(int n, bool lineBreaks) {
  using sql::Value;
  auto schema = std::make_shared<const StructType>(everyType());
  const std::vector<std::string> strings = {"plain",       "a,b",      "say \"hi\"",  "",
                                            "back\\slash", " padded ", "line\nbreak", "tab\there",
                                            "é ü"};
  std::vector<Row> rows;
  for (int i = 0; i < n; ++i) {
    std::string text = strings[static_cast<size_t>(i) % strings.size()];
    if (!lineBreaks && text.find('\n') != std::string::npos) text = "no break";
    std::vector<Value> v;
    const bool null = i % 9 == 4;
    v.push_back(null ? Value::null(DataType::boolean()) : Value::boolean(i % 2 == 0));
    v.push_back(i % 9 == 5 ? Value::null(DataType::integer()) : Value::integer(i * 7 - 300));
    v.push_back(i % 9 == 6 ? Value::null(DataType::bigint())
                           : Value::bigint(int64_t{i} * 1'000'000'007LL - 5));
    v.push_back(i % 9 == 7 ? Value::null(DataType::float64()) : Value::float64(i * 0.25 - 3e7));
    v.push_back(i % 9 == 8 ? Value::null(DataType::decimal(12, 3))
                           : Value::decimal(DataType::decimal(12, 3), int64_t{i} * 1001 - 7));
    v.push_back(i % 9 == 0 ? Value::null(DataType::string()) : Value::string(text));
    v.push_back(i % 9 == 1 ? Value::null(DataType::date()) : Value::date(i * 13 - 4000));
    // Milliseconds: Spark's default timestampFormat writes three digits.
    v.push_back(i % 9 == 2 ? Value::null(DataType::timestamp())
                           : Value::timestamp(int64_t{i} * 86'399'123'000LL - 1'000'000));
    rows.emplace_back(std::move(v), schema);
  }
  return rows;
}

Table tableOf(const std::vector<Row>& rows) {
  Table t;
  for (const Row& r : rows) t.push_back(cells(r));
  return t;
}

/// The part files of an output directory, and whether it has _SUCCESS.
std::vector<std::string> partFiles(const std::string& dir) {
  std::vector<std::string> parts;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (name != "_SUCCESS") parts.push_back(name);
  }
  std::sort(parts.begin(), parts.end());
  return parts;
}

/// No temporary or replaced directory is left beside the outputs.
void expectNoLeftovers(const std::string& parent) {
  for (const auto& e : fs::directory_iterator(parent))
    EXPECT_THAT(e.path().filename().string(), ::testing::Not(HasSubstr(".ember-")));
}

TEST_P(Io, CsvRoundTripKeepsEveryTypeNullsAndAwkwardStrings) {
  Session spark(ctx());
  const std::vector<Row> rows = everyTypeRows(2000, false);
  DataFrame df = spark.createDataFrame(rows, everyType());
  const std::string out = tempDir() / "csv-out";
  df.write().option("header", true).csv(out);
  EXPECT_TRUE(fs::exists(out + "/_SUCCESS"));
  for (const std::string& part : partFiles(out))
    EXPECT_THAT(part, ::testing::MatchesRegex("part-[0-9]{5}-[0-9a-f-]{36}\\.csv"));
  expectNoLeftovers(tempDir().path());
  DataFrame back = spark.read().option("header", true).schema(everyType()).csv(out);
  // Part files are read in name order, which is partition order.
  EXPECT_EQ(table(back), tableOf(rows));
}

TEST_P(Io, JsonRoundTripKeepsEveryTypeAndOmitsNullFields) {
  Session spark(ctx());
  const std::vector<Row> rows = everyTypeRows(2000, true);
  DataFrame df = spark.createDataFrame(rows, everyType());
  const std::string out = tempDir() / "json-out";
  df.write().json(out);
  std::string all;
  for (const std::string& part : partFiles(out)) all += readFile(out + "/" + part);
  EXPECT_THAT(all, ::testing::Not(HasSubstr("null")));
  EXPECT_THAT(all, HasSubstr("{\"b\":true,\"i\":-300,\"l\":-5,\"d\":-3.0E7,\"m\":-0.007,"));
  DataFrame back = spark.read().schema(everyType()).json(out);
  EXPECT_EQ(table(back), tableOf(rows));
}

TEST_P(Io, TextRoundTripWritesOneLineARowAndNeedsOneStringColumn) {
  Session spark(ctx());
  std::vector<std::tuple<std::optional<std::string>>> rows;
  Table expected;
  for (int i = 0; i < 300; ++i) {
    std::optional<std::string> v;
    if (i % 7 != 0) v = "row " + std::to_string(i) + (i % 5 == 0 ? "" : ", with \"text\"");
    rows.emplace_back(v);
    expected.push_back({v ? *v : ""});  // Spark writes null as an empty line
  }
  DataFrame df = spark.createDataFrame(rows, {"value"});
  const std::string out = tempDir() / "text-out";
  df.write().text(out);
  EXPECT_EQ(table(spark.read().text(out)), expected);
  DataFrame two = spark.range(3).withColumn("s", F::lit("x"));
  EXPECT_THAT(failureOf([&] { two.write().text(tempDir() / "t2"); }),
              HasSubstr("supports only a single column, and you have 2 columns"));
  EXPECT_THROW(spark.range(3).write().text(tempDir() / "t3"), AnalysisException);
  EXPECT_FALSE(fs::exists(tempDir() / "t2"));
}

TEST_P(Io, CsvWriterOptionsShapeTheText) {
  Session spark(ctx());
  auto schema = std::make_shared<const StructType>(
      StructType::fromDDL("k INT, s STRING, d DATE, t TIMESTAMP"));
  using sql::Value;
  std::vector<Row> rows = {Row({Value::integer(1), Value::string("a|b"), Value::date(19723),
                                Value::timestamp(1'704'103'200'500'000)},
                               schema),
                           Row({Value::null(DataType::integer()), Value::string("q'uote"),
                                Value::null(DataType::date()), Value::null(DataType::timestamp())},
                               schema)};
  const std::string out = tempDir() / "opts";
  spark.createDataFrame(rows, *schema)
      .write()
      .options({{"header", "true"},
                {"sep", "|"},
                {"quote", "'"},
                {"nullValue", "NULL"},
                {"dateFormat", "dd.MM.yyyy"},
                {"timestampFormat", "yyyy-MM-dd HH:mm:ss.SSS"}})
      .csv(out);
  std::string all;
  for (const std::string& part : partFiles(out)) {
    const std::string text = readFile(out + "/" + part);
    all += text.substr(text.find('\n') + 1);  // each part has the header
    EXPECT_EQ(text.substr(0, text.find('\n')), "k|s|d|t");
  }
  EXPECT_EQ(all, "1|'a|b'|01.01.2024|2024-01-01 10:00:00.500\nNULL|'q\\'uote'|NULL|NULL\n");
  // Spark's defaults: ISO timestamps with milliseconds and the offset.
  const std::string plain = tempDir() / "plain";
  spark.createDataFrame(rows, *schema).limit(1).write().csv(plain);
  std::string text;
  for (const std::string& part : partFiles(plain)) text += readFile(plain + "/" + part);
  EXPECT_EQ(text, "1,a|b,2024-01-01,2024-01-01T10:00:00.500Z\n");
}

TEST_P(Io, AnEmptyResultWritesOnePartWithItsHeader) {
  Session spark(ctx());
  const std::string out = tempDir() / "empty";
  spark.range(100).filter(F::col("id") < 0).write().option("header", true).csv(out);
  const std::vector<std::string> parts = partFiles(out);
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(readFile(out + "/" + parts[0]), "id\n");
  DataFrame back = spark.read().option("header", true).option("inferSchema", true).csv(out);
  EXPECT_EQ(back.columns(), std::vector<std::string>{"id"});
  EXPECT_EQ(back.count(), 0);
}

Table idsBelow(int n) {
  Table t;
  for (int i = 0; i < n; ++i) t.push_back({std::to_string(i)});
  return t;
}

TEST_P(Io, SaveModesTreatAnExistingPathAsSparkDoes) {
  Session spark(ctx());
  const std::string out = tempDir() / "modes";
  auto readBack = [&] { return sorted(table(spark.read().schema("id BIGINT").csv(out))); };
  spark.range(3).write().csv(out);
  const std::string error = failureOf([&] { spark.range(5).write().csv(out); });
  EXPECT_THAT(error, HasSubstr("[PATH_ALREADY_EXISTS] Path file:" + out + " already exists"));
  EXPECT_THAT(error, HasSubstr("Set mode as \"overwrite\""));
  EXPECT_THROW(spark.range(5).write().mode("errorifexists").csv(out), AnalysisException);
  spark.range(5).write().mode("ignore").csv(out);
  EXPECT_EQ(readBack(), idsBelow(3));
  spark.range(3, 6).write().mode("append").csv(out);
  EXPECT_EQ(readBack(), sorted(idsBelow(6)));
  spark.range(2).write().mode("overwrite").csv(out);
  EXPECT_EQ(readBack(), idsBelow(2));
  spark.range(4).write().mode("append").csv(tempDir() / "fresh");  // append creates
  EXPECT_EQ(table(spark.read().schema("id BIGINT").csv(tempDir() / "fresh")), idsBelow(4));
  EXPECT_THROW(spark.range(1).write().mode("sometimes"), AnalysisException);
  expectNoLeftovers(tempDir().path());
}

TEST_P(Io, AFailedJobLeavesNoOutputAndAFailedOverwriteTheOldData) {
  Session spark(ctx());
  std::string text = "id\n";
  for (int i = 0; i < 3000; ++i) text += i == 2900 ? "bad\n" : std::to_string(i) + "\n";
  const std::string source = tempDir().write("source.csv", text);
  DataFrame failing = spark.read()
                          .option("header", true)
                          .option("mode", "FAILFAST")
                          .schema("id BIGINT")
                          .csv(source);
  const std::string fresh = tempDir() / "fresh";
  EXPECT_THROW(failing.write().csv(fresh), JobFailed);
  EXPECT_FALSE(fs::exists(fresh));
  const std::string out = tempDir() / "kept";
  spark.range(7).write().csv(out);
  EXPECT_THROW(failing.write().mode("overwrite").csv(out), JobFailed);
  EXPECT_THROW(failing.write().mode("append").csv(out), JobFailed);
  EXPECT_EQ(sorted(table(spark.read().schema("id BIGINT").csv(out))), idsBelow(7));
  EXPECT_TRUE(fs::exists(out + "/_SUCCESS"));
  expectNoLeftovers(tempDir().path());
}

EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(Io);

}  // namespace
}  // namespace ember::testing
