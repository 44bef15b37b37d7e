// gen_tables: writes the deterministic CSV and record inputs of the table benchmarks
// (run_vs_duckdb.sh, run_out_of_core.sh).
//
//   gen_tables groupby <out.csv> <rows> [keys=1000000] [seed=42]
//       `key,value` lines: key an integer id in [0, keys) drawn from Zipf(1.0) (a few
//       very hot keys, a long tail), value an integer in [0, 999].
//   gen_tables join <orders.csv> <customers.csv> <order-rows> <customer-rows> [seed=42]
//       customers: `customer_id,country` lines, every id of [0, customer-rows) once, in
//       shuffled order; the country is one of 200 two-letter codes, drawn from Zipf(1.0).
//       orders: `order_id,customer_id,amount` lines; customer_id drawn from Zipf(0.7)
//       over the customers, except 1% of orders whose customer does not exist (an inner
//       join drops them); amount an integer in [1, 10000].
//   gen_tables sort <out.txt> <records> [seed=42]
//       100-byte records: a 10-byte random alphanumeric key, a space, 88 bytes of payload
//       (the record number in 16 hex digits, then 72 random alphanumerics), a newline.
//
// Each file is written under a temporary name (<file>.tmp) and renamed into place when
// complete, so an interrupted run never leaves a truncated file behind. The same seed
// gives byte-identical files on every platform (see portable_random.hpp). TPC-H's tables
// come from gen_tpch.

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "output_file.hpp"
#include "portable_random.hpp"

namespace {

using ember_bench::OutputFile;
using ember_bench::PortableRandom;

constexpr const char* kProgram = "gen_tables";
constexpr std::uint64_t kDefaultSeed = 42;
constexpr std::uint64_t kDefaultKeys = 1'000'000;
constexpr std::size_t kCountries = 200;
constexpr double kKeyZipf = 1.0;
constexpr double kCustomerZipf = 0.7;
constexpr double kCountryZipf = 1.0;
constexpr double kMissingCustomerShare = 0.01;
// Keeps a typo (an extra zero or three) from filling the disk.
constexpr std::uint64_t kMaxRows = 10'000'000'000ULL;
constexpr std::string_view kAlphanumerics =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

// Zipf(exponent) over ranks [0, n): rank r has weight 1 / (r + 1)^exponent. Sampling
// is one binary search in the cumulative distribution.
class Zipf {
 public:
  Zipf(std::size_t n, double exponent) : cdf_(n) {
    double sum = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
      sum += 1.0 / std::pow(static_cast<double>(i + 1), exponent);
      cdf_[i] = sum;
    }
    for (double& c : cdf_) c /= sum;
    cdf_.back() = 1.0;  // rounding must not let a draw near 1.0 fall past the end
  }

  std::size_t operator()(PortableRandom& rng) const {
    const double u = rng.uniform01();
    return static_cast<std::size_t>(std::upper_bound(cdf_.begin(), cdf_.end(), u) - cdf_.begin());
  }

 private:
  std::vector<double> cdf_;
};

// A random permutation of [0, n) (Fisher-Yates): maps Zipf ranks to ids, so that the hot
// keys are not simply the smallest numbers.
std::vector<std::uint32_t> permutation(std::size_t n, PortableRandom& rng) {
  std::vector<std::uint32_t> p(n);
  for (std::size_t i = 0; i < n; ++i) p[i] = static_cast<std::uint32_t>(i);
  for (std::size_t i = n; i > 1; --i) std::swap(p[i - 1], p[rng.below(i)]);
  return p;
}

bool parseNumber(std::string_view text, std::uint64_t& value) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc{} && end == text.data() + text.size();
}

int usage() {
  std::fprintf(stderr,
               "usage: gen_tables groupby <out.csv> <rows> [keys=%llu] [seed=%llu]\n"
               "       gen_tables join <orders.csv> <customers.csv> <order-rows> "
               "<customer-rows> [seed]\n"
               "       gen_tables sort <out.txt> <records> [seed]\n",
               static_cast<unsigned long long>(kDefaultKeys),
               static_cast<unsigned long long>(kDefaultSeed));
  return 2;
}

// Parses argument `index` as a count in [min, kMaxRows], or `fallback` when absent.
bool argument(int argc, char** argv, int index, std::uint64_t fallback, std::uint64_t min,
              std::uint64_t& value) {
  if (index >= argc) {
    value = fallback;
    return true;
  }
  if (!parseNumber(argv[index], value) || value < min || value > kMaxRows) {
    std::fprintf(stderr, "gen_tables: invalid number '%s'\n", argv[index]);
    return false;
  }
  return true;
}

void report(const char* what, const std::string& path, std::uint64_t bytes, std::uint64_t rows,
            std::uint64_t seed) {
  std::printf("gen_tables: wrote %s %s: %llu rows, %llu bytes (seed %llu)\n", what, path.c_str(),
              static_cast<unsigned long long>(rows), static_cast<unsigned long long>(bytes),
              static_cast<unsigned long long>(seed));
}

