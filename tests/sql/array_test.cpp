// ARRAY columns: the type, its vectors and Rows.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <ember/ember.hpp>

#include "sql/types/batch.hpp"
#include "sql/types/value.hpp"

namespace ember::testing {
namespace {

namespace F = ember::functions;
using ::testing::HasSubstr;

template <class Fn>
std::string failureOf(Fn&& f) {
  try {
    f();
  } catch (const AnalysisException& e) {
    return e.what();
  }
  return "(no AnalysisException)";
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
  std::string bytes;
  ByteWriter w(bytes);
  batch.writeTo(w);
  ByteReader r(bytes, "a test batch");
  sql::Batch back;
  back.readFrom(r);
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

}  // namespace
}  // namespace ember::testing
