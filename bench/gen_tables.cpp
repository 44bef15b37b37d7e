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
//   gen_tables lineitem <out.csv> <orders> [seed=42]
//       TPC-H's lineitem, 1 to 7 lines per order (1.5M orders is scale factor 1, about
//       6M lines), with the specification's columns and value ranges: l_orderkey,
//       l_partkey, l_suppkey, l_linenumber, l_quantity (1-50), l_extendedprice (quantity
//       times the part's retail price), l_discount (0.00-0.10), l_tax (0.00-0.08),
//       l_returnflag (R or A when received by 1995-06-17, else N), l_linestatus (O when
//       shipped after 1995-06-17, else F), l_shipdate (order date + 1-121 days),
//       l_commitdate (+ 30-90), l_receiptdate (ship date + 1-30), l_shipinstruct,
//       l_shipmode, l_comment; order dates uniform from 1992-01-01 to 1998-08-02.
//   gen_tables sort <out.txt> <records> [seed=42]
//       100-byte records: a 10-byte random alphanumeric key, a space, 88 bytes of payload
//       (the record number in 16 hex digits, then 72 random alphanumerics), a newline.
//
// Each file is written under a temporary name (<file>.tmp) and renamed into place when
// complete, so an interrupted run never leaves a truncated file behind. The same seed
// gives byte-identical files on every platform: only std::mt19937_64 (whose sequence the
// standard fixes) is used, never the std:: distributions (implementation-defined).

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "buffered_writer.hpp"

namespace {

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

// Portable sampling on top of mt19937_64; see the file comment.
class Random {
 public:
  explicit Random(std::uint64_t seed) : engine_(seed) {}
  std::uint64_t next() { return engine_(); }
  // Uniform in [0, 1) with 53 random bits.
  double uniform01() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  // Uniform in [0, n); the modulo bias (below n / 2^64) does not matter here.
  std::uint64_t below(std::uint64_t n) { return engine_() % n; }

 private:
  std::mt19937_64 engine_;
};

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

  std::size_t operator()(Random& rng) const {
    const double u = rng.uniform01();
    return static_cast<std::size_t>(std::upper_bound(cdf_.begin(), cdf_.end(), u) - cdf_.begin());
  }

 private:
  std::vector<double> cdf_;
};

// A random permutation of [0, n) (Fisher-Yates): maps Zipf ranks to ids, so that the hot
// keys are not simply the smallest numbers.
std::vector<std::uint32_t> permutation(std::size_t n, Random& rng) {
  std::vector<std::uint32_t> p(n);
  for (std::size_t i = 0; i < n; ++i) p[i] = static_cast<std::uint32_t>(i);
  for (std::size_t i = n; i > 1; --i) std::swap(p[i - 1], p[rng.below(i)]);
  return p;
}

// A file written through a large buffer under `<path>.tmp`, renamed to `path` by
// commit().
class OutputFile {
 public:
  explicit OutputFile(std::string path) : path_(std::move(path)), tmp_(path_ + ".tmp") {
    file_ = std::fopen(tmp_.c_str(), "wb");
    if (file_ == nullptr) {
      std::fprintf(stderr, "gen_tables: cannot open '%s': %s\n", tmp_.c_str(),
                   std::strerror(errno));
      std::exit(1);
    }
    writer_.emplace(file_);
  }
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;
  ~OutputFile() {
    if (file_ != nullptr) {  // not committed: an error path, leave no partial file
      std::fclose(file_);
      std::remove(tmp_.c_str());
    }
  }

  void append(std::string_view text) { writer_->append(text); }
  void append(char c) { writer_->append(c); }

  void append(std::uint64_t number) {
    char digits[24];
    const auto result = std::to_chars(digits, digits + sizeof digits, number);
    append(std::string_view(digits, static_cast<std::size_t>(result.ptr - digits)));
  }

  std::uint64_t written() const { return writer_->written(); }

  void commit() {
    const bool flushed = writer_->flush();
    const bool closed = std::fclose(file_) == 0;
    file_ = nullptr;
    if (!flushed || !closed || std::rename(tmp_.c_str(), path_.c_str()) != 0) {
      std::fprintf(stderr, "gen_tables: writing '%s' failed: %s\n", path_.c_str(),
                   std::strerror(errno));
      std::remove(tmp_.c_str());
      std::exit(1);
    }
  }

 private:
  std::string path_;
  std::string tmp_;
  std::FILE* file_ = nullptr;
  std::optional<ember_bench::BufferedWriter> writer_;
};

bool parseNumber(std::string_view text, std::uint64_t& value) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc{} && end == text.data() + text.size();
}

