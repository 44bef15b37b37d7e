// The SQL parser: every construct it takes, Spark's precedence and literal
// types, and the line, position and caret of its errors.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include <ember/ember.hpp>

#include "sql/parser/parser.hpp"
#include "sql/types/date_time.hpp"

namespace ember::testing {
namespace {

using sql::parseExpression;
using sql::parseStatement;
using sql::StatementKind;
using ::testing::HasSubstr;

/// The ParseException's text `sql` raises.
std::string parseError(const std::string& sql) {
  try {
    parseStatement(sql);
  } catch (const ParseException& e) {
    return e.what();
  }
  ADD_FAILURE() << "parsed: " << sql;
  return "";
}

std::string parsed(const std::string& expr) { return parseExpression(expr)->toString(); }

TEST(SqlParser, SyntaxErrorsNameLineAndPositionWithACaret) {
  const std::string e = parseError("SELECT a,\n  FROM t");
  EXPECT_THAT(e, HasSubstr("Syntax error at or near 'FROM'"));
  EXPECT_THAT(e, HasSubstr("(line 2, pos 2)"));
  EXPECT_THAT(e, HasSubstr("== SQL ==\n  FROM t\n--^^^^\n"));
  EXPECT_THAT(parseError("SELECT 'abc FROM t"),
              HasSubstr("the string is not closed.(line 1, pos 7)"));
  EXPECT_THAT(parseError("SELECT a FROM t WHERE"), HasSubstr("at or near end of input"));
  EXPECT_THAT(parseError("SELECT a b c FROM t"), HasSubstr("near 'c'"));
  EXPECT_THAT(parseError("SELECT /* never closed"), HasSubstr("comment is not closed"));
  EXPECT_THAT(parseError("SELECT a FROM t LIMIT x"), HasSubstr("LIMIT takes a count"));
  EXPECT_THAT(parseError("SELECT CAST(a AS blob) FROM t"), HasSubstr("unknown type 'blob'"));
  EXPECT_THAT(parseError("SELECT a ? b"), HasSubstr("unexpected character.(line 1, pos 9)"));
}

TEST(SqlParser, OperatorsBindAsInSpark) {
  EXPECT_EQ(parsed("a + b * c = d OR NOT e AND f"), "(((a + (b * c)) = d) OR ((NOT e) AND f))");
  EXPECT_EQ(parsed("a - b - c"), "((a - b) - c)");
  EXPECT_EQ(parsed("-a * b % 2"), "(((- a) * b) % 2)");
  EXPECT_EQ(parsed("a || b = 'x'"), "(concat(a, b) = x)");
  EXPECT_EQ(parsed("a <> b AND c != d AND e <=> f"), "(((a != b) AND (c != d)) AND (e <=> f))");
  EXPECT_EQ(parsed("x BETWEEN 1 AND 2 AND y"), "(((x >= 1) AND (x <= 2)) AND y)");
  EXPECT_EQ(parsed("x NOT IN (1, 2)"), "(NOT in(x, 1, 2))");
  EXPECT_EQ(parsed("name NOT LIKE 'a%'"), "(NOT like(name, a%))");
  EXPECT_EQ(parsed("x IS NOT NULL AND y IS NULL"), "((x IS NOT NULL) AND (y IS NULL))");
  EXPECT_EQ(parsed("(a + b) * c"), "((a + b) * c)");
}

TEST(SqlParser, LiteralsAreTypedAsSparkTypesThem) {
  auto typeOf = [](const std::string& s) { return parseExpression(s)->literal.type.sqlName(); };
  EXPECT_EQ(typeOf("42"), "INT");
  EXPECT_EQ(typeOf("3000000000"), "BIGINT");
  EXPECT_EQ(typeOf("42L"), "BIGINT");
  EXPECT_EQ(typeOf("1.50"), "DECIMAL(3,2)");
  EXPECT_EQ(typeOf("0.05"), "DECIMAL(2,2)");
  EXPECT_EQ(typeOf("1e3"), "DOUBLE");
  EXPECT_EQ(typeOf("2.5D"), "DOUBLE");
  EXPECT_EQ(typeOf("'x'"), "STRING");
  EXPECT_EQ(typeOf("DATE '1998-12-01'"), "DATE");
  EXPECT_EQ(typeOf("TIMESTAMP '1998-12-01 10:00:00'"), "TIMESTAMP");
  EXPECT_EQ(typeOf("true"), "BOOLEAN");
  EXPECT_EQ(parseExpression("-7")->literal.toString(), "-7");
  EXPECT_EQ(parseExpression("'it''s' 'ok'")->literal.toString(), "it'sok");
  EXPECT_EQ(parseExpression("'a\\tb'")->literal.toString(), "a\tb");
  EXPECT_EQ(parseExpression("\"double\"")->literal.toString(), "double");
}

TEST(SqlParser, DateIntervalArithmeticOnLiteralsIsFolded) {
  auto dateOf = [](const std::string& s) {
    const auto e = parseExpression(s);
    EXPECT_EQ(e->kind, sql::ExprKind::kLiteral) << s;
    return e->literal.toString();
  };
  EXPECT_EQ(dateOf("date '1998-12-01' - interval '90' day"), "1998-09-02");
  EXPECT_EQ(dateOf("date '1995-01-01' + interval '1' year"), "1996-01-01");
  EXPECT_EQ(dateOf("date '1993-10-01' + interval '3' month"), "1994-01-01");
  EXPECT_EQ(dateOf("date '2024-01-31' + interval 1 month"), "2024-02-29");
  EXPECT_EQ(dateOf("date '2024-03-01' - interval 2 weeks"), "2024-02-16");
  EXPECT_EQ(parsed("d + interval '3' month"), "add_months(d, 3)");
  EXPECT_EQ(parsed("d - interval '5' days"), "date_add(d, -5)");
}

TEST(SqlParser, SpecialFormsBecomeEmbersFunctions) {
  EXPECT_EQ(parsed("CASE WHEN a > 1 THEN 'x' ELSE 'y' END"), "CASE WHEN (a > 1) THEN x ELSE y END");
  EXPECT_EQ(parsed("CASE a WHEN 1 THEN 'x' END"), "CASE WHEN (a = 1) THEN x END");
  EXPECT_EQ(parsed("CAST(a AS DECIMAL(15, 2))"), "CAST(a AS DECIMAL(15,2))");
  EXPECT_EQ(parsed("cast(a as varchar(10))"), "CAST(a AS STRING)");
  EXPECT_EQ(parsed("EXTRACT(YEAR FROM d)"), "year(d)");
  EXPECT_EQ(parsed("substring(phone from 1 for 2)"), "substring(phone, 1, 2)");
  EXPECT_EQ(parsed("SUBSTR(phone, 1, 2)"), "substring(phone, 1, 2)");
  EXPECT_EQ(parsed("count(*)"), "count(*)");
  EXPECT_EQ(parsed("COUNT(DISTINCT a)"), "count(DISTINCT a)");
  EXPECT_EQ(parsed("Sum(a) AS total"), "sum(a) AS total");
  EXPECT_EQ(parsed("nvl(a, 0)"), "coalesce(a, 0)");
  EXPECT_EQ(parsed("`odd name`.`x y`"), "odd name.x y");
  EXPECT_EQ(parsed("t.amount"), "t.amount");
  EXPECT_EQ(parseExpression("a NOT IN (SELECT b FROM t)")->toString(), "(NOT (a) IN (subquery))");
  EXPECT_EQ(parseExpression("NOT EXISTS (SELECT * FROM t)")->toString(), "(NOT exists(subquery))");
  EXPECT_EQ(parseExpression("a > (SELECT max(b) FROM t)")->toString(), "(a > scalar-subquery)");
}

TEST(SqlParser, WindowSpecificationsAndFrames) {
  const sql::ExprPtr w = parseExpression(
      "sum(x) OVER (PARTITION BY k, j ORDER BY t DESC ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)");
  ASSERT_EQ(w->kind, sql::ExprKind::kWindow);
  EXPECT_EQ(w->window->partitionCount, 2u);
  EXPECT_EQ(w->window->frame.type, sql::WindowFrame::Type::kRows);
  EXPECT_EQ(w->window->frame.lower, -2);
  EXPECT_EQ(w->window->frame.upper, sql::WindowFrame::kCurrentRow);
  const sql::ExprPtr r = parseExpression(
      "count(*) OVER (ORDER BY t RANGE BETWEEN UNBOUNDED PRECEDING AND 3 FOLLOWING)");
  EXPECT_EQ(r->window->frame.type, sql::WindowFrame::Type::kRange);
  EXPECT_EQ(r->window->frame.lower, sql::WindowFrame::kUnboundedPreceding);
  EXPECT_EQ(r->window->frame.upper, 3);
  EXPECT_FALSE(parseExpression("row_number() OVER (ORDER BY t)")->window->frame.specified);
  EXPECT_EQ(parseExpression("lag(x) OVER (ORDER BY t)")->children[0]->kind,
            sql::ExprKind::kWindowFunction);
  EXPECT_THAT(parseError("SELECT sum(x) OVER (ROWS BETWEEN x PRECEDING AND CURRENT ROW) FROM t"),
              HasSubstr("expected a frame bound"));
}

TEST(SqlParser, QueriesKeepEveryClause) {
  const sql::Statement s = parseStatement(
      "-- a comment\n"
      "with big AS (select cust FROM orders WHERE amount > 10)\n"
      "SELECT DISTINCT o.cust, sum(amount) total /* inline */ FROM orders o\n"
      "  LEFT OUTER JOIN customers c ON o.cust = c.cust\n"
      "  JOIN nations USING (nation), regions r\n"
      "WHERE o.cust IN (SELECT cust FROM big) GROUP BY 1 HAVING sum(amount) > 5\n"
      "ORDER BY total DESC NULLS FIRST, o.cust LIMIT 10;");
  ASSERT_EQ(s.kind, StatementKind::kQuery);
  const sql::QueryNode& q = *s.query;
  ASSERT_EQ(q.with.size(), 1u);
  EXPECT_EQ(q.with[0].name, "big");
  EXPECT_TRUE(q.distinct);
  EXPECT_EQ(sql::toString(q.select), "o.cust, sum(amount) AS total");
  ASSERT_EQ(q.from.size(), 2u);
  const sql::TableRef& using_ = *q.from[0];
  ASSERT_EQ(using_.kind, sql::TableRefKind::kJoin);
  EXPECT_EQ(using_.usingColumns, std::vector<std::string>{"nation"});
  EXPECT_EQ(using_.left->joinType, sql::JoinType::kLeftOuter);
  EXPECT_EQ(using_.left->left->alias, "o");
  EXPECT_EQ(using_.left->condition->toString(), "(o.cust = c.cust)");
  EXPECT_EQ(q.from[1]->name, "regions");
  EXPECT_EQ(q.from[1]->alias, "r");
  EXPECT_EQ(q.where->toString(), "(o.cust) IN (subquery)");
  EXPECT_EQ(sql::toString(q.groupBy), "1");
  EXPECT_EQ(q.having->toString(), "(sum(amount) > 5)");
  EXPECT_EQ(sql::toString(q.orderBy), "total DESC NULLS FIRST, o.cust ASC NULLS FIRST");
  EXPECT_EQ(q.limit, 10);
}

TEST(SqlParser, SetOperationsBindIntersectTighter) {
  const sql::Statement s = parseStatement(
      "SELECT a FROM x UNION ALL SELECT a FROM y INTERSECT SELECT a FROM z EXCEPT SELECT a FROM w");
  const sql::QueryNode& q = *s.query;
  ASSERT_EQ(q.op, sql::SetOperation::kExcept);
  ASSERT_EQ(q.left->op, sql::SetOperation::kUnion);
  EXPECT_TRUE(q.left->all);
  EXPECT_EQ(q.left->right->op, sql::SetOperation::kIntersect);
}

TEST(SqlParser, JoinKindsAndSubqueriesInFrom) {
  const sql::Statement s = parseStatement(
      "SELECT * FROM a LEFT SEMI JOIN b ON a.k = b.k LEFT ANTI JOIN c ON a.k = c.k "
      "FULL JOIN d ON a.k = d.k RIGHT JOIN e ON a.k = e.k CROSS JOIN f "
      "NATURAL JOIN g JOIN (SELECT k FROM h) AS sub (kk) ON a.k = sub.kk");
  std::vector<sql::JoinType> types;
  const sql::TableRef* r = s.query->from[0].get();
  while (r->kind == sql::TableRefKind::kJoin) {
    types.push_back(r->joinType);
    if (r->right->kind == sql::TableRefKind::kSubquery) {
      EXPECT_EQ(r->right->alias, "sub");
      EXPECT_EQ(r->right->columnAliases, std::vector<std::string>{"kk"});
    }
    r = r->left.get();
  }
  using sql::JoinType;
  EXPECT_EQ(types, (std::vector<JoinType>{JoinType::kInner, JoinType::kInner, JoinType::kCross,
                                          JoinType::kRightOuter, JoinType::kFullOuter,
                                          JoinType::kLeftAnti, JoinType::kLeftSemi}));
}

TEST(SqlParser, CommandsOnTheCatalog) {
  sql::Statement s = parseStatement("CREATE OR REPLACE GLOBAL TEMPORARY VIEW v AS SELECT 1");
  EXPECT_EQ(s.kind, StatementKind::kCreateView);
  EXPECT_TRUE(s.orReplace && s.global);
  EXPECT_EQ(s.name, "v");
  s = parseStatement(
      "CREATE TABLE IF NOT EXISTS t (id BIGINT, name STRING) USING csv "
      "OPTIONS (header 'true', 'sep' = '|') LOCATION '/data/t.csv'");
  EXPECT_EQ(s.kind, StatementKind::kCreateTable);
  EXPECT_TRUE(s.ifExists);
  EXPECT_EQ(s.schema, "id BIGINT, name STRING");
  EXPECT_EQ(s.source, "csv");
  EXPECT_EQ(s.options,
            (std::vector<std::pair<std::string, std::string>>{{"header", "true"}, {"sep", "|"}}));
  EXPECT_EQ(s.location, "/data/t.csv");
  EXPECT_EQ(parseStatement("show tables").kind, StatementKind::kShowTables);
  EXPECT_EQ(parseStatement("SHOW TABLES IN global_temp").name, "global_temp");
  EXPECT_EQ(parseStatement("DESCRIBE TABLE t").name, "t");
  EXPECT_EQ(parseStatement("DESC t").kind, StatementKind::kDescribe);
  s = parseStatement("EXPLAIN EXTENDED SELECT 1");
  EXPECT_EQ(s.kind, StatementKind::kExplain);
  EXPECT_TRUE(s.extended);
  s = parseStatement("DROP VIEW IF EXISTS v");
  EXPECT_EQ(s.kind, StatementKind::kDropView);
  EXPECT_TRUE(s.ifExists);
  EXPECT_THAT(parseError("CREATE VIEW v AS SELECT 1"),
              HasSubstr("expected TEMPORARY VIEW or TABLE"));
}

/// Mutations of valid statements: a flipped character, a cut, random
/// bytes, a keyword or symbol spliced in. The parser reads text users type,
/// so each must parse or raise ParseException, nothing else (and, under the
/// sanitizers, never read out of bounds).
TEST(SqlParser, MutatedTextParsesOrRaisesParseExceptionOnly) {
  const std::vector<std::string> seeds = {
      "SELECT a, sum(b) AS s FROM t WHERE c > 1 GROUP BY a HAVING sum(b) > 2 ORDER BY s DESC LIMIT "
      "5",
      "WITH x AS (SELECT * FROM t) SELECT x.a FROM x LEFT JOIN u ON x.a = u.a UNION ALL SELECT 1",
      "SELECT CASE WHEN a BETWEEN 1 AND 2 THEN 'x' ELSE \"y\" END, CAST(b AS DECIMAL(15,2)) FROM t",
      "SELECT * FROM t WHERE a IN (SELECT b FROM u WHERE u.c = t.c) AND NOT EXISTS (SELECT 1 FROM "
      "v)",
      "SELECT date '1998-12-01' - interval '90' day, extract(year from d), substring(s from 1 for "
      "2)",
      "SELECT sum(x) OVER (PARTITION BY k ORDER BY t ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) "
      "FROM t",
      "CREATE TABLE t (a INT, b STRING) USING csv OPTIONS (header 'true') LOCATION '/x' /* c */ -- "
      "d"};
  const std::vector<std::string> splices = {
      "(",        ")",    ",",   "'", "`", "\"", "/*", "--", "SELECT",  "FROM", "OVER",
      "INTERVAL", "CASE", "NOT", ".", "*", "1e", "1.", "\\", "BETWEEN", "IN (", "EXISTS"};
  std::mt19937_64 random(42);
  auto pick = [&](size_t n) { return static_cast<size_t>(random() % n); };
  for (int i = 0; i < 20000; ++i) {
    std::string sql = seeds[pick(seeds.size())];
    for (size_t edits = 1 + pick(4); edits > 0; --edits) {
      const size_t at = pick(sql.size() + 1);
      switch (pick(4)) {
        case 0:
          if (at < sql.size()) sql[at] = static_cast<char>(random());
          break;
        case 1:
          sql.resize(at);
          break;
        case 2:
          sql.insert(at, std::string(1 + pick(3), static_cast<char>(random())));
          break;
        default:
          sql.insert(at, " " + splices[pick(splices.size())] + " ");
      }
    }
    try {
      parseStatement(sql);
    } catch (const ParseException&) {
      // Rejected, as bad text must be.
    }
  }
}

}  // namespace
}  // namespace ember::testing
