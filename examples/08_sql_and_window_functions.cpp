// Tutorial 08: SQL and window functions.
//
// Tutorial 07's report written as SQL, then what SQL reads best: a subquery, a
// running total and a top-N per group with window functions.
//
// What to look at:
//   1. createOrReplaceTempView names a DataFrame for spark.sql's FROM; SHOW TABLES
//      lists the session's views.
//   2. spark.sql(text) returns a DataFrame, lazily, as the DataFrame calls do, and
//      goes through the same analyzer and optimizer: its physical plan is the one
//      tutorial 07's calls give (BroadcastHashJoin, the aggregation's exchange,
//      TakeOrderedAndProject), and so is its answer.
//   3. A correlated EXISTS subquery (customers with an order over 490) is not run once
//      per customer: the planner rewrites it into a LeftSemi join on customer_id, as
//      Spark and DuckDB do; explain() shows the join.
//   4. A running total: SUM(amount) OVER (PARTITION BY customer_id ORDER BY order_id)
//      in SQL, and F::sum("amount").over(Window::partitionBy("customer_id")
//      .orderBy("order_id")) in DataFrame calls. With an ORDER BY the frame is Spark's
//      default, RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW: each order adds its
//      amount to the customer's total so far. One exchange by customer_id and one
//      sort per partition compute it, whatever the number of window functions over
//      the same window.
//   5. Top 2 orders per country: ROW_NUMBER() OVER (PARTITION BY country ORDER BY
//      amount DESC) numbers each country's orders, and an outer query keeps rn <= 2:
//      the window function runs before WHERE, so it takes a subquery, as in Spark.
//   6. A typo is a ParseException before any job: the line, the position (from 0)
//      and a caret under the text that does not parse.
//
// Run it from the repository root (or pass the data directory):
//   build/release/examples/08_sql_and_window_functions [--master local[N]] [examples/data]
//
// The output you should see on the bundled files (the same with any local[N]):
//   1. the table of the two views, customers and orders, both temporary
//   2. tutorial 07's five countries (Japan 102065 from 334 orders, USA 41261, ...),
//      then "the same physical plan as the DataFrame calls: yes"
//   3. "customers with an order over 490: 16, planned as a LeftSemi join: yes"
//   4. customer 26's four orders with their running total (205, 340, 631, 779), then
//      "the same with Window::partitionBy: yes"
//   5. each country's two largest orders, 10 rows (Brazil: Tim R.'s 500 and 499)
//   6. the ParseException: "Syntax error at or near end of input ... (line 1, pos 59)"
//      and the query under "== SQL ==" with its caret

#include <iostream>
#include <string>
#include <vector>

#include <ember/ember.hpp>

namespace F = ember::functions;
using ember::Window;

std::vector<std::string> rowsOf(const ember::DataFrame& df) {
  std::vector<std::string> rows;
  for (const ember::Row& r : df.collect()) rows.push_back(r.toString());
  return rows;
}

int main(int argc, char** argv) {
  ember::Context ctx(argc, argv);
  ember::Session spark(ctx);
  const std::string dir = argc > 1 ? argv[1] : "examples/data";
  auto read = [&](const std::string& file) {
    return spark.read().option("header", true).option("inferSchema", true).csv(dir + "/" + file);
  };
  ember::DataFrame customers = read("customers.csv");
  ember::DataFrame orders = read("orders.csv");

  std::cout << "1. views\n";
  customers.createOrReplaceTempView("customers");
  orders.createOrReplaceTempView("orders");
  spark.sql("SHOW TABLES").show();

  std::cout << "2. the report as SQL\n";
  ember::DataFrame report = spark.sql(R"(
      SELECT country, SUM(amount) AS revenue, COUNT(*) AS orders
      FROM orders JOIN customers USING (customer_id)
      WHERE amount > 100
      GROUP BY country
      ORDER BY revenue DESC
      LIMIT 5)");
  report.show();
  ember::DataFrame calls =
      orders.filter(F::col("amount") > 100)
          .join(customers, "customer_id")
          .groupBy("country")
          .agg(F::sum("amount").alias("revenue"), F::count("*").alias("orders"))
          .orderBy(F::col("revenue").desc())
          .limit(5);
  std::cout << "the same physical plan as the DataFrame calls: "
            << (report.explainString() == calls.explainString() ? "yes" : "no") << "\n";

  std::cout << "\n3. a correlated subquery\n";
  ember::DataFrame big = spark.sql(R"(
      SELECT name, country FROM customers c
      WHERE EXISTS (SELECT * FROM orders o WHERE o.customer_id = c.customer_id AND o.amount > 490))");
  const bool semi = big.explainString().find("LeftSemi") != std::string::npos;
  std::cout << "customers with an order over 490: " << big.count()
            << ", planned as a LeftSemi join: " << (semi ? "yes" : "no") << "\n";

  std::cout << "\n4. a running total\n";
  ember::DataFrame running = spark.sql(R"(
      SELECT order_id, amount,
             SUM(amount) OVER (PARTITION BY customer_id ORDER BY order_id) AS total_so_far
      FROM orders WHERE customer_id = 26 ORDER BY order_id)");
  running.show();
  const auto byCustomer = Window::partitionBy("customer_id").orderBy("order_id");
  ember::DataFrame withCalls = orders.filter(F::col("customer_id") == 26)
                                   .select(F::col("order_id"), F::col("amount"),
                                           F::sum("amount").over(byCustomer).alias("total_so_far"))
                                   .orderBy("order_id");
  std::cout << "the same with Window::partitionBy: "
            << (rowsOf(running) == rowsOf(withCalls) ? "yes" : "no") << "\n";

  std::cout << "\n5. top 2 orders per country\n";
  spark
      .sql(R"(
      SELECT country, name, amount FROM (
        SELECT c.country, c.name, o.amount,
               ROW_NUMBER() OVER (PARTITION BY c.country ORDER BY o.amount DESC, o.order_id) AS rn
        FROM orders o JOIN customers c ON o.customer_id = c.customer_id)
      WHERE rn <= 2
      ORDER BY country, amount DESC, name)")
      .show(100);

  std::cout << "6. a typo\n";
  try {
    spark.sql("SELECT name FROM customers WHERE country = 'Japan' ORDER BY");
  } catch (const ember::ParseException& e) {
    std::cout << e.what();
  }
}
