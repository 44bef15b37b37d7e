// spark.sql(): queries against plain loops over the same rows, and against
// the DataFrame calls that say the same; subqueries rewritten to joins; the
// catalog's views and commands; errors before any job.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <ember/ember.hpp>

#include "support/shapes.hpp"
#include "support/temp_dir.hpp"

namespace ember::testing {
namespace {

namespace F = ember::functions;
using ::testing::HasSubstr;
using Order = std::tuple<int64_t, std::optional<int64_t>, std::optional<int64_t>, std::string>;
using Customer = std::tuple<int64_t, std::string, std::optional<std::string>>;

/// id, cust (null every 13th), amount (null every 9th), status.
std::vector<Order> orderRows() {
  std::vector<Order> rows;
  for (int64_t i = 0; i < 400; ++i) {
    std::optional<int64_t> cust, amount;
    if (i % 13 != 0) cust = i % 17;
    if (i % 9 != 0) amount = (i * 37) % 101;
    rows.emplace_back(i, cust, amount, "s" + std::to_string(i % 3));
  }
  return rows;
}

/// cust 0..19 (17, 18, 19 have no orders), name, nation (null every 4th).
std::vector<Customer> customerRows() {
  std::vector<Customer> rows;
  for (int64_t c = 0; c < 20; ++c) {
    std::optional<std::string> nation;
    if (c % 4 != 3) nation = "n" + std::to_string(c % 3);
    rows.emplace_back(c, "c" + std::to_string(c), nation);
  }
  return rows;
}

std::string cell(const std::optional<int64_t>& v) { return v ? std::to_string(*v) : "null"; }

std::vector<std::string> rowsOf(const DataFrame& df) {
  std::vector<std::string> out;
  for (const Row& r : df.collect()) out.push_back(r.toString());
  return out;
}

std::multiset<std::string> bagOf(const DataFrame& df) {
  const std::vector<std::string> rows = rowsOf(df);
  return {rows.begin(), rows.end()};
}

class SqlQueries : public ShapedTest {
 protected:
  Session& spark() {
    if (!spark_) {
      spark_.emplace(ctx());
      spark_->conf().set("ember.sql.shuffle.partitions", 3);
      spark_->createDataFrame(orders_, {"id", "cust", "amount", "status"})
          .createOrReplaceTempView("orders");
      spark_->createDataFrame(customers_, {"cust", "name", "nation"})
          .createOrReplaceTempView("customers");
    }
    return *spark_;
  }

  const std::vector<Order> orders_ = orderRows();
  const std::vector<Customer> customers_ = customerRows();

