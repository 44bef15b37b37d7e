// gen_text: writes deterministic, English-like text for the word-count benchmark.
//
//   gen_text <output-file> <size-MiB> [seed]
//
// Lines hold 6-16 words separated by single spaces. Words are drawn from a Zipf(1.1)
// distribution over a synthetic vocabulary of 50,000 lowercase words, so the output has
// the skew that matters for word count (a few very hot keys, a long tail of rare ones)
// without depending on any corpus. The same seed gives byte-identical output on every
// platform: only std::mt19937_64 (whose sequence the standard fixes) is used, never the
// std:: distributions (whose algorithms are implementation-defined).

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <string_view>
#include <system_error>
#include <unordered_set>
#include <vector>

#include "buffered_writer.hpp"

namespace {

constexpr std::size_t kVocabularySize = 50'000;
constexpr double kZipfExponent = 1.1;
constexpr std::uint64_t kMinWordsPerLine = 6;
constexpr std::uint64_t kMaxWordsPerLine = 16;
constexpr int kMinWordLength = 2;
constexpr int kMaxWordLength = 12;
constexpr std::uint64_t kDefaultSeed = 42;
// Upper bound keeps a typo (e.g. bytes instead of MiB) from filling the disk.
constexpr double kMaxSizeMib = 1 << 20;

// Portable sampling on top of mt19937_64; see the file comment for why the std::
// distributions are avoided.
class Random {
 public:
  explicit Random(std::uint64_t seed) : engine_(seed) {}

  // Uniform in [0, 1) with 53 random bits.
  double uniform01() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }

  // Uniform in [0, n). The modulo bias is below n / 2^64, far too small to matter here.
  std::uint64_t below(std::uint64_t n) { return engine_() % n; }

  bool chance(double p) { return uniform01() < p; }

 private:
  std::mt19937_64 engine_;
};

// Letter pools weighted roughly by English letter frequency, so words look like
// "tenarol" rather than "xqzjv" and hash/compare costs resemble real text.
constexpr std::string_view kVowels = "eeeeeeeeeeeeeaaaaaaaaoooooooiiiiiiiuuu";
constexpr std::string_view kConsonants =
    "tttttttttttttttttttttttnnnnnnnnnnnnnnnnnsssssssssssssssshhhhhhhhhhhhhhhrrrrrrrrrrrrrrr"
    "dddddddddddllllllllllcccccccmmmmmmwwwwwwffffffgggggyyyyypppppbbbbvvvkkjxqz";

// Frequent words are short in natural language (Zipf's law of abbreviation), and the
// hottest keys dominate hashing cost, so the expected length grows with log(rank).
int wordLengthForRank(std::size_t rank, Random& rng) {
  const double mean = 2.5 + 0.55 * std::log(static_cast<double>(rank) + 1.0);
  const double noisy = mean + (rng.uniform01() - 0.5) * 4.0;
  return std::clamp(static_cast<int>(std::lround(noisy)), kMinWordLength, kMaxWordLength);
}

// Alternating consonants and vowels (with occasional clusters) makes pronounceable words.
std::string makeWord(int length, Random& rng) {
  std::string word;
  word.reserve(static_cast<std::size_t>(length));
  bool vowel = rng.chance(0.3);
  for (int i = 0; i < length; ++i) {
    const std::string_view pool = vowel ? kVowels : kConsonants;
    word.push_back(pool[rng.below(pool.size())]);
    if (!rng.chance(0.2)) vowel = !vowel;
  }
  return word;
}

// Index 0 is the most frequent word. Words are unique, otherwise two ranks would merge
// and the distinct-word count would no longer match the vocabulary size.
std::vector<std::string> makeVocabulary(std::uint64_t seed) {
  Random rng(seed);
  std::vector<std::string> vocabulary;
  vocabulary.reserve(kVocabularySize);
  std::unordered_set<std::string> seen;
  seen.reserve(kVocabularySize * 2);
  while (vocabulary.size() < kVocabularySize) {
    // Short lengths have few possible words (26^2 for two letters); if a length is
    // exhausted by collisions, retrying with the next length still terminates.
    int length = wordLengthForRank(vocabulary.size() + 1, rng);
    for (int attempt = 0;; ++attempt) {
      std::string word = makeWord(length, rng);
      if (seen.insert(word).second) {
        vocabulary.push_back(std::move(word));
        break;
      }
      if (attempt % 64 == 63 && length < kMaxWordLength) ++length;
    }
  }
  return vocabulary;
}

