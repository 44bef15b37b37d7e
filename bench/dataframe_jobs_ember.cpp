// dataframe_jobs_ember: the DataFrame side of the table benchmarks (run_vs_duckdb.sh),
// each job written as a PySpark user writes it.
//
//   dataframe_jobs_ember [--master local[N]] [--conf key=value]... <job> <files>...
//
//   groupby <in.csv>                          groups=<g> total=<sum> checksum=<c>
//   join    <orders.csv> <customers.csv> <result.csv>   countries=<n> total=<sum>
//   q1      <lineitem.csv> <result.csv>       TPC-H Q1, its rows written to result.csv
//   q6      <lineitem.csv>                    TPC-H Q6: revenue=<r>
//
// Prints one line, `ember  seconds=<s> bytes=<n> <fields> peak_rss_mib=<m> ...`, timed
// from reading the files to the answer (the Context's start-up excluded), as the RDD
// programs and duckdb_jobs.mjs do; the result files hold one row per line, values
// separated by commas, for run_vs_duckdb.sh to compare with DuckDB's.

#include <chrono>
#include <cstdio>
#include <exception>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "ember_bench.hpp"

namespace {

namespace F = ember::functions;
using ember::Column;
using ember::DataFrame;

// As bench/tpch/tables.txt has it.
const char* const kLineitemSchema =
    "l_orderkey BIGINT, l_partkey BIGINT, l_suppkey BIGINT, l_linenumber INT, "
    "l_quantity DECIMAL(15,2), l_extendedprice DECIMAL(15,2), l_discount DECIMAL(15,2), "
    "l_tax DECIMAL(15,2), l_returnflag STRING, l_linestatus STRING, l_shipdate DATE, "
    "l_commitdate DATE, l_receiptdate DATE, l_shipinstruct STRING, l_shipmode STRING, "
    "l_comment STRING";

/// gen_tpch's lineitem.csv: `|`-separated, with a header line.
DataFrame readLineitem(ember::Session& spark, const std::string& path) {
  return spark.read().schema(kLineitemSchema).option("sep", "|").option("header", true).csv(path);
}

/// The rows as `a,b,c` lines.
void writeRows(const std::vector<ember::Row>& rows, const std::string& path) {
  std::FILE* out = std::fopen(path.c_str(), "w");
  if (out == nullptr) throw std::runtime_error("cannot write '" + path + "'");
  for (const ember::Row& r : rows) {
    std::string line;
    for (size_t i = 0; i < r.size(); ++i) line += (i ? "," : "") + r.value(i).toString();
    std::fprintf(out, "%s\n", line.c_str());
  }
  if (std::fclose(out) != 0) throw std::runtime_error("cannot write '" + path + "'");
}

std::string groupBy(ember::Session& spark, const std::vector<std::string>& files) {
  DataFrame sums = spark.read()
                       .schema("key BIGINT, value BIGINT")
                       .csv(files.at(0))
                       .groupBy("key")
                       .agg(F::sum("value").alias("s"));
  const Column checksum =
      (F::col("key") * int64_t{2654435761} + F::col("s") * int64_t{40503} + int64_t{12345}) %
      int64_t{1000000007};
  const ember::Row r = sums.agg(F::count("*"), F::sum("s"), F::sum(checksum)).first();
  // Sums of no rows are null (an empty input, run to measure the fixed RSS).
  const auto orZero = [&r](size_t i) { return r.isNullAt(i) ? int64_t{0} : r.getLong(i); };
  return "groups=" + std::to_string(r.getLong(0)) + " total=" + std::to_string(orZero(1)) +
         " checksum=" + std::to_string(orZero(2));
}

std::string join(ember::Session& spark, const std::vector<std::string>& files) {
  DataFrame orders =
      spark.read().schema("order_id BIGINT, customer_id BIGINT, amount BIGINT").csv(files.at(0));
  DataFrame customers = spark.read().schema("customer_id BIGINT, country STRING").csv(files.at(1));
  const std::vector<ember::Row> rows = orders.join(customers, "customer_id")
                                           .groupBy("country")
                                           .agg(F::sum("amount").alias("total"))
                                           .orderBy("country")
                                           .collect();
  writeRows(rows, files.at(2));
  int64_t total = 0;
  for (const ember::Row& r : rows) total += r.getLong(1);
  return "countries=" + std::to_string(rows.size()) + " total=" + std::to_string(total);
}

std::string q1(ember::Session& spark, const std::vector<std::string>& files) {
  DataFrame lineitem = readLineitem(spark, files.at(0));
  const Column price = F::col("l_extendedprice");
  const Column discounted = price * (1 - F::col("l_discount"));
  const std::vector<ember::Row> rows =
      lineitem.filter(F::col("l_shipdate") <= F::date_sub(F::to_date(F::lit("1998-12-01")), 90))
          .groupBy("l_returnflag", "l_linestatus")
          .agg(F::sum("l_quantity").alias("sum_qty"), F::sum(price).alias("sum_base_price"),
               F::sum(discounted).alias("sum_disc_price"),
               F::sum(discounted * (1 + F::col("l_tax"))).alias("sum_charge"),
               F::avg("l_quantity").alias("avg_qty"), F::avg(price).alias("avg_price"),
               F::avg("l_discount").alias("avg_disc"), F::count("*").alias("count_order"))
          .orderBy("l_returnflag", "l_linestatus")
          .collect();
  writeRows(rows, files.at(1));
  return "groups=" + std::to_string(rows.size());
}

std::string q6(ember::Session& spark, const std::vector<std::string>& files) {
  DataFrame lineitem = readLineitem(spark, files.at(0));
  const Column shipped = F::col("l_shipdate");
  const ember::Row r =
      lineitem
          .filter(shipped >= F::to_date(F::lit("1994-01-01")) &&
                  shipped < F::to_date(F::lit("1995-01-01")) &&
                  F::col("l_discount")
                      .between(F::lit(0.05).cast("decimal(15,2)"),
                               F::lit(0.07).cast("decimal(15,2)")) &&
                  F::col("l_quantity") < 24)
          .agg(F::sum(F::col("l_extendedprice") * F::col("l_discount")).alias("revenue"))
          .first();
  return "revenue=" + r.value(0).toString();
}

}  // namespace

