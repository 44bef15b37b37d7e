#include "common/crc32c.hpp"

#include <array>
#include <bit>
#include <cstring>

#if defined(__x86_64__)
#include <nmmintrin.h>
#endif

#include "common/detail/crc32c_impl.hpp"
#include "common/detail/little_endian.hpp"

namespace ember {
namespace detail {
namespace {

// The reflected Castagnoli polynomial 0x1EDC6F41.
constexpr uint32_t kPolynomial = 0x82F63B78;

// kTables[k][b] is the CRC of byte b followed by k zero bytes, so eight
// input bytes can be folded with eight independent lookups.
using Tables = std::array<std::array<uint32_t, 256>, 8>;

constexpr Tables makeTables() {
  Tables t{};
  for (uint32_t b = 0; b < 256; ++b) {
    uint32_t crc = b;
    for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ ((crc & 1) ? kPolynomial : 0);
    t[0][b] = crc;
  }
  for (size_t k = 1; k < 8; ++k) {
    for (size_t b = 0; b < 256; ++b) t[k][b] = (t[k - 1][b] >> 8) ^ t[0][t[k - 1][b] & 0xFF];
  }
  return t;
}

constexpr Tables kTables = makeTables();

}  // namespace

uint32_t crc32cSoftware(const void* data, size_t n, uint32_t seed) {
  const auto* p = static_cast<const unsigned char*>(data);
  uint32_t crc = ~seed;
  for (; n >= 8; n -= 8, p += 8) {
    const uint64_t v = loadLittleEndian64(p) ^ crc;
    crc = kTables[7][v & 0xFF] ^ kTables[6][(v >> 8) & 0xFF] ^ kTables[5][(v >> 16) & 0xFF] ^
          kTables[4][(v >> 24) & 0xFF] ^ kTables[3][(v >> 32) & 0xFF] ^
          kTables[2][(v >> 40) & 0xFF] ^ kTables[1][(v >> 48) & 0xFF] ^ kTables[0][v >> 56];
  }
  for (; n > 0; --n, ++p) crc = (crc >> 8) ^ kTables[0][(crc ^ *p) & 0xFF];
  return ~crc;
}

#if defined(__x86_64__)

__attribute__((target("sse4.2"))) uint32_t crc32cSse42(const void* data, size_t n, uint32_t seed) {
  const auto* p = static_cast<const unsigned char*>(data);
  uint64_t crc = ~seed;
  for (; n >= 8; n -= 8, p += 8) {
    uint64_t v;
    std::memcpy(&v, p, sizeof v);
    crc = _mm_crc32_u64(crc, v);
  }
  auto crc32 = static_cast<uint32_t>(crc);
  for (; n > 0; --n, ++p) crc32 = _mm_crc32_u8(crc32, *p);
  return ~crc32;
}

bool cpuHasSse42() { return __builtin_cpu_supports("sse4.2"); }

#else

uint32_t crc32cSse42(const void* data, size_t n, uint32_t seed) {
  return crc32cSoftware(data, n, seed);
}

bool cpuHasSse42() { return false; }

#endif

}  // namespace detail

uint32_t crc32c(const void* data, size_t n, uint32_t seed) {
  // Chosen once: __builtin_cpu_supports is cheap, but an indirect call
  // through a constant pointer is cheaper still on this hot path.
  static const auto impl = detail::cpuHasSse42() ? &detail::crc32cSse42 : &detail::crc32cSoftware;
  return impl(data, n, seed);
}

}  // namespace ember
