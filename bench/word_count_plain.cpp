// word_count_plain: the single-threaded baseline for the word-count benchmark.
//
//   word_count_plain <input-file>
//
// Deliberately the straightforward program one would write without a framework (read
// the file, split on whitespace, count in a std::unordered_map), so the ember numbers
// are measured against what a user would otherwise run. Prints one line in the same
// format as word_count_ember so run_word_count.sh can parse both:
//   plain  seconds=<s> bytes=<n> distinct=<d> total=<t> peak_rss_mib=<m>

#include <sys/resource.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace {

constexpr std::size_t kChunkBytes = std::size_t{1} << 20;

// The characters std::isspace accepts in the "C" locale, as a table: the same
// definition ember::splitWords uses, without isspace's locale lookup per byte.
constexpr std::array<bool, 256> kIsSpace = [] {
  std::array<bool, 256> table{};
  for (const unsigned char c : {' ', '\t', '\n', '\v', '\f', '\r'}) table[c] = true;
  return table;
}();

bool isSpace(char c) { return kIsSpace[static_cast<unsigned char>(c)]; }

class WordCounter {
 public:
  void add(std::string_view word) {
    // Reusing one key string avoids an allocation per lookup (words this short fit
    // the small-string buffer anyway); the map copies it only for a new word.
    key_.assign(word);
    ++counts_[key_];
    ++total_;
  }

  std::size_t distinct() const { return counts_.size(); }
  std::int64_t total() const { return total_; }

 private:
  std::unordered_map<std::string, std::int64_t> counts_;
  std::string key_;
  std::int64_t total_ = 0;
};

double peakRssMib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <input-file>\n", argv[0]);
    return 2;
  }
  const char* path = argv[1];

  const auto start = std::chrono::steady_clock::now();
  std::FILE* file = std::fopen(path, "rb");
  if (file == nullptr) {
    std::fprintf(stderr, "word_count_plain: cannot open '%s': %s\n", path, std::strerror(errno));
    return 1;
  }

  WordCounter counter;
  std::vector<char> chunk(kChunkBytes);
  std::string carry;  // start of a word cut off by the end of the previous chunk
  std::uint64_t bytes = 0;
  for (;;) {
    const std::size_t n = std::fread(chunk.data(), 1, chunk.size(), file);
    if (n == 0) break;
    bytes += n;
    const char* p = chunk.data();
    const char* const end = p + n;

    if (!carry.empty()) {
      const char* wordEnd = p;
      while (wordEnd < end && !isSpace(*wordEnd)) ++wordEnd;
      carry.append(p, wordEnd);
      if (wordEnd == end) continue;  // the word spans this whole chunk too
      counter.add(carry);
      carry.clear();
      p = wordEnd;
    }

    for (;;) {
      while (p < end && isSpace(*p)) ++p;
      if (p == end) break;
      const char* const wordStart = p;
      while (p < end && !isSpace(*p)) ++p;
      if (p == end) {
        // The word may continue in the next chunk, so it cannot be counted yet.
        carry.assign(wordStart, end);
        break;
      }
      counter.add(std::string_view(wordStart, static_cast<std::size_t>(p - wordStart)));
    }
  }
  const bool readFailed = std::ferror(file) != 0;
  std::fclose(file);
  if (readFailed) {
    std::fprintf(stderr, "word_count_plain: read error on '%s'\n", path);
    return 1;
  }
  if (!carry.empty()) counter.add(carry);  // file ended without trailing whitespace
  const auto stop = std::chrono::steady_clock::now();

  const double seconds = std::chrono::duration<double>(stop - start).count();
  std::printf("plain  seconds=%.3f bytes=%llu distinct=%zu total=%lld peak_rss_mib=%.1f\n", seconds,
              static_cast<unsigned long long>(bytes), counter.distinct(),
              static_cast<long long>(counter.total()), peakRssMib());
  return 0;
}
