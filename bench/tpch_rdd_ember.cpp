// tpch_rdd_ember: TPC-H Q1 and Q6 over lineitem as a Spark user writes them with RDDs,
// the RDD side of run_vs_duckdb.sh's q1 and q6 (dataframe_jobs_ember is the DataFrame
// side).
//
//   tpch_rdd_ember [--master local[N]] [--conf key=value]... q1 <lineitem.csv> <result.csv>
//   tpch_rdd_ember [--master local[N]] [--conf key=value]... q6 <lineitem.csv>
//
// lineitem.csv is gen_tpch's (`|`-separated, a header line). Each line but the header is
// parsed into a struct, as a PySpark user's filter(...).map(parse) would;
// money is held in hundredths (exact, as the DECIMAL(15,2) columns of the DataFrame
// version). q1 writes its rows as `flag,status,sum_qty,...,count_order` lines sorted by
// flag and status; q6 prints revenue=<r>. One line is printed:
//   ember  seconds=<s> bytes=<n> <answer> peak_rss_mib=<m> ...

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <tuple>
#include <utility>
#include <vector>

#include "ember_bench.hpp"

namespace {

__extension__ typedef __int128 Wide;  // sums of products of hundredths

[[noreturn]] void malformed(std::string_view line) {
  throw std::runtime_error("malformed lineitem line '" + std::string(line) + "'");
}

/// The fields of lineitem Q1 and Q6 read; money and quantities in hundredths.
/// Trivially copyable, so ember moves it with one memcpy.
struct LineItem {
  int64_t quantity = 0, price = 0, discount = 0, tax = 0;
  int32_t shipDate = 0;  ///< YYYYMMDD
  char returnFlag = 0, lineStatus = 0;
};

/// "1998-09-02" -> 19980902.
int32_t yyyymmdd(std::string_view text, std::string_view line) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') malformed(line);
  int32_t v = 0;
  for (const char c : text) {
    if (c == '-') continue;
    if (c < '0' || c > '9') malformed(line);
    v = v * 10 + (c - '0');
  }
  return v;
}

/// "13.00" -> 1300.
int64_t hundredths(std::string_view text, std::string_view line) {
  const size_t dot = text.find('.');
  int64_t whole = 0, frac = 0;
  const std::string_view w = text.substr(0, dot);
  if (std::from_chars(w.data(), w.data() + w.size(), whole).ec != std::errc{}) malformed(line);
  if (dot != std::string_view::npos) {
    const std::string_view f = text.substr(dot + 1);
    if (f.size() != 2 || std::from_chars(f.data(), f.data() + 2, frac).ec != std::errc{})
      malformed(line);
  }
  return whole * 100 + frac;
}

LineItem parse(std::string_view line) {
  std::array<std::string_view, 11> f;
  size_t at = 0;
  for (std::string_view& field : f) {
    const size_t bar = line.find('|', at);
    if (bar == std::string_view::npos) malformed(line);
    field = line.substr(at, bar - at);
    at = bar + 1;
  }
  if (f[8].size() != 1 || f[9].size() != 1) malformed(line);
  return {hundredths(f[4], line),
          hundredths(f[5], line),
          hundredths(f[6], line),
          hundredths(f[7], line),
          yyyymmdd(f[10], line),
          f[8][0],
          f[9][0]};
}

/// The lines of lineitem.csv but its header, parsed.
auto lineItems(ember::Context& ctx, const std::string& path) {
  return ctx.textFile(path)
      .filter([](const std::string& line) { return !line.starts_with("l_orderkey|"); })
      .map([](const std::string& line) { return parse(line); });
}

/// `v` with `scale` digits after the point.
std::string decimal(Wide v, int scale) {
  const bool negative = v < 0;
  std::string digits;
  for (Wide x = negative ? -v : v; x > 0 || static_cast<int>(digits.size()) <= scale; x /= 10)
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(x % 10)));
  if (scale > 0) digits.insert(digits.end() - scale, '.');
  return (negative ? "-" : "") + digits;
}