void generateGroupBy(const std::string& path, std::uint64_t rows, std::uint64_t keys,
                     std::uint64_t seed) {
  PortableRandom rng(seed);
  const std::vector<std::uint32_t> ids = permutation(keys, rng);
  const Zipf zipf(keys, kKeyZipf);
  OutputFile out(path, kProgram);
  for (std::uint64_t i = 0; i < rows; ++i) {
    out.append(std::uint64_t{ids[zipf(rng)]});
    out.append(',');
    out.append(rng.below(1000));
    out.append('\n');
  }
  out.commit();
  report("groupby", path, out.written(), rows, seed);
}

void generateJoin(const std::string& ordersPath, const std::string& customersPath,
                  std::uint64_t orderRows, std::uint64_t customerRows, std::uint64_t seed) {
  PortableRandom rng(seed);

  // 200 distinct two-letter codes, like ISO country codes.
  std::vector<std::string> countries;
  while (countries.size() < kCountries) {
    std::string code{static_cast<char>('A' + rng.below(26)),
                     static_cast<char>('A' + rng.below(26))};
    if (std::find(countries.begin(), countries.end(), code) == countries.end()) {
      countries.push_back(std::move(code));
    }
  }
  const Zipf countryZipf(kCountries, kCountryZipf);
  {
    const std::vector<std::uint32_t> order = permutation(customerRows, rng);
    OutputFile out(customersPath, kProgram);
    for (const std::uint32_t id : order) {
      out.append(std::uint64_t{id});
      out.append(',');
      out.append(countries[countryZipf(rng)]);
      out.append('\n');
    }
    out.commit();
    report("customers", customersPath, out.written(), customerRows, seed);
  }

  const std::vector<std::uint32_t> ids = permutation(customerRows, rng);
  const Zipf customerZipf(customerRows, kCustomerZipf);
  OutputFile out(ordersPath, kProgram);
  for (std::uint64_t i = 0; i < orderRows; ++i) {
    out.append(i + 1);
    out.append(',');
    if (rng.uniform01() < kMissingCustomerShare) {
      out.append(customerRows + rng.below(customerRows));  // no such customer
    } else {
      out.append(std::uint64_t{ids[customerZipf(rng)]});
    }
    out.append(',');
    out.append(1 + rng.below(10000));
    out.append('\n');
  }
  out.commit();
  report("orders", ordersPath, out.written(), orderRows, seed);
}

// Appends `n` random alphanumerics, ten per 64-bit draw (62^10 < 2^64).
void appendAlphanumerics(std::string& s, std::size_t n, PortableRandom& rng) {
  while (n > 0) {
    std::uint64_t bits = rng.next();
    for (int i = 0; i < 10 && n > 0; ++i, --n) {
      s.push_back(kAlphanumerics[bits % kAlphanumerics.size()]);
      bits /= kAlphanumerics.size();
    }
  }
}

void generateSort(const std::string& path, std::uint64_t records, std::uint64_t seed) {
  constexpr std::size_t kRecordBytes = 100;
  constexpr std::string_view kHex = "0123456789ABCDEF";
  PortableRandom rng(seed);
  OutputFile out(path, kProgram);
  std::string record;
  record.reserve(kRecordBytes);
  for (std::uint64_t i = 0; i < records; ++i) {
    record.clear();
    appendAlphanumerics(record, 10, rng);
    record.push_back(' ');
    for (int shift = 60; shift >= 0; shift -= 4) record.push_back(kHex[(i >> shift) & 0xF]);
    appendAlphanumerics(record, kRecordBytes - record.size() - 1, rng);
    record.push_back('\n');
    out.append(record);
  }
  out.commit();
  report("sort", path, out.written(), records, seed);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return usage();
  const std::string_view command = argv[1];
  std::uint64_t seed = 0;
  if (command == "groupby" && argc >= 4 && argc <= 6) {
    std::uint64_t rows = 0;
    std::uint64_t keys = 0;
    if (!argument(argc, argv, 3, 0, 0, rows) || !argument(argc, argv, 4, kDefaultKeys, 1, keys) ||
        !argument(argc, argv, 5, kDefaultSeed, 0, seed) || keys > UINT32_MAX) {
      return usage();
    }
    generateGroupBy(argv[2], rows, keys, seed);
  } else if (command == "join" && argc >= 6 && argc <= 7) {
    std::uint64_t orders = 0;
    std::uint64_t customers = 0;
    if (!argument(argc, argv, 4, 0, 0, orders) || !argument(argc, argv, 5, 0, 1, customers) ||
        !argument(argc, argv, 6, kDefaultSeed, 0, seed) || customers > UINT32_MAX) {
      return usage();
    }
    generateJoin(argv[2], argv[3], orders, customers, seed);
  } else if (command == "sort" && argc >= 4 && argc <= 5) {
    std::uint64_t records = 0;
    if (!argument(argc, argv, 3, 0, 0, records) ||
        !argument(argc, argv, 4, kDefaultSeed, 0, seed)) {
      return usage();
    }
    generateSort(argv[2], records, seed);
  } else {
    return usage();
  }
  return 0;
}
