#pragma once
// The two implementations behind crc32c(), exposed so that tests can check
// each against the same vectors whatever the CPU running them.

#include <cstddef>
#include <cstdint>

namespace ember::detail {

/// Table-driven (slicing-by-8) CRC-32C; runs anywhere.
uint32_t crc32cSoftware(const void* data, size_t n, uint32_t seed);

/// CRC-32C with the SSE4.2 crc32 instruction. REQUIRES: cpuHasSse42().
uint32_t crc32cSse42(const void* data, size_t n, uint32_t seed);

/// Whether this CPU can run crc32cSse42 (always false off x86-64).
bool cpuHasSse42();

}  // namespace ember::detail