/// Q1's sums of a (flag, status) group (trivially copyable too).
struct Q1Sums {
  Wide qty = 0, base = 0, discounted = 0, charge = 0, discount = 0;
  int64_t count = 0;
};

Q1Sums operator+(Q1Sums a, const Q1Sums& b) {
  a.qty += b.qty;
  a.base += b.base;
  a.discounted += b.discounted;
  a.charge += b.charge;
  a.discount += b.discount;
  a.count += b.count;
  return a;
}

std::string q1(ember::Context& ctx, const std::string& path, const std::string& resultPath) {
  auto groups =
      lineItems(ctx, path)
          .filter([](const LineItem& l) { return l.shipDate <= 19980902; })  // 1998-12-01 - 90
          .map([](const LineItem& l) {
            const Wide discounted = Wide{l.price} * (100 - l.discount);  // scale 4
            return std::pair{
                std::pair{l.returnFlag, l.lineStatus},
                Q1Sums{l.quantity, l.price, discounted, discounted * (100 + l.tax), l.discount, 1}};
          })
          .reduceByKey([](const Q1Sums& a, const Q1Sums& b) { return a + b; })
          .collect();
  std::sort(groups.begin(), groups.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::FILE* out = std::fopen(resultPath.c_str(), "w");
  if (out == nullptr) throw std::runtime_error("cannot write '" + resultPath + "'");
  for (const auto& [key, s] : groups) {
    const double n = static_cast<double>(s.count);
    std::fprintf(out, "%c,%c,%s,%s,%s,%s,%.17g,%.17g,%.17g,%lld\n", key.first, key.second,
                 decimal(s.qty, 2).c_str(), decimal(s.base, 2).c_str(),
                 decimal(s.discounted, 4).c_str(), decimal(s.charge, 6).c_str(),
                 static_cast<double>(s.qty) / 100 / n, static_cast<double>(s.base) / 100 / n,
                 static_cast<double>(s.discount) / 100 / n, static_cast<long long>(s.count));
  }
  if (std::fclose(out) != 0) throw std::runtime_error("cannot write '" + resultPath + "'");
  return "groups=" + std::to_string(groups.size());
}

std::string q6(ember::Context& ctx, const std::string& path) {
  const int64_t revenue =  // price x discount: scale 4
      lineItems(ctx, path)
          .filter([](const LineItem& l) {
            return l.shipDate >= 19940101 && l.shipDate < 19950101 && l.discount >= 5 &&
                   l.discount <= 7 && l.quantity < 2400;
          })
          .map([](const LineItem& l) { return l.price * l.discount; })
          .reduce([](int64_t a, int64_t b) { return a + b; });
  return "revenue=" + decimal(revenue, 4);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    ember::Context ctx(argc, argv);
    const std::string job = argc > 1 ? argv[1] : "";
    if (!((job == "q1" && argc == 4) || (job == "q6" && argc == 3))) {
      std::fprintf(stderr,
                   "usage: %s [--master local[N]] [--conf key=value]... q1 <lineitem.csv> "
                   "<result.csv> | q6 <lineitem.csv>\n",
                   argv[0]);
      return 2;
    }
    const auto bytes = ember_bench::inputBytes({argv[2]});
    const auto metrics = ember_bench::listen(ctx);
    const auto start = std::chrono::steady_clock::now();
    const std::string answer = job == "q1" ? q1(ctx, argv[2], argv[3]) : q6(ctx, argv[2]);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("ember  seconds=%.3f bytes=%llu %s peak_rss_mib=%.1f%s\n", seconds,
                static_cast<unsigned long long>(bytes), answer.c_str(), ember_bench::peakRssMib(),
                metrics->fields().c_str());
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tpch_rdd_ember: %s\n", e.what());
    return 1;
  }
}