 private:
  std::optional<Session> spark_;
};

TEST_P(SqlQueries, FilterProjectOrderAndLimit) {
  const DataFrame df = spark().sql(
      "SELECT id, amount * 2 AS twice FROM orders\n"
      "WHERE amount > 50 AND status <> 's1' ORDER BY twice DESC, id LIMIT 7");
  EXPECT_EQ(df.columns(), (std::vector<std::string>{"id", "twice"}));
  std::vector<std::pair<int64_t, int64_t>> want;  // (-twice, id)
  for (const auto& [id, cust, amount, status] : orders_)
    if (amount && *amount > 50 && status != "s1") want.emplace_back(-2 * *amount, id);
  std::sort(want.begin(), want.end());
  want.resize(7);
  std::vector<std::string> expected;
  for (const auto& [t, id] : want)
    expected.push_back("[" + std::to_string(id) + "," + std::to_string(-t) + "]");
  EXPECT_EQ(rowsOf(df), expected);
}

TEST_P(SqlQueries, GroupByWithHavingOrdinalsAndAliases) {
  const DataFrame df = spark().sql(
      "SELECT cust, count(*) AS n, sum(amount) AS total FROM orders WHERE cust IS NOT NULL "
      "GROUP BY cust HAVING count(*) > 20 ORDER BY total DESC, 1");
  std::map<int64_t, std::pair<int64_t, int64_t>> groups;
  for (const auto& [id, cust, amount, status] : orders_) {
    if (!cust) continue;
    groups[*cust].first += 1;
    groups[*cust].second += amount.value_or(0);
  }
  std::vector<std::tuple<int64_t, int64_t, int64_t>> want;  // (-total, cust, n)
  for (const auto& [c, g] : groups)
    if (g.first > 20) want.emplace_back(-g.second, c, g.first);
  std::sort(want.begin(), want.end());
  std::vector<std::string> expected;
  for (const auto& [t, c, n] : want)
    expected.push_back("[" + std::to_string(c) + "," + std::to_string(n) + "," +
                       std::to_string(-t) + "]");
  EXPECT_EQ(rowsOf(df), expected);

  // A key written as an expression, grouped by its alias, ordered by ordinal.
  const DataFrame byMod =
      spark().sql("SELECT cust % 3 AS g, max(amount) AS top FROM orders GROUP BY g ORDER BY 1");
  std::map<std::optional<int64_t>, std::optional<int64_t>> tops;
  for (const auto& [id, cust, amount, status] : orders_) {
    std::optional<int64_t> g;
    if (cust) g = *cust % 3;
    auto& top = tops[g];
    if (amount && (!top || *amount > *top)) top = amount;
  }
  std::vector<std::string> mods;
  for (const auto& [g, top] : tops) mods.push_back("[" + cell(g) + "," + cell(top) + "]");
  EXPECT_EQ(rowsOf(byMod), mods);  // null first, ascending
}

TEST_P(SqlQueries, CommaJoinsOuterJoinsAndUsing) {
  std::map<int64_t, Customer> byCust;
  for (const Customer& c : customers_) byCust[std::get<0>(c)] = c;
  std::multiset<std::string> inner, left;
  for (const auto& [id, cust, amount, status] : orders_) {
    const auto c = cust ? byCust.find(*cust) : byCust.end();
    if (c != byCust.end() && std::get<2>(c->second) == "n1")
      inner.insert("[" + std::to_string(id) + "," + std::get<1>(c->second) + "]");
    left.insert("[" + std::to_string(id) + "," +
                (c == byCust.end() ? std::string("null") : std::get<1>(c->second)) + "]");
  }
  EXPECT_EQ(bagOf(spark().sql("SELECT o.id, c.name FROM orders o, customers c "
                              "WHERE o.cust = c.cust AND c.nation = 'n1'")),
            inner);
  EXPECT_EQ(bagOf(spark().sql(
                "SELECT o.id, c.name FROM orders AS o LEFT JOIN customers c ON o.cust = c.cust")),
            left);
  // USING keeps one `cust`, which both tables' names qualify.
  const DataFrame counted = spark().sql(
      "SELECT c.cust, orders.cust, count(*) FROM orders JOIN customers c USING (cust) "
      "GROUP BY cust ORDER BY cust");
  std::map<int64_t, int64_t> counts;
  for (const auto& o : orders_)
    if (std::get<1>(o)) ++counts[*std::get<1>(o)];
  std::vector<std::string> want;
  for (const auto& [c, n] : counts)
    want.push_back("[" + std::to_string(c) + "," + std::to_string(c) + "," + std::to_string(n) +
                   "]");
  EXPECT_EQ(rowsOf(counted), want);
}

TEST_P(SqlQueries, CommaJoinsAreOrderedSoThatNoCrossProductForms) {
  // orders and c2 share no predicate: written in this order, a plain
  // left-deep join would pair every order with every customer first.
  const DataFrame df = spark().sql(
      "SELECT o.id, c1.name, c2.name FROM orders o, customers c2, customers c1 "
      "WHERE o.cust = c1.cust AND c1.cust + 1 = c2.cust");
  EXPECT_THAT(df.optimizedPlan()->treeString(), ::testing::Not(HasSubstr("Cross")));
  std::multiset<std::string> want;
  for (const auto& [id, cust, amount, status] : orders_)
    if (cust && *cust + 1 < 20)
      want.insert("[" + std::to_string(id) + ",c" + std::to_string(*cust) + ",c" +
                  std::to_string(*cust + 1) + "]");
  EXPECT_EQ(bagOf(df), want);
  // A join key common to every branch of an OR is taken out of it (TPC-H's Q19).
  const DataFrame either = spark().sql(
      "SELECT o.id FROM orders o, customers c WHERE (o.cust = c.cust AND o.amount > 90) "
      "OR (o.cust = c.cust AND c.nation = 'n1')");
  EXPECT_THAT(either.optimizedPlan()->treeString(), ::testing::Not(HasSubstr("Cross")));
  std::multiset<std::string> wantEither;
  for (const auto& [id, cust, amount, status] : orders_) {
    if (!cust) continue;
    const auto& nation = std::get<2>(customers_[static_cast<size_t>(*cust)]);
    if ((amount && *amount > 90) || nation == "n1")
      wantEither.insert("[" + std::to_string(id) + "]");
  }
  EXPECT_EQ(bagOf(either), wantEither);
}

TEST_P(SqlQueries, JoinsCarryOnlyTheColumnsTheQueryReads) {
  // The views' rows are local (or cached) relations, which cannot narrow
  // themselves: a Project over each keeps the join and its exchanges narrow.
  sql::PlanPtr node =
      spark()
          .sql("SELECT o.id, c.name FROM orders o JOIN customers c ON o.cust = c.cust")
          .optimizedPlan();
  while (node->kind != sql::PlanKind::kJoin) node = node->children.at(0);
  EXPECT_EQ(node->children[0]->schema.fieldNames(), (std::vector<std::string>{"id", "cust"}));
  EXPECT_EQ(node->children[1]->schema.fieldNames(), (std::vector<std::string>{"cust", "name"}));
}

TEST_P(SqlQueries, InAndExistsSubqueriesBecomeSemiAndAntiJoins) {
  std::map<int64_t, std::optional<std::string>> nation;
  for (const auto& [c, name, n] : customers_) nation[c] = n;
  std::set<int64_t> withOrders;
  for (const auto& o : orders_)
    if (std::get<1>(o)) withOrders.insert(*std::get<1>(o));
  std::multiset<std::string> inN2, noOrders;
  for (const auto& [id, cust, amount, status] : orders_)
    if (cust && nation[*cust] == "n2") inN2.insert("[" + std::to_string(id) + "]");
  for (const auto& [c, name, n] : customers_)
    if (!withOrders.contains(c)) noOrders.insert("[" + name + "]");
  EXPECT_EQ(
      bagOf(spark().sql(
          "SELECT id FROM orders WHERE cust IN (SELECT cust FROM customers WHERE nation = 'n2')")),
      inN2);
  EXPECT_EQ(bagOf(spark().sql("SELECT name FROM customers c WHERE NOT EXISTS "
                              "(SELECT * FROM orders o WHERE o.cust = c.cust)")),
            noOrders);
  const DataFrame semi = spark().sql(
      "SELECT id FROM orders WHERE EXISTS (SELECT * FROM customers WHERE customers.cust = "
      "orders.cust)");
  EXPECT_THAT(semi.optimizedPlan()->treeString(), HasSubstr("LeftSemi"));
  // Correlated by an equality and an inequality, as TPC-H's Q21 is.
  std::multiset<std::string> otherStatus;
  for (const auto& [id, cust, amount, status] : orders_) {
    const bool any = std::any_of(orders_.begin(), orders_.end(), [&](const Order& o2) {
      return cust && std::get<1>(o2) == cust && std::get<3>(o2) != status;
    });
    if (any) otherStatus.insert("[" + std::to_string(id) + "]");
  }
  EXPECT_EQ(bagOf(spark().sql("SELECT id FROM orders o1 WHERE EXISTS (SELECT * FROM orders o2 "
                              "WHERE o2.cust = o1.cust AND o2.status <> o1.status)")),
            otherStatus);
}

TEST_P(SqlQueries, ScalarSubqueriesCorrelatedOrNot) {
  int64_t sum = 0, n = 0;
  std::map<int64_t, std::pair<int64_t, int64_t>> perCust;
  for (const auto& [id, cust, amount, status] : orders_) {
    if (!amount) continue;
    sum += *amount;
    ++n;
    if (cust) {
      perCust[*cust].first += *amount;
      perCust[*cust].second += 1;
    }
  }
  std::multiset<std::string> aboveAll, aboveOwn;
  for (const auto& [id, cust, amount, status] : orders_) {
    if (!amount) continue;
    if (*amount * n > sum) aboveAll.insert("[" + std::to_string(id) + "]");
    if (cust && *amount * perCust[*cust].second > perCust[*cust].first)
      aboveOwn.insert("[" + std::to_string(id) + "]");
  }
  EXPECT_EQ(
      bagOf(spark().sql("SELECT id FROM orders WHERE amount > (SELECT avg(amount) FROM orders)")),
      aboveAll);
  EXPECT_EQ(bagOf(spark().sql("SELECT id FROM orders o WHERE amount > "
                              "(SELECT avg(amount) FROM orders o2 WHERE o2.cust = o.cust)")),
            aboveOwn);
}

TEST_P(SqlQueries, SetOperationsAndCommonTableExpressions) {
  std::set<int64_t> big, n0;
  for (const auto& [id, cust, amount, status] : orders_)
    if (cust && amount && *amount > 80) big.insert(*cust);
  for (const auto& [c, name, n] : customers_)
    if (n == "n0") n0.insert(c);
  auto bag = [](const std::set<int64_t>& s) {
    std::multiset<std::string> out;
    for (int64_t v : s) out.insert("[" + std::to_string(v) + "]");
    return out;
  };
  std::set<int64_t> both, onlyBig, either = n0;
  for (int64_t c : big) (n0.contains(c) ? both : onlyBig).insert(c);
  either.insert(big.begin(), big.end());
  const std::string cte =
      "WITH big AS (SELECT cust FROM orders WHERE amount > 80 AND cust IS NOT NULL) ";
  EXPECT_EQ(
      bagOf(spark().sql(
          cte + "SELECT cust FROM big INTERSECT SELECT cust FROM customers WHERE nation = 'n0'")),
      bag(both));
  EXPECT_EQ(
      bagOf(spark().sql(
          cte + "SELECT cust FROM big EXCEPT SELECT cust FROM customers WHERE nation = 'n0'")),
      bag(onlyBig));
  EXPECT_EQ(bagOf(spark().sql(
                cte + "SELECT * FROM big UNION SELECT cust FROM customers WHERE nation = 'n0'")),
            bag(either));
  const DataFrame all =
      spark().sql("SELECT cust FROM customers UNION ALL SELECT cust FROM customers");
  EXPECT_EQ(all.count(), 40);
}

TEST_P(SqlQueries, WindowFunctionsOverPartitionsAndFrames) {
  const DataFrame df = spark().sql(
      "SELECT id, cust,\n"
      "  row_number() OVER (PARTITION BY cust ORDER BY id) AS rn,\n"
      "  sum(amount) OVER (PARTITION BY cust ORDER BY id) AS running,\n"
      "  sum(amount) OVER (PARTITION BY cust ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) "
      "AS near,\n"
      "  lag(id) OVER (PARTITION BY cust ORDER BY id) AS previous,\n"
      "  count(*) OVER (PARTITION BY cust) AS n\n"
      "FROM orders WHERE cust IS NOT NULL");
  std::map<int64_t, std::vector<const Order*>> byCust;
  for (const Order& o : orders_)
    if (std::get<1>(o)) byCust[*std::get<1>(o)].push_back(&o);  // ids ascending already
  std::multiset<std::string> want;
  for (const auto& [c, list] : byCust) {
    std::optional<int64_t> running;
    for (size_t i = 0; i < list.size(); ++i) {
      const auto add = [](std::optional<int64_t>& to, const std::optional<int64_t>& v) {
        if (v) to = to.value_or(0) + *v;
      };
      add(running, std::get<2>(*list[i]));
      std::optional<int64_t> near;
      for (size_t j = i == 0 ? 0 : i - 1; j <= i + 1 && j < list.size(); ++j)
        add(near, std::get<2>(*list[j]));
      const std::optional<int64_t> previous =
          i == 0 ? std::nullopt : std::optional<int64_t>(std::get<0>(*list[i - 1]));
      want.insert("[" + std::to_string(std::get<0>(*list[i])) + "," + std::to_string(c) + "," +
                  std::to_string(i + 1) + "," + cell(running) + "," + cell(near) + "," +
                  cell(previous) + "," + std::to_string(list.size()) + "]");
    }
  }
  EXPECT_EQ(bagOf(df), want);
  // A top-N per group: the window in a subquery, its number filtered outside.
  const DataFrame top = spark().sql(
      "SELECT cust, id FROM (SELECT cust, id, rank() OVER (PARTITION BY cust ORDER BY id DESC) AS "
      "r "
      "FROM orders WHERE cust IS NOT NULL) WHERE r <= 2");
  std::multiset<std::string> lastTwo;
  for (const auto& [c, list] : byCust)
    for (size_t i = list.size() >= 2 ? list.size() - 2 : 0; i < list.size(); ++i)
      lastTwo.insert("[" + std::to_string(c) + "," + std::to_string(std::get<0>(*list[i])) + "]");
  EXPECT_EQ(bagOf(top), lastTwo);
}

TEST_P(SqlQueries, SqlAndDataFrameCallsGiveTheSameAnswer) {
  const DataFrame sql = spark().sql(
      "SELECT c.nation, sum(o.amount) AS revenue, count(*) AS n FROM orders o "
      "JOIN customers c ON o.cust = c.cust WHERE o.amount > 10 GROUP BY c.nation");
  const DataFrame orders = spark().table("orders");
  const DataFrame customers = spark().table("customers");
  const DataFrame calls = orders.filter(F::col("amount") > 10)
                              .join(customers, orders["cust"] == customers["cust"])
                              .groupBy("nation")
                              .agg(F::sum("amount").alias("revenue"), F::count("*").alias("n"));
  EXPECT_EQ(sql.schema().toDDL(), calls.schema().toDDL());
  EXPECT_EQ(bagOf(sql), bagOf(calls));
}

TEST_P(SqlQueries, ExpressionsAsSqlTextInDataFrameCalls) {
  const DataFrame orders = spark().table("orders");
  const DataFrame df = orders.filter("amount > 90 AND status = 's0'")
                           .selectExpr("id", "amount * 2 AS twice", "upper(status) s");
  std::multiset<std::string> want;
  for (const auto& [id, cust, amount, status] : orders_)
    if (amount && *amount > 90 && status == "s0")
      want.insert("[" + std::to_string(id) + "," + std::to_string(2 * *amount) + ",S0]");
  EXPECT_EQ(df.columns(), (std::vector<std::string>{"id", "twice", "s"}));
  EXPECT_EQ(bagOf(df), want);
  EXPECT_EQ(
      bagOf(orders.filter(F::expr("amount > 90 AND status = 's0'"))
                .select(F::col("id"), F::expr("amount * 2 AS twice"), F::expr("upper(status) s"))),
      want);
}

EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(SqlQueries);

class SqlCatalog : public ShapedTest {};

TEST_P(SqlCatalog, ViewsTablesAndCommands) {
  Session spark(ctx());
  spark.range(5).createOrReplaceTempView("five");
  EXPECT_EQ(spark.sql("SELECT sum(id) FROM five").first().getLong(0), 10);
  EXPECT_THROW(spark.range(3).createTempView("FIVE"), AnalysisException);
  spark.sql("CREATE OR REPLACE TEMP VIEW evens AS SELECT id FROM five WHERE id % 2 = 0");
  EXPECT_EQ(spark.table("evens").count(), 3);
  spark.range(2).createGlobalTempView("two");
  EXPECT_EQ(Session(ctx()).sql("SELECT count(*) FROM global_temp.two").first().getLong(0), 2);

  const std::string path = tempDir().path() + "/people.csv";
  {
    std::ofstream out(path);
    out << "name,age\nann,31\nbob,\n";
  }
  spark.sql(
      "CREATE TABLE people (name STRING, age INT) USING csv OPTIONS (header 'true') LOCATION '" +
      path + "'");
  EXPECT_EQ(rowsOf(spark.sql("SELECT name, age FROM people ORDER BY name")),
            (std::vector<std::string>{"[ann,31]", "[bob,null]"}));
  EXPECT_EQ(rowsOf(spark.sql("SHOW TABLES")),
            (std::vector<std::string>{"[,evens,true]", "[,five,true]", "[,people,false]",
                                      "[global_temp,two,true]"}));
  EXPECT_EQ(rowsOf(spark.sql("DESCRIBE people")),
            (std::vector<std::string>{"[name,string,null]", "[age,int,null]"}));
  const std::string plan = spark.sql("EXPLAIN EXTENDED SELECT * FROM evens").first().getString(0);
  EXPECT_THAT(plan, HasSubstr("== Optimized Logical Plan =="));
  EXPECT_THAT(plan, HasSubstr("== Physical Plan =="));
  spark.sql("DROP VIEW evens");
  EXPECT_FALSE(spark.catalog().tableExists("evens"));
  EXPECT_NO_THROW(spark.sql("DROP VIEW IF EXISTS evens"));
  EXPECT_EQ(spark.catalog().listTables().size(), 2u);
}

TEST_P(SqlCatalog, ErrorsComeBeforeAnyJobAndSayWhere) {
  Session spark(ctx());
  spark.createDataFrame(std::vector<std::tuple<int64_t, std::string>>{{1, "a"}}, {"id", "name"})
      .createOrReplaceTempView("t");
  auto error = [&](const std::string& sql) -> std::string {
    try {
      spark.sql(sql);
    } catch (const Error& e) {
      return e.what();
    }
    ADD_FAILURE() << "no error: " << sql;
    return "";
  };
  EXPECT_THAT(error("SELECT id FROM t\nJOIN missing m ON t.id = m.id"),
              HasSubstr("[TABLE_OR_VIEW_NOT_FOUND] The table or view `missing` cannot be found"));
  EXPECT_THAT(error("SELECT id FROM t\nJOIN missing m ON t.id = m.id"), HasSubstr("line 2 pos 5"));
  EXPECT_THAT(error("SELECT nmae FROM t"),
              HasSubstr("`nmae` cannot be resolved. Did you mean `name`?"));
  EXPECT_THAT(error("SELECT id FROM t a, t b"), HasSubstr("[AMBIGUOUS_REFERENCE] Reference `id`"));
  EXPECT_THAT(error("SELECT name, count(*) FROM t GROUP BY id"),
              HasSubstr("[MISSING_AGGREGATION]"));
  EXPECT_THAT(error("SELECT nosuch(id) FROM t"), HasSubstr("Cannot resolve function `nosuch`"));
  EXPECT_THAT(error("SELECT id FROM t ORDER BY 3"),
              HasSubstr("ORDER BY position 3 is not in select list"));
  EXPECT_THAT(error("SELEC id FROM t"), HasSubstr("Syntax error at or near 'SELEC'"));
  EXPECT_THROW(spark.sql("SELECT id FROM t UNION SELECT id, name FROM t"), AnalysisException);
}

EMBER_INSTANTIATE_SHAPES(SqlCatalog);

}  // namespace
}  // namespace ember::testing
