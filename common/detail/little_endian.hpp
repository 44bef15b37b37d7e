#pragma once
// Fixed-width integers in little-endian byte order, the order of every
// on-disk and on-wire header ember writes, whatever the host's order.

#include <bit>
#include <cstdint>
#include <cstring>

namespace ember::detail {

inline uint32_t toLittleEndian(uint32_t v) {
  if constexpr (std::endian::native == std::endian::big) return __builtin_bswap32(v);
  return v;
}

inline uint64_t toLittleEndian(uint64_t v) {
  if constexpr (std::endian::native == std::endian::big) return __builtin_bswap64(v);
  return v;
}

inline void storeLittleEndian32(void* at, uint32_t v) {
  v = toLittleEndian(v);
  std::memcpy(at, &v, sizeof v);
}

inline uint32_t loadLittleEndian32(const void* at) {
  uint32_t v;
  std::memcpy(&v, at, sizeof v);
  return toLittleEndian(v);
}

inline uint64_t loadLittleEndian64(const void* at) {
  uint64_t v;
  std::memcpy(&v, at, sizeof v);
  return toLittleEndian(v);
}

}  // namespace ember::detail
