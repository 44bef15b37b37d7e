// group_by_sum_ember: the ember side of the group-by-sum benchmark.
//
//   group_by_sum_ember [--master local[N]] [--conf key=value]... <in.csv>
//
// Sums the values of each key of `key,value` lines (gen_tables groupby), then reduces
// the groups to a summary, printed as one line:
//   ember  seconds=<s> bytes=<n> groups=<g> total=<sum> checksum=<c>
//          peak_rss_mib=<m> spill_disk_bytes=<b> spill_memory_bytes=<b> shuffle_write_bytes=<b> ...
// checksum is the sum over groups of groupChecksum(key, sum), as check_results and
// duckdb_jobs.mjs compute it: equal checksums mean equal (key, sum) sets, up to chance.

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

#include "ember_bench.hpp"

namespace {

int64_t parseInt(std::string_view text, std::string_view line) {
  int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) {
    throw std::runtime_error("malformed line '" + std::string(line) + "'");
  }
  return value;
}

std::pair<int64_t, int64_t> parseRow(std::string_view line) {
  const std::size_t comma = line.find(',');
  if (comma == std::string_view::npos) {
    throw std::runtime_error("malformed line '" + std::string(line) + "'");
  }
  return {parseInt(line.substr(0, comma), line), parseInt(line.substr(comma + 1), line)};
}

struct Summary {
  int64_t groups = 0;
  int64_t total = 0;
  int64_t checksum = 0;
};

}  // namespace

int main(int argc, char** argv) {
  try {
    ember::Context ctx(argc, argv);
    if (argc != 2) {
      std::fprintf(stderr, "usage: %s [--master local[N]] [--conf key=value]... <in.csv>\n",
                   argv[0]);
      return 2;
    }
    const std::string path = argv[1];
    const auto bytes = ember_bench::inputBytes({path});
    const auto metrics = ember_bench::listen(ctx);

    // Context start-up is excluded, as in word_count_ember.
    const auto start = std::chrono::steady_clock::now();
    auto sums = ctx.textFile(path)
                    .map([](const std::string& line) { return parseRow(line); })
                    .reduceByKey(std::plus<>{});
    // One action that folds the groups into a summary: the result stays in the tasks
    // instead of a million pairs being collected into the driver.
    const Summary summary = sums.aggregate(
        Summary{},
        [](Summary acc, const std::pair<int64_t, int64_t>& group) {
          ++acc.groups;
          acc.total += group.second;
          acc.checksum += ember_bench::groupChecksum(group.first, group.second);
          return acc;
        },
        [](Summary a, Summary b) {
          return Summary{a.groups + b.groups, a.total + b.total, a.checksum + b.checksum};
        });
    const auto stop = std::chrono::steady_clock::now();

    // Under ember-run every process gets the answer; the driver alone reports it.
    if (!ctx.isDriver()) return 0;
    const double seconds = std::chrono::duration<double>(stop - start).count();
    std::printf(
        "ember  seconds=%.3f bytes=%llu groups=%lld total=%lld checksum=%lld "
        "peak_rss_mib=%.1f%s\n",
        seconds, static_cast<unsigned long long>(bytes), static_cast<long long>(summary.groups),
        static_cast<long long>(summary.total), static_cast<long long>(summary.checksum),
        ember_bench::peakRssMib(), metrics->fields().c_str());
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "group_by_sum_ember: %s\n", e.what());
    return 1;
  }
}
