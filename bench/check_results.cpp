// check_results: independent reference answers for the table benchmarks, computed with
// plain single-threaded loops (no ember, no DuckDB), so that both engines' results can
// be checked against something neither of them computed.
//
//   check_results groupby <in.csv>
//       prints `groups=<n> total=<sum of values> checksum=<c>` for `key,value` lines,
//       where checksum = sum over groups of groupChecksum(key, sum) (see below; the
//       engines compute the same function of their (key, sum) rows).
//   check_results join <orders.csv> <customers.csv>
//       prints `country,sum` lines (sorted by country, byte order): the amounts of the
//       orders whose customer exists, summed per country of the customer.
//   check_results digest <file-or-directory>
//       prints `lines=<n> bytes=<b> checksum=<c> sorted=<yes|no>` over the lines of a file
//       or of a directory's part-* files (in name order, as saveAsTextFile writes them).
//       checksum is the sum of a 64-bit hash of each line (without its newline): equal
//       for two files holding the same multiset of lines. sorted: the keys (each line up
//       to its first space) never decrease in byte order.

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <system_error>
#include <unordered_map>
#include <vector>

namespace {

constexpr std::size_t kChunkBytes = std::size_t{1} << 22;

// Must match groupChecksum in the ember programs and the SQL in duckdb_jobs.mjs.
// Every term stays far below 2^63 for keys below 2^31 and sums below 2^40.
std::int64_t groupChecksum(std::int64_t key, std::int64_t sum) {
  return (key * 2654435761LL + sum * 40503LL + 12345LL) % 1000000007LL;
}

[[noreturn]] void fail(const std::string& message) {
  std::fprintf(stderr, "check_results: %s\n", message.c_str());
  std::exit(1);
}

// Calls f(std::string_view line) for each line of the file (without its newline; a
// last line without a newline counts too). Returns the file's size in bytes.
template <class F>
std::uint64_t forEachLine(const std::string& path, F&& f) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) fail("cannot open '" + path + "': " + std::strerror(errno));
  std::vector<char> chunk(kChunkBytes);
  std::string carry;  // a line cut by the end of the previous chunk
  std::uint64_t bytes = 0;
  for (;;) {
    const std::size_t n = std::fread(chunk.data(), 1, chunk.size(), file);
    if (n == 0) break;
    bytes += n;
    const char* p = chunk.data();
    const char* const end = p + n;
    while (p < end) {
      const char* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)));
      if (nl == nullptr) {
        carry.append(p, end);
        break;
      }
      if (carry.empty()) {
        f(std::string_view(p, static_cast<std::size_t>(nl - p)));
      } else {
        carry.append(p, nl);
        f(std::string_view(carry));
        carry.clear();
      }
      p = nl + 1;
    }
  }
  const bool failed = std::ferror(file) != 0;
  std::fclose(file);
  if (failed) fail("read error on '" + path + "'");
  if (!carry.empty()) f(std::string_view(carry));
  return bytes;
}

// The comma-separated fields of a line; fails on a malformed line.
std::vector<std::string_view> fields(std::string_view line, std::size_t expected) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = line.find(',', start);
    out.push_back(line.substr(start, comma - start));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  if (out.size() != expected) fail("malformed line '" + std::string(line) + "'");
  return out;
}

std::int64_t toInt(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) {
    fail("not an integer: '" + std::string(text) + "'");
  }
  return value;
}

int groupBy(const std::string& path) {
  std::unordered_map<std::int64_t, std::int64_t> sums;
  std::int64_t total = 0;
  forEachLine(path, [&](std::string_view line) {
    if (line.empty()) return;
    const auto f = fields(line, 2);
    const std::int64_t value = toInt(f[1]);
    sums[toInt(f[0])] += value;
    total += value;
  });
  std::int64_t checksum = 0;
  for (const auto& [key, sum] : sums) checksum += groupChecksum(key, sum);
  std::printf("groups=%zu total=%lld checksum=%lld\n", sums.size(), static_cast<long long>(total),
              static_cast<long long>(checksum));
  return 0;
}

int join(const std::string& ordersPath, const std::string& customersPath) {
  std::unordered_map<std::int64_t, std::string> countryOf;
  forEachLine(customersPath, [&](std::string_view line) {
    if (line.empty()) return;
    const auto f = fields(line, 2);
    if (!countryOf.emplace(toInt(f[0]), std::string(f[1])).second) {
      fail("customer id repeated: '" + std::string(line) + "'");
    }
  });
  std::map<std::string, std::int64_t> sums;
  forEachLine(ordersPath, [&](std::string_view line) {
    if (line.empty()) return;
    const auto f = fields(line, 3);
    if (auto it = countryOf.find(toInt(f[1])); it != countryOf.end()) {
      sums[it->second] += toInt(f[2]);
    }
  });
  for (const auto& [country, sum] : sums) {
    std::printf("%s,%lld\n", country.c_str(), static_cast<long long>(sum));
  }
  return 0;
}

std::uint64_t lineHash(std::string_view line) {
  std::uint64_t h = 0x243F6A8885A308D3ULL ^ line.size();
  std::size_t i = 0;
  for (; i + 8 <= line.size(); i += 8) {
    std::uint64_t w = 0;
    std::memcpy(&w, line.data() + i, 8);
    h = (h ^ w) * 0x9E3779B97F4A7C15ULL;
    h ^= h >> 29;
  }
  std::uint64_t tail = 0;
  std::memcpy(&tail, line.data() + i, line.size() - i);
  h = (h ^ tail) * 0x9E3779B97F4A7C15ULL;
  // splitmix64's finalizer, so that the sum of hashes mixes every bit.
  h ^= h >> 30;
  h *= 0xBF58476D1CE4E5B9ULL;
  h ^= h >> 27;
  h *= 0x94D049BB133111EBULL;
  return h ^ (h >> 31);
}

int digest(const std::string& path) {
  std::vector<std::string> files;
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    for (const auto& entry : std::filesystem::directory_iterator(path)) {
      if (entry.path().filename().string().starts_with("part-")) {
        files.push_back(entry.path().string());
      }
    }
    std::sort(files.begin(), files.end());
  } else {
    files.push_back(path);
  }
  std::uint64_t lines = 0;
  std::uint64_t bytes = 0;
  std::uint64_t checksum = 0;
  bool sorted = true;
  std::string previousKey;
  for (const std::string& file : files) {
    bytes += forEachLine(file, [&](std::string_view line) {
      ++lines;
      checksum += lineHash(line);
      const std::string_view key = line.substr(0, line.find(' '));
      if (lines > 1 && key < std::string_view(previousKey)) sorted = false;
      previousKey.assign(key);
    });
  }
  std::printf("lines=%llu bytes=%llu checksum=%016llx sorted=%s\n",
              static_cast<unsigned long long>(lines), static_cast<unsigned long long>(bytes),
              static_cast<unsigned long long>(checksum), sorted ? "yes" : "no");
  return 0;
}

int usage() {
  std::fprintf(stderr,
               "usage: check_results groupby <in.csv>\n"
               "       check_results join <orders.csv> <customers.csv>\n"
               "       check_results digest <file-or-directory>\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) return usage();
  const std::string_view command = argv[1];
  if (command == "groupby" && argc == 3) return groupBy(argv[2]);
  if (command == "join" && argc == 4) return join(argv[2], argv[3]);
  if (command == "digest" && argc == 3) return digest(argv[2]);
  return usage();
}
