// word_count_ember: the ember side of the word-count benchmark.
//
//   word_count_ember [--master local[N]] [--conf key=value]... <input-file>
//
// Same job as word_count_plain (split on ASCII whitespace, count every word) expressed
// with the RDD API, printing one line in the same format:
//   ember  seconds=<s> bytes=<n> distinct=<d> total=<t> peak_rss_mib=<m>

#include <sys/resource.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <functional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include <ember/ember.hpp>

namespace {

double peakRssMib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

}  // namespace

int main(int argc, char** argv) {
  try {
    // Takes --master/--conf out of argv, leaving only the positional arguments.
    ember::Context ctx(argc, argv);
    if (argc != 2) {
      std::fprintf(stderr, "usage: %s [--master local[N]] [--conf key=value]... <input-file>\n",
                   argv[0]);
      return 2;
    }
    const std::string path = argv[1];
    std::error_code error;
    const std::uintmax_t bytes = std::filesystem::file_size(path, error);
    if (error) {
      std::fprintf(stderr, "word_count_ember: cannot stat '%s': %s\n", path.c_str(),
                   error.message().c_str());
      return 1;
    }

    // Context start-up (thread pool etc.) is excluded: the plain baseline has no
    // equivalent, and it is a one-off cost rather than per-byte throughput.
    const auto start = std::chrono::steady_clock::now();
    auto counts = ctx.textFile(path)
                      .flatMap([](const std::string& line) { return ember::splitWords(line); })
                      .map([](const std::string& word) {
                        return std::pair{word, int64_t{1}};
                      })
                      .reduceByKey(std::plus<>{});
    // A single action, so the lineage runs exactly once; separate count() and sum()
    // actions would each recompute the whole job.
    const std::vector<std::pair<std::string, int64_t>> result = counts.collect();
    const auto stop = std::chrono::steady_clock::now();

    // Under ember-run every process gets the answer; the driver alone reports it.
    if (!ctx.isDriver()) return 0;
    int64_t total = 0;
    for (const auto& [word, count] : result) total += count;

    const double seconds = std::chrono::duration<double>(stop - start).count();
    std::printf("ember  seconds=%.3f bytes=%llu distinct=%zu total=%lld peak_rss_mib=%.1f\n",
                seconds, static_cast<unsigned long long>(bytes), result.size(),
                static_cast<long long>(total), peakRssMib());
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "word_count_ember: %s\n", e.what());
    return 1;
  }
}
