#pragma once
// crc32c: the Castagnoli CRC that guards every block ember writes and every
// frame it sends.

#include <cstddef>
#include <cstdint>

namespace ember {

/// CRC-32C (Castagnoli, as iSCSI and ext4 use it) of `n` bytes. Pass the
/// previous result as `seed` to continue a checksum over a further range:
/// crc32c(b, nb, crc32c(a, na)) is the checksum of a followed by b.
/// Uses the SSE4.2 crc32 instruction when the CPU has it, a table otherwise.
/// Thread safety: may be called concurrently.
uint32_t crc32c(const void* data, size_t n, uint32_t seed = 0);

}  // namespace ember
