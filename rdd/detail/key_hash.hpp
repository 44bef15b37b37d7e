#pragma once
// KeyHash and KeyEqual: hashing and comparing keys in shuffles and combiners.

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include <boost/container_hash/hash.hpp>

namespace ember::detail {

/// 64x64 -> 128-bit multiply, folded: the mixing step of fast modern hashes.
inline uint64_t mulFold(uint64_t a, uint64_t b) {
  __extension__ typedef unsigned __int128 U128;
  U128 r = static_cast<U128>(a) * b;
  return static_cast<uint64_t>(r) ^ static_cast<uint64_t>(r >> 64);
}

inline uint64_t load64(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

/// A fast, well-mixed hash of bytes, stable across processes and runs (the
/// shuffle relies on every process sending a key to the same partition).
/// Words of text are short, so short inputs take one or two multiplies.
inline uint64_t hashBytes(const char* p, size_t n) {
  constexpr uint64_t kSeed = 0x9E3779B97F4A7C15ull;
  constexpr uint64_t kMul = 0xA0761D6478BD642Full;
  uint64_t h = kSeed ^ (n * kMul);
  while (n > 16) {
    h = mulFold(load64(p) ^ h, load64(p + 8) ^ kMul);
    p += 16;
    n -= 16;
  }
  uint64_t a = 0;
  uint64_t b = 0;
  if (n >= 8) {
    a = load64(p);
    b = load64(p + n - 8);
  } else if (n >= 4) {
    uint32_t x, y;
    std::memcpy(&x, p, 4);
    std::memcpy(&y, p + n - 4, 4);
    a = x;
    b = y;
  } else if (n > 0) {
    a = (uint64_t{static_cast<unsigned char>(p[0])} << 16) |
        (uint64_t{static_cast<unsigned char>(p[n / 2])} << 8) |
        static_cast<unsigned char>(p[n - 1]);
  }
  return mulFold(a ^ h, b ^ kMul) ^ h;
}

/// boost::hash for every key, with a faster byte hash for strings. The
/// result is well mixed, which the flat hash tables are told through
/// is_avalanching so they do not mix it again.
template <class K>
struct KeyHash {
  size_t operator()(const K& key) const { return boost::hash<K>{}(key); }
};

template <>
struct KeyHash<std::string> {
  using is_avalanching = void;
  size_t operator()(const std::string& s) const { return hashBytes(s.data(), s.size()); }
};

/// Equality of keys; for strings, short ones compare inline rather than
/// through a call to memcmp.
template <class K>
struct KeyEqual {
  bool operator()(const K& a, const K& b) const { return a == b; }
};

template <>
struct KeyEqual<std::string> {
  bool operator()(const std::string& a, const std::string& b) const {
    const size_t n = a.size();
    if (n != b.size()) return false;
    if (n > 16) return std::memcmp(a.data(), b.data(), n) == 0;
    for (size_t i = 0; i < n; ++i) {
      if (a[i] != b[i]) return false;
    }
    return true;
  }
};

}  // namespace ember::detail
