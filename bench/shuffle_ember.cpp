// shuffle_ember: moves generated records through one hash shuffle and counts them; the
// ember side of the shuffle-throughput benchmark (run_cluster.sh).
//
//   shuffle_ember [--master ...] [--conf key=value]... <records> <partitions>
//
// Each record is 100 bytes: an 8-byte key and a 92-byte value, half random characters
// and half one of 64 fixed phrases (a categorical column), so that lz4 has something to
// gain but not everything. partitionBy(partitions) sends every record to the partition
// of its key: with P processes, (P - 1) / P of the records cross the network. Run it
// under ember-run (or local-cluster) and it prints, from the driver only:
//   ember  seconds=<s> records=<n> record_bytes=<n*100> ok=<0|1> peak_rss_mib=<m> ...
// ok is 1 when the count and the sum of the keys equal those of a plain loop over the
// same generator.

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <string>
#include <utility>

#include "ember_bench.hpp"

namespace {

constexpr int kValueBytes = 92;

using ember_bench::mix;

int64_t keyOf(int64_t i) { return static_cast<int64_t>(mix(static_cast<uint64_t>(i)) >> 1); }

std::pair<int64_t, std::string> record(int64_t i) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string value(kValueBytes, ' ');
  uint64_t bits = mix(static_cast<uint64_t>(i) + 0x9e3779b97f4a7c15ULL);
  for (int c = 0; c < kValueBytes / 2; ++c) {
    if (c % 10 == 0) bits = mix(bits + static_cast<uint64_t>(c));
    value[c] = kAlphabet[bits & 63];
    bits >>= 6;
  }
  const std::string phrase = "category-" + std::to_string(keyOf(i) & 63) + "-of-the-dataset";
  for (int c = kValueBytes / 2; c < kValueBytes; ++c)
    value[c] = phrase[static_cast<std::size_t>(c) % phrase.size()];
  return {keyOf(i), std::move(value)};
}

struct Tally {
  int64_t records = 0;
  int64_t keySum = 0;  // wraps: compared with the plain loop's wrapped sum
};

Tally plainTally(int64_t n) {
  Tally t;
  for (int64_t i = 0; i < n; ++i) {
    ++t.records;
    t.keySum =
        static_cast<int64_t>(static_cast<uint64_t>(t.keySum) + static_cast<uint64_t>(keyOf(i)));
  }
  return t;
}

Tally add(Tally a, Tally b) {
  return {a.records + b.records,
          static_cast<int64_t>(static_cast<uint64_t>(a.keySum) + static_cast<uint64_t>(b.keySum))};
}

}  // namespace

int main(int argc, char** argv) {
  try {
    ember::Context ctx(argc, argv);
    if (argc != 3) {
      std::fprintf(stderr,
                   "usage: %s [--master ...] [--conf key=value]... <records> <partitions>\n",
                   argv[0]);
      return 2;
    }
    const int64_t n = std::stoll(argv[1]);
    const int partitions = std::stoi(argv[2]);
    const auto metrics = ember_bench::listen(ctx);

    const auto start = std::chrono::steady_clock::now();
    const Tally got = ctx.range(0, n, 1, partitions)
                          .map([](int64_t i) { return record(i); })
                          .partitionBy(partitions)
                          .aggregate(
                              Tally{},
                              [](Tally t, const std::pair<int64_t, std::string>& r) {
                                return add(t, Tally{1, r.first});
                              },
                              add);
    const auto stop = std::chrono::steady_clock::now();

    if (!ctx.isDriver()) return 0;
    const Tally expected = plainTally(n);
    const bool ok = got.records == expected.records && got.keySum == expected.keySum;
    std::printf("ember  seconds=%.3f records=%lld record_bytes=%lld ok=%d peak_rss_mib=%.1f%s\n",
                std::chrono::duration<double>(stop - start).count(), static_cast<long long>(n),
                static_cast<long long>(n * (8 + kValueBytes)), ok ? 1 : 0,
                ember_bench::peakRssMib(), metrics->fields().c_str());
    return ok ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "shuffle_ember: %s\n", e.what());
    return 1;
  }
}