int main(int argc, char** argv) {
  try {
    ember::Context ctx(argc, argv);
    if (argc < 3) {
      std::fprintf(stderr,
                   "usage: %s [--master local[N]] [--conf key=value]... "
                   "groupby|join|q1|q6 <files>...\n",
                   argv[0]);
      return 2;
    }
    const std::string job = argv[1];
    const std::vector<std::string> files(argv + 2, argv + argc);
    using Job = std::function<std::string(ember::Session&, const std::vector<std::string>&)>;
    Job run;
    if (job == "groupby") run = groupBy;
    if (job == "join") run = join;
    if (job == "q1") run = q1;
    if (job == "q6") run = q6;
    if (!run) throw std::runtime_error("unknown job '" + job + "'");
    const size_t inputs = job == "join" ? 2 : 1;
    std::uintmax_t bytes = 0;
    for (size_t i = 0; i < inputs; ++i) bytes += ember_bench::inputBytes({files.at(i)});
    const auto metrics = ember_bench::listen(ctx);
    ember::Session spark(ctx);
    const auto start = std::chrono::steady_clock::now();
    const std::string fields = run(spark, files);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("ember  seconds=%.3f bytes=%llu %s peak_rss_mib=%.1f%s\n", seconds,
                static_cast<unsigned long long>(bytes), fields.c_str(), ember_bench::peakRssMib(),
                metrics->fields().c_str());
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "dataframe_jobs_ember: %s\n", e.what());
    return 1;
  }
}
