// join_agg_ember: the ember side of the join-then-aggregate benchmark.
//
//   join_agg_ember [--master local[N]] [--conf key=value]... <orders.csv> <customers.csv>
//   <result.csv>
//
// Joins orders (`order_id,customer_id,amount`) with customers (`customer_id,country`) on
// customer_id, sums the amounts per country, and writes `country,sum` lines sorted by
// country to <result.csv> (compared with DuckDB's and check_results' by the script).
// Prints one line:
//   ember  seconds=<s> bytes=<n> countries=<c> total=<sum> peak_rss_mib=<m> ...

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "ember_bench.hpp"

namespace {

[[noreturn]] void malformed(std::string_view line) {
  throw std::runtime_error("malformed line '" + std::string(line) + "'");
}

int64_t parseInt(std::string_view text, std::string_view line) {
  int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) malformed(line);
  return value;
}

// `order_id,customer_id,amount` -> (customer_id, amount)
std::pair<int64_t, int64_t> parseOrder(std::string_view line) {
  const std::size_t first = line.find(',');
  const std::size_t second = line.find(',', first + 1);
  if (first == std::string_view::npos || second == std::string_view::npos) malformed(line);
  return {parseInt(line.substr(first + 1, second - first - 1), line),
          parseInt(line.substr(second + 1), line)};
}

// `customer_id,country` -> (customer_id, country)
std::pair<int64_t, std::string> parseCustomer(std::string_view line) {
  const std::size_t comma = line.find(',');
  if (comma == std::string_view::npos) malformed(line);
  return {parseInt(line.substr(0, comma), line), std::string(line.substr(comma + 1))};
}

}  // namespace

int main(int argc, char** argv) {
  try {
    ember::Context ctx(argc, argv);
    if (argc != 4) {
      std::fprintf(stderr,
                   "usage: %s [--master local[N]] [--conf key=value]... <orders.csv> "
                   "<customers.csv> <result.csv>\n",
                   argv[0]);
      return 2;
    }
    const std::string ordersPath = argv[1];
    const std::string customersPath = argv[2];
    const std::string resultPath = argv[3];
    const auto bytes = ember_bench::inputBytes({ordersPath, customersPath});
    const auto metrics = ember_bench::listen(ctx);

    const auto start = std::chrono::steady_clock::now();
    auto orders =
        ctx.textFile(ordersPath).map([](const std::string& line) { return parseOrder(line); });
    auto customers = ctx.textFile(customersPath).map([](const std::string& line) {
      return parseCustomer(line);
    });
    auto perCountry =
        orders.join(customers)
            .map([](const std::pair<int64_t, std::pair<int64_t, std::string>>& row) {
              return std::pair{row.second.second, row.second.first};  // (country, amount)
            })
            .reduceByKey(std::plus<>{});
    std::vector<std::pair<std::string, int64_t>> result = perCountry.collect();
    const auto stop = std::chrono::steady_clock::now();

    std::sort(result.begin(), result.end());
    int64_t total = 0;
    std::FILE* out = std::fopen(resultPath.c_str(), "w");
    if (out == nullptr) throw std::runtime_error("cannot write '" + resultPath + "'");
    for (const auto& [country, sum] : result) {
      std::fprintf(out, "%s,%lld\n", country.c_str(), static_cast<long long>(sum));
      total += sum;
    }
    if (std::fclose(out) != 0) throw std::runtime_error("cannot write '" + resultPath + "'");

    const double seconds = std::chrono::duration<double>(stop - start).count();
    std::printf(
        "ember  seconds=%.3f bytes=%llu countries=%zu total=%lld "
        "peak_rss_mib=%.1f%s\n",
        seconds, static_cast<unsigned long long>(bytes), result.size(),
        static_cast<long long>(total), ember_bench::peakRssMib(), metrics->fields().c_str());
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "join_agg_ember: %s\n", e.what());
    return 1;
  }
}
