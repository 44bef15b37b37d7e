// DataType, StructType and DDL: names and layouts as Spark prints them.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <ember/ember.hpp>

#include "sql/types/batch.hpp"
#include "sql/types/date_time.hpp"
#include "sql/types/value.hpp"
#include "support/batch_bytes.hpp"

namespace ember::testing {
namespace {

using ::testing::HasSubstr;

TEST(DataType, ParsesSparkTypeNamesAndPrintsEachForm) {
  EXPECT_EQ(DataType::fromString("BIGINT"), DataType::bigint());
  EXPECT_EQ(DataType::fromString("long"), DataType::bigint());
  EXPECT_EQ(DataType::fromString(" Decimal( 10 , 2 ) "), DataType::decimal(10, 2));
  EXPECT_EQ(DataType::fromString("decimal"), DataType::decimal(10, 0));
  EXPECT_EQ(DataType::fromString("integer").simpleString(), "int");
  EXPECT_EQ(DataType::integer().typeName(), "integer");
  EXPECT_EQ(DataType::bigint().typeName(), "long");
  EXPECT_EQ(DataType::decimal(38, 18).sqlName(), "DECIMAL(38,18)");
  EXPECT_TRUE(DataType::decimal(19, 2).isWideDecimal());
  EXPECT_FALSE(DataType::decimal(18, 2).isWideDecimal());
}

TEST(DataType, RejectsUnknownTypesAndImpossibleDecimals) {
  EXPECT_THROW(DataType::fromString("varchar2"), ParseException);
  EXPECT_THROW(DataType::decimal(39, 0), AnalysisException);
  EXPECT_THROW(DataType::decimal(5, 6), AnalysisException);
  try {
    DataType::fromString("map<string,int>");
    FAIL();
  } catch (const ParseException& e) {
    EXPECT_THAT(e.what(), HasSubstr("map<string,int>"));
  }
}

TEST(StructType, ParsesDdlWithDecimalsBackquotesAndNotNull) {
  const StructType s =
      StructType::fromDDL("id BIGINT NOT NULL, `first name` STRING, price DECIMAL(10,2), d date");
  ASSERT_EQ(s.size(), 4u);
  EXPECT_EQ(s[0], (StructField{"id", DataType::bigint(), false}));
  EXPECT_EQ(s[1].name, "first name");
  EXPECT_EQ(s[2].dataType, DataType::decimal(10, 2));
  EXPECT_EQ(s[3].dataType, DataType::date());
  EXPECT_EQ(s.find("ID"), 0u) << "names resolve case-insensitively, as Spark's default";
  EXPECT_EQ(StructType::fromDDL(s.toDDL()), s);
  EXPECT_THROW(StructType::fromDDL("id"), ParseException);
  EXPECT_THROW(StructType::fromDDL("id BIGINT,"), ParseException);
}

TEST(StructType, TreeStringIsSparksPrintSchema) {
  const StructType s{{"id", DataType::bigint(), false}, {"name", DataType::string(), true}};
  EXPECT_EQ(s.treeString(),
            "root\n"
            " |-- id: long (nullable = false)\n"
            " |-- name: string (nullable = true)\n");
  EXPECT_EQ(s.simpleString(), "struct<id:bigint,name:string>");
}

TEST(Value, FormatsDoublesAsJavaDoes) {
  EXPECT_EQ(sql::formatDouble(1), "1.0");
  EXPECT_EQ(sql::formatDouble(0.1), "0.1");
  EXPECT_EQ(sql::formatDouble(-2.5), "-2.5");
  EXPECT_EQ(sql::formatDouble(1e7), "1.0E7");
  EXPECT_EQ(sql::formatDouble(123456.789), "123456.789");
  EXPECT_EQ(sql::formatDouble(0.001), "0.001");
  EXPECT_EQ(sql::formatDouble(0.0001), "1.0E-4");
  EXPECT_EQ(sql::formatDecimal(-5, 2), "-0.05");
  EXPECT_EQ(sql::formatDecimal(1230, 2), "12.30");
}

TEST(DateTime, CivilConversionsMatchAPlainCalendarWalk) {
  // Walk the calendar day by day from 1900 to 2100 and compare.
  int y = 1900, m = 1, d = 1;
  auto daysIn = [](int yy, int mm) {
    static const int k[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (yy % 4 == 0 && yy % 100 != 0) || yy % 400 == 0;
    return mm == 2 && leap ? 29 : k[mm - 1];
  };
  for (int32_t day = sql::daysFromCivil(1900, 1, 1); y < 2100; ++day) {
    const sql::CivilDate c = sql::civilFromDays(day);
    ASSERT_EQ(c.year, y);
    ASSERT_EQ(c.month, m);
    ASSERT_EQ(c.day, d);
    if (++d > daysIn(y, m)) {
      d = 1;
      if (++m > 12) m = 1, ++y;
    }
  }
  EXPECT_EQ(sql::daysFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(sql::parseDate("2024-02-29"), sql::daysFromCivil(2024, 2, 29));
  EXPECT_FALSE(sql::parseDate("2023-02-29"));
  EXPECT_EQ(sql::formatTimestamp(*sql::parseTimestamp("2024-07-01 10:30:05.25")),
            "2024-07-01 10:30:05.25");
  EXPECT_EQ(sql::formatTimestamp(-1), "1969-12-31 23:59:59.999999");
}

TEST(ColumnVector, GatherAppendAndBytesKeepValuesAndNulls) {
  sql::ColumnVector s(DataType::string());
  sql::ColumnVector x(DataType::integer());
  for (int i = 0; i < 200; ++i) {
    if (i % 7 == 0) {
      s.appendNull();
      x.appendNull();
    } else {
      s.appendString("v" + std::to_string(i));
      sql::appendValue(x, sql::Value::integer(i));
    }
  }
  std::vector<uint32_t> rows;
  for (uint32_t i = 199;; i -= 3) {
    rows.push_back(i);
    if (i < 3) break;
  }
  auto gs = s.gather(rows.data(), rows.size());
  auto gx = x.gather(rows.data(), rows.size());
  for (size_t k = 0; k < rows.size(); ++k) {
    const int i = static_cast<int>(rows[k]);
    ASSERT_EQ(gs->isNull(k), i % 7 == 0);
    ASSERT_EQ(gx->isNull(k), i % 7 == 0);
    if (i % 7 != 0) {
      EXPECT_EQ(gs->stringAt(k), "v" + std::to_string(i));
      EXPECT_EQ(gx->values<int32_t>()[k], i);
    }
  }
  sql::ColumnVector tail(DataType::string());
  tail.appendString("first");
  tail.appendRange(s, 100, 50);
  ASSERT_EQ(tail.size(), 51u);
  for (size_t k = 0; k < 50; ++k) {
    ASSERT_EQ(tail.isNull(k + 1), (100 + k) % 7 == 0);
    if (!tail.isNull(k + 1)) {
      EXPECT_EQ(tail.stringAt(k + 1), s.stringAt(100 + k));
    }
  }
}

TEST(Batch, BytesRoundTripAndDamagedBytesAreReported) {
  sql::BatchBuilder b({DataType::bigint(), DataType::string(), DataType::decimal(30, 3)});
  for (int i = 0; i < 1000; ++i) {
    sql::appendValue(b.column(0), i % 5 ? sql::Value::bigint(i) : sql::Value::null());
    sql::appendValue(b.column(1),
                     sql::Value::string(std::string(static_cast<size_t>(i % 13), 'x')));
    sql::appendValue(b.column(2),
                     sql::Value::decimal(DataType::decimal(30, 3), sql::Int128{i} * 1000003));
    b.rowAppended();
  }
  const sql::Batch batch = b.finish();
  const std::string bytes = bytesOf(batch);
  sql::Batch back = batchFrom(bytes);
  ASSERT_EQ(back.numRows(), 1000u);
  for (size_t i = 0; i < 1000; ++i)
    for (size_t c = 0; c < 3; ++c)
      ASSERT_EQ(sql::valueAt(back.column(c), i), sql::valueAt(batch.column(c), i));
  std::string cut = bytes.substr(0, bytes.size() / 2);
  ByteReader damaged(cut, "a cut batch");
  EXPECT_THROW(back.readFrom(damaged), CorruptBlockError);
}

}  // namespace
}  // namespace ember::testing
