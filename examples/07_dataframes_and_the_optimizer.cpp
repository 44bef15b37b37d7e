// Tutorial 07: DataFrames and the optimizer.
//
// Tutorial 03's question, revenue by country, asked of DataFrames: read the two CSV
// files with a header and inferred types, filter, join, group, order and limit, as a
// PySpark job does, and let the optimizer decide how.
//
// What to look at:
//   1. spark.read().option("header", true).option("inferSchema", true).csv(...) reads
//      the header for names and runs one small job to infer the types: customer_id is
//      int, amount int, name and country string. Nothing else runs until an action.
//   2. explain(true) prints four plans. Read them bottom up:
//      - Parsed: the calls as written; names not yet checked ('amount).
//      - Analyzed: names bound to columns and types checked (an unknown column would
//        have thrown AnalysisException right here, before any job); the USING join
//        became a Project of customer_id once, then the other columns.
//      - Optimized: the Filter (amount > 100) moved below the Join, to the orders side
//        (PushPredicateThroughJoin), so fewer rows are joined; ColumnPruning narrowed
//        the scans: orders is read as [customer_id, amount] (order_id is never parsed)
//        and customers as [customer_id, country] (name is never parsed).
//      - Physical: BroadcastHashJoin, because the customers' side is estimated at a
//        few KB, under ember.sql.autoBroadcastJoinThreshold (10 MB): it is collected
//        once and every task of the orders' side probes a hash table of it, so the
//        orders are never shuffled. The only exchange is the aggregation's (hash
//        partitioning on country), and orderBy(...).limit(5) is TakeOrderedAndProject:
//        each partition keeps its 5 best rows, no sort of all groups. *(n) marks the
//        operators fused into stage n.
//   3. show() prints the answer as Spark's table: the same revenue as tutorial 03's
//      join, the five largest.
//   4. spark.conf().set("spark.sql.autoBroadcastJoinThreshold", -1) turns broadcasting
//      off for the session's next actions (Spark's name works; ember.sql.* is ember's):
//      the same query now plans a ShuffledHashJoin, both sides exchanged by customer_id
//      (Exchange hashpartitioning), and the answer does not change.
//   5. A left_anti join finds the customers without an order, tutorial 03's
//      leftOuterJoin question, in one line.
//
// Run it from the repository root (or pass the data directory):
//   build/release/examples/07_dataframes_and_the_optimizer [--master local[N]] [examples/data]
//
// The output you should see on the bundled files (the same with any local[N]):
//   1. the two schemas (customer_id: integer, name: string, country: string;
//      order_id: integer, customer_id: integer, amount: integer)
//   2. the four plans, the optimized one with Filter (amount > 100) under the Join on
//      the orders' side and Relation [customer_id, amount] csv, the physical one with
//      BroadcastHashJoin [customer_id], [customer_id], Inner, BuildRight
//   3. the table of the 5 countries with the largest revenue from orders over 100:
//      Japan 102065 (334 orders), USA 41261, Germany 34699, France 34260, Brazil 27441
//   4. "with broadcasting off: ShuffledHashJoin, the same 5 rows: yes"
//   5. "customers without an order: 14, the first: 19 Linus L."

#include <iostream>
#include <string>
#include <vector>

#include <ember/ember.hpp>

namespace F = ember::functions;

ember::DataFrame revenueByCountry(ember::Session& spark, const std::string& dir) {
  auto read = [&](const std::string& file) {
    return spark.read().option("header", true).option("inferSchema", true).csv(dir + "/" + file);
  };
  ember::DataFrame customers = read("customers.csv");
  ember::DataFrame orders = read("orders.csv");
  return orders.filter(F::col("amount") > 100)
      .join(customers, "customer_id")
      .groupBy("country")
      .agg(F::sum("amount").alias("revenue"), F::count("*").alias("orders"))
      .orderBy(F::col("revenue").desc())
      .limit(5);
}

int main(int argc, char** argv) {
  ember::Context ctx(argc, argv);
  ember::Session spark(ctx);
  const std::string dir = argc > 1 ? argv[1] : "examples/data";

  std::cout << "1. schemas\n";
  ember::DataFrame customers =
      spark.read().option("header", true).option("inferSchema", true).csv(dir + "/customers.csv");
  ember::DataFrame orders =
      spark.read().option("header", true).option("inferSchema", true).csv(dir + "/orders.csv");
  customers.printSchema();
  orders.printSchema();

  std::cout << "\n2. explain(true)\n";
  ember::DataFrame top = revenueByCountry(spark, dir);
  top.explain(true);

  std::cout << "\n3. show()\n";
  top.show();
  const std::vector<ember::Row> broadcast = top.collect();

  // Session settings change between actions, as PySpark's spark.conf.set: the plan is
  // chosen again when the next action runs.
  spark.conf().set("spark.sql.autoBroadcastJoinThreshold", -1);
  ember::DataFrame again = revenueByCountry(spark, dir);
  const bool shuffledJoin = again.explainString().find("ShuffledHashJoin") != std::string::npos;
  std::vector<std::string> a, b;
  for (const ember::Row& r : broadcast) a.push_back(r.toString());
  for (const ember::Row& r : again.collect()) b.push_back(r.toString());
  std::cout << "\n4. with broadcasting off: " << (shuffledJoin ? "ShuffledHashJoin" : "no shuffle")
            << ", the same " << b.size() << " rows: " << (a == b ? "yes" : "no") << "\n";

  ember::DataFrame lonely =
      customers.join(orders, "customer_id", "left_anti").orderBy("customer_id");
  const ember::Row first = lonely.first();
  std::cout << "\n5. customers without an order: " << lonely.count()
            << ", the first: " << first.getInt(0) << " " << first.getString(1) << "\n";
}
