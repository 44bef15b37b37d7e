#pragma once
// PortableRandom: the random source of the benchmark input generators.

#include <cstdint>
#include <random>

namespace ember_bench {

// The same seed must give byte-identical files on every platform: std::mt19937_64's
// sequence is fixed by the standard, the std:: distributions' algorithms are not, so
// every draw is built from the engine's raw output here.
class PortableRandom {
 public:
  explicit PortableRandom(std::uint64_t seed) : engine_(seed) {}

  std::uint64_t next() { return engine_(); }

  // Uniform in [0, 1) with 53 random bits.
  double uniform01() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }

  // Uniform in [0, n); the modulo bias (below n / 2^64) does not matter here.
  std::uint64_t below(std::uint64_t n) { return engine_() % n; }

  // Uniform in [lo, hi].
  std::int64_t between(std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(hi - lo) + 1));
  }

 private:
  std::mt19937_64 engine_;
};

}  // namespace ember_bench