// cdf[i] = P(rank <= i); sampling is then one binary search per word.
std::vector<double> makeZipfCdf(std::size_t n, double exponent) {
  std::vector<double> cdf(n);
  double sum = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    sum += 1.0 / std::pow(static_cast<double>(i + 1), exponent);
    cdf[i] = sum;
  }
  for (double& c : cdf) c /= sum;
  // Rounding could leave the last entry just below 1.0, which would let a draw close
  // to 1.0 fall past the end.
  cdf.back() = 1.0;
  return cdf;
}

std::size_t sampleRank(const std::vector<double>& cdf, Random& rng) {
  const double u = rng.uniform01();
  return static_cast<std::size_t>(std::upper_bound(cdf.begin(), cdf.end(), u) - cdf.begin());
}

template <typename T>
bool parseNumber(std::string_view text, T& value) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc{} && end == text.data() + text.size();
}

int usage(const char* program) {
  std::fprintf(stderr,
               "usage: %s <output-file> <size-MiB> [seed]\n"
               "  writes about <size-MiB> MiB (ending on a full line) of Zipf-distributed\n"
               "  synthetic words; the same seed (default %llu) gives identical output\n",
               program, static_cast<unsigned long long>(kDefaultSeed));
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3 || argc > 4) return usage(argv[0]);
  const char* path = argv[1];
  double sizeMib = 0.0;
  if (!parseNumber(argv[2], sizeMib) || !(sizeMib > 0.0) || sizeMib > kMaxSizeMib) {
    std::fprintf(stderr, "gen_text: invalid size '%s' (want MiB in (0, %.0f])\n", argv[2],
                 kMaxSizeMib);
    return usage(argv[0]);
  }
  std::uint64_t seed = kDefaultSeed;
  if (argc == 4 && !parseNumber(argv[3], seed)) {
    std::fprintf(stderr, "gen_text: invalid seed '%s'\n", argv[3]);
    return usage(argv[0]);
  }
  const auto targetBytes = static_cast<std::uint64_t>(sizeMib * 1024.0 * 1024.0);

  const std::vector<std::string> vocabulary = makeVocabulary(seed);
  const std::vector<double> cdf = makeZipfCdf(vocabulary.size(), kZipfExponent);

  std::FILE* file = std::fopen(path, "wb");
  if (file == nullptr) {
    std::fprintf(stderr, "gen_text: cannot open '%s': %s\n", path, std::strerror(errno));
    return 1;
  }

  // A separate stream from the vocabulary's keeps the text a pure function of the seed
  // even if the vocabulary construction consumes a different number of draws.
  Random rng(seed ^ 0x9e3779b97f4a7c15ULL);
  ember_bench::BufferedWriter out(file);
  std::uint64_t lines = 0;
  std::uint64_t words = 0;
  while (out.written() < targetBytes) {
    const std::uint64_t lineWords =
        kMinWordsPerLine + rng.below(kMaxWordsPerLine - kMinWordsPerLine + 1);
    for (std::uint64_t i = 0; i < lineWords; ++i) {
      if (i > 0) out.append(' ');
      out.append(vocabulary[sampleRank(cdf, rng)]);
    }
    out.append('\n');
    ++lines;
    words += lineWords;
  }

  const bool flushed = out.flush();
  if (std::fclose(file) != 0 || !flushed) {
    std::fprintf(stderr, "gen_text: write to '%s' failed: %s\n", path, std::strerror(errno));
    return 1;
  }
  std::printf("gen_text: wrote %llu bytes, %llu lines, %llu words to %s (seed %llu)\n",
              static_cast<unsigned long long>(out.written()),
              static_cast<unsigned long long>(lines), static_cast<unsigned long long>(words), path,
              static_cast<unsigned long long>(seed));
  return 0;
}