int usage() {
  std::fprintf(stderr,
               "usage: gen_tables groupby <out.csv> <rows> [keys=%llu] [seed=%llu]\n"
               "       gen_tables join <orders.csv> <customers.csv> <order-rows> "
               "<customer-rows> [seed]\n"
               "       gen_tables lineitem <out.csv> <orders> [seed]\n"
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
  Random rng(seed);
  const std::vector<std::uint32_t> ids = permutation(keys, rng);
  const Zipf zipf(keys, kKeyZipf);
  OutputFile out(path);
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
  Random rng(seed);

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
    OutputFile out(customersPath);
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
  OutputFile out(ordersPath);
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
void appendAlphanumerics(std::string& s, std::size_t n, Random& rng) {
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
  Random rng(seed);
  OutputFile out(path);
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

// Days since 1970-01-01 of a civil date, and back (Howard Hinnant's algorithms).
std::int64_t daysFromCivil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void appendDate(OutputFile& out, std::int64_t days) {
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2);
  const char text[] = {static_cast<char>('0' + y / 1000 % 10),
                       static_cast<char>('0' + y / 100 % 10),
                       static_cast<char>('0' + y / 10 % 10),
                       static_cast<char>('0' + y % 10),
                       '-',
                       static_cast<char>('0' + m / 10),
                       static_cast<char>('0' + m % 10),
                       '-',
                       static_cast<char>('0' + d / 10),
                       static_cast<char>('0' + d % 10)};
  out.append(std::string_view(text, sizeof text));
}

// A number of hundredths as a decimal with two digits after the point.
void appendCents(OutputFile& out, std::uint64_t cents) {
  out.append(cents / 100);
  out.append('.');
  out.append(static_cast<char>('0' + cents / 10 % 10));
  out.append(static_cast<char>('0' + cents % 10));
}

void generateLineitem(const std::string& path, std::uint64_t orders, std::uint64_t seed) {
  static constexpr std::string_view kInstructions[] = {"DELIVER IN PERSON", "COLLECT COD", "NONE",
                                                       "TAKE BACK RETURN"};
  static constexpr std::string_view kModes[] = {"REG AIR", "AIR",  "RAIL", "SHIP",
                                                "TRUCK",   "MAIL", "FOB"};
  static constexpr std::string_view kWords[] = {
      "furiously", "carefully",   "quickly", "blithely", "slyly",    "express",  "regular",
      "final",     "pending",     "ironic",  "bold",     "deposits", "requests", "accounts",
      "packages",  "theodolites", "pinto",   "beans",    "foxes",    "ideas"};
  const std::uint64_t parts = std::max<std::uint64_t>(1, orders * 200000 / 1500000);
  const std::uint64_t suppliers = std::max<std::uint64_t>(1, orders * 10000 / 1500000);
  const std::int64_t firstOrderDate = daysFromCivil(1992, 1, 1);
  const std::int64_t lastOrderDate = daysFromCivil(1998, 12, 31) - 151;
  const std::int64_t currentDate = daysFromCivil(1995, 6, 17);
  Random rng(seed);
  OutputFile out(path);
  std::uint64_t lines = 0;
  for (std::uint64_t o = 0; o < orders; ++o) {
    // Order keys are sparse in TPC-H: 8 of every 32.
    const std::uint64_t orderKey = (o / 8) * 32 + o % 8 + 1;
    const std::int64_t orderDate =
        firstOrderDate + static_cast<std::int64_t>(rng.below(
                             static_cast<std::uint64_t>(lastOrderDate - firstOrderDate + 1)));
    const std::uint64_t count = 1 + rng.below(7);
    for (std::uint64_t line = 1; line <= count; ++line, ++lines) {
      const std::uint64_t partKey = 1 + rng.below(parts);
      const std::uint64_t quantity = 1 + rng.below(50);
      const std::uint64_t retailCents = 90000 + (partKey / 10) % 20001 + 100 * (partKey % 1000);
      const std::int64_t shipDate = orderDate + 1 + static_cast<std::int64_t>(rng.below(121));
      const std::int64_t commitDate = orderDate + 30 + static_cast<std::int64_t>(rng.below(61));
      const std::int64_t receiptDate = shipDate + 1 + static_cast<std::int64_t>(rng.below(30));
      out.append(orderKey);
      out.append(',');
      out.append(partKey);
      out.append(',');
      out.append(1 + (partKey + rng.below(4) * (suppliers / 4 + 1)) % suppliers);
      out.append(',');
      out.append(line);
      out.append(',');
      appendCents(out, quantity * 100);
      out.append(',');
      appendCents(out, quantity * retailCents);
      out.append(',');
      appendCents(out, rng.below(11));
      out.append(',');
      appendCents(out, rng.below(9));
      out.append(',');
      out.append(receiptDate <= currentDate ? (rng.below(2) ? 'R' : 'A') : 'N');
      out.append(',');
      out.append(shipDate > currentDate ? 'O' : 'F');
      out.append(',');
      appendDate(out, shipDate);
      out.append(',');
      appendDate(out, commitDate);
      out.append(',');
      appendDate(out, receiptDate);
      out.append(',');
      out.append(kInstructions[rng.below(4)]);
      out.append(',');
      out.append(kModes[rng.below(7)]);
      out.append(',');
      for (std::uint64_t w = 0, words = 2 + rng.below(5); w < words; ++w) {
        if (w) out.append(' ');
        out.append(kWords[rng.below(std::size(kWords))]);
      }
      out.append('\n');
    }
  }
  out.commit();
  report("lineitem", path, out.written(), lines, seed);
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
  } else if (command == "lineitem" && argc >= 4 && argc <= 5) {
    std::uint64_t orders = 0;
    if (!argument(argc, argv, 3, 0, 0, orders) || !argument(argc, argv, 4, kDefaultSeed, 0, seed)) {
      return usage();
    }
    generateLineitem(argv[2], orders, seed);
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
