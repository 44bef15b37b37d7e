// width_ember: the ember side of the width benchmark (driven by run_width.sh).
//
//   width_ember [--master local[N] | local-cluster[P,C]] [--conf key=value]... <n>
//               [records=1000000]
//
// Times two jobs over a small input cut into <n> partitions: a stage of <n> tasks (a
// map and a count), and a reduceByKey of <records> records over <n> map x <n> reduce
// partitions, where almost every (map, reduce) bucket is empty. Checks both answers
// against a plain loop and prints one line:
//   ember master=... n=... stage_s=... shuffle_s=... driver_rss_mib=... executor_rss_mib=...
// executor_rss_mib is the largest peak RSS of the processes local-cluster started (0 in
// local mode). Exit status 1 when an answer is wrong.

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <utility>

#include "ember_bench.hpp"

namespace {

double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

double childrenPeakRssMib() {
  rusage usage{};
  getrusage(RUSAGE_CHILDREN, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

}  // namespace

int main(int argc, char** argv) {
  ember::Context ctx(argc, argv);
  if (argc < 2 || argc > 3) {
    std::fprintf(stderr, "usage: width_ember [ember options] <n> [records=1000000]\n");
    return 2;
  }
  const int n = std::atoi(argv[1]);
  const int64_t records = argc > 2 ? std::atoll(argv[2]) : 1'000'000;
  if (n < 1 || records < 1) {
    std::fprintf(stderr, "width_ember: <n> and <records> must be positive\n");
    return 2;
  }
  const int64_t keys = std::min<int64_t>(records, 100'000);

  auto start = std::chrono::steady_clock::now();
  const int64_t mapped = ctx.range(0, records, 1, n).map([](int64_t x) { return 2 * x; }).count();
  const double stageSeconds = secondsSince(start);

  start = std::chrono::steady_clock::now();
  const auto counts = ctx.range(0, records, 1, n)
                          .map([keys](int64_t x) {
                            return std::pair{x % keys, int64_t{1}};
                          })
                          .reduceByKey(std::plus<>{}, n);
  const int64_t checksum =
      counts.map([](const std::pair<int64_t, int64_t>& kv) { return (kv.first + 1) * kv.second; })
          .fold(int64_t{0}, std::plus<>{});
  const double shuffleSeconds = secondsSince(start);

  // The plain loop: key k is hit records / keys times, plus once more for the
  // first records % keys keys.
  int64_t expected = 0;
  for (int64_t k = 0; k < keys; ++k)
    expected += (k + 1) * (records / keys + (k < records % keys ? 1 : 0));
  const bool right = mapped == records && checksum == expected;

  const std::string master = ctx.master();
  ctx.stop();
  if (!ctx.isDriver()) return right ? 0 : 1;
  std::printf(
      "ember master=%s n=%d records=%lld stage_s=%.3f shuffle_s=%.3f driver_rss_mib=%.1f "
      "executor_rss_mib=%.1f\n",
      master.c_str(), n, static_cast<long long>(records), stageSeconds, shuffleSeconds,
      ember_bench::peakRssMib(), childrenPeakRssMib());
  if (!right) {
    std::fprintf(stderr,
                 "width_ember: wrong answer: count %lld (expected %lld), checksum %lld "
                 "(expected %lld)\n",
                 static_cast<long long>(mapped), static_cast<long long>(records),
                 static_cast<long long>(checksum), static_cast<long long>(expected));
    return 1;
  }
  return 0;
}
