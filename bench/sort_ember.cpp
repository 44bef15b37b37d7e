// sort_ember: the ember side of the sort benchmark.
//
//   sort_ember [--master local[N]] [--conf key=value]... <in.txt> <out-dir>
//
// Sorts the 100-byte records of gen_tables sort (a 10-byte key, a space, a payload) by
// key and writes them, unchanged, to <out-dir> with saveAsTextFile (part files in key
// order, then _SUCCESS). <out-dir> must not exist. Prints one line:
//   ember  seconds=<s> bytes=<n> peak_rss_mib=<m> spill_disk_bytes=<b> ...
// The time includes writing the output.

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <string>

#include "ember_bench.hpp"

int main(int argc, char** argv) {
  try {
    ember::Context ctx(argc, argv);
    if (argc != 3) {
      std::fprintf(stderr,
                   "usage: %s [--master local[N]] [--conf key=value]... <in.txt> <out-dir>\n",
                   argv[0]);
      return 2;
    }
    const std::string inPath = argv[1];
    const std::string outDir = argv[2];
    const auto bytes = ember_bench::inputBytes({inPath});
    const auto metrics = ember_bench::listen(ctx);

    const auto start = std::chrono::steady_clock::now();
    ctx.textFile(inPath)
        .sortBy([](const std::string& record) { return record.substr(0, record.find(' ')); })
        .saveAsTextFile(outDir);
    const auto stop = std::chrono::steady_clock::now();

    const double seconds = std::chrono::duration<double>(stop - start).count();
    std::printf("ember  seconds=%.3f bytes=%llu peak_rss_mib=%.1f%s\n", seconds,
                static_cast<unsigned long long>(bytes), ember_bench::peakRssMib(),
                metrics->fields().c_str());
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "sort_ember: %s\n", e.what());
    return 1;
  }
}
