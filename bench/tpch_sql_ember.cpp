// tpch_sql_ember: the ember side of run_tpch.sh. Reads TPC-H's eight tables from
// gen_tpch's files with the schemas of bench/tpch/tables.txt, caches them (as DuckDB
// holds its tables in memory), registers each as a view and runs the requested queries
// of bench/tpch/ through spark.sql, one after the other.
//
//   tpch_sql_ember [--master local[N]] [--conf key=value]...
//                  <data-dir> <query-dir> <answer-dir> <query>...   (queries: q01 ... q22)
//
// Prints `ember load seconds=<s> rows=<rows of all tables>`, then for each query
// `ember query=<q> seconds=<s> rows=<n>` (running it and collecting its rows) or
// `ember query=<q> error=<why>`, and writes <answer-dir>/<q>.txt in the canonical form
// tpch_duckdb.mjs describes: `|`-separated fields, NULL, numbers rounded to two digits
// half away from zero, dates YYYY-MM-DD.

#include <chrono>
#include <cmath>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "ember_bench.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string readFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read '" + path + "'");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// Loads and caches each table of tables.txt; the rows of all of them.
int64_t loadTables(ember::Session& spark, const std::string& dataDir, const std::string& queryDir) {
  std::istringstream lines(readFile(queryDir + "/tables.txt"));
  int64_t rows = 0;
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line[0] == '#') continue;
    const size_t space = line.find(' ');
    const std::string table = line.substr(0, space);
    ember::DataFrame df = spark.read()
                              .schema(line.substr(space + 1))
                              .option("sep", "|")
                              .option("header", true)
                              .csv(dataDir + "/" + table + ".csv")
                              .cache();
    rows += df.count();
    df.createOrReplaceTempView(table);
  }
  return rows;
}

/// A decimal's unscaled value rounded to two digits, half away from zero.
std::string decimalText(ember::sql::Int128 unscaled, int scale) {
  for (; scale > 3; --scale) unscaled /= 10;  // digits below the third cannot round the second
  if (scale == 3) {
    const ember::sql::Int128 last = unscaled % 10;
    unscaled = unscaled / 10 + (last >= 5 ? 1 : (last <= -5 ? -1 : 0));
    scale = 2;
  }
  for (; scale < 2; ++scale) unscaled *= 10;
  std::string text = ember::sql::formatDecimal(unscaled, 2);
  return text == "-0.00" ? "0.00" : text;
}

std::string fieldText(const ember::sql::Value& v) {
  using ember::TypeId;
  if (v.isNull()) return "NULL";
  switch (v.type.id()) {
    case TypeId::kDecimal:
      // Held as an int64_t up to 18 digits, as the column's physical layout.
      return decimalText(std::holds_alternative<int64_t>(v.v) ? std::get<int64_t>(v.v)
                                                              : std::get<ember::sql::Int128>(v.v),
                         v.type.scale());
    case TypeId::kDouble: {
      char buffer[64];
      std::snprintf(buffer, sizeof buffer, "%.2f", std::get<double>(v.v));
      const std::string text = buffer;
      return text == "-0.00" ? "0.00" : text;
    }
    default:
      return v.toString();
  }
}

void writeAnswer(const std::vector<ember::Row>& rows, const std::string& path) {
  std::ofstream out(path);
  for (const ember::Row& r : rows) {
    for (size_t i = 0; i < r.size(); ++i) out << (i ? "|" : "") << fieldText(r.value(i));
    out << '\n';
  }
  if (!out.flush()) throw std::runtime_error("cannot write '" + path + "'");
}

/// The error's text on one line, as the script reads it.
std::string oneLine(std::string text) {
  for (char& c : text)
    if (c == '\n') c = ' ';
  return text;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    ember::Context ctx(argc, argv);
    if (argc < 5) {
      std::fprintf(stderr,
                   "usage: %s [--master local[N]] [--conf key=value]... "
                   "<data-dir> <query-dir> <answer-dir> <query>...\n",
                   argv[0]);
      return 2;
    }
    const std::string dataDir = argv[1], queryDir = argv[2], answerDir = argv[3];
    std::filesystem::create_directories(answerDir);
    ember::Session spark(ctx);
    const auto loading = Clock::now();
    const int64_t rows = loadTables(spark, dataDir, queryDir);
    std::printf("ember load seconds=%.3f rows=%lld\n", secondsSince(loading),
                static_cast<long long>(rows));
    std::fflush(stdout);
    for (int i = 4; i < argc; ++i) {
      const std::string q = argv[i];
      try {
        const std::string text = readFile(queryDir + "/" + q + ".sql");
        const auto start = Clock::now();
        const std::vector<ember::Row> answer = spark.sql(text).collect();
        const double seconds = secondsSince(start);
        writeAnswer(answer, answerDir + "/" + q + ".txt");
        std::printf("ember query=%s seconds=%.3f rows=%zu\n", q.c_str(), seconds, answer.size());
      } catch (const ember::Error& e) {
        std::printf("ember query=%s error=%s\n", q.c_str(), oneLine(e.what()).c_str());
      }
      std::fflush(stdout);
    }
    std::printf("ember peak_rss_mib=%.1f\n", ember_bench::peakRssMib());
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tpch_sql_ember: %s\n", e.what());
    return 1;
  }
}
