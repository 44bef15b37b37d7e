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

EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(Io);

}  // namespace
}  // namespace ember::testing
