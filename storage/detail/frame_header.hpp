#pragma once
// The parsed frame header, for readers (SpillFile) that read a frame's
// header and its stored bytes separately.

#include <cstdint>
#include <string>
#include <string_view>

#include "storage/block_frame.hpp"

namespace ember::detail {

struct FrameHeader {
  Codec codec;
  uint32_t rawSize;
  uint32_t storedSize;
  uint32_t storedCrc;
};

/// Checks and parses the kFrameHeaderSize bytes at the start of `header`.
/// Throws CorruptBlockError naming `blockName`.
FrameHeader parseFrameHeader(std::string_view header, std::string_view blockName);

/// Checks `stored` (the bytes after the header) against `header` and decodes
/// them into `payload`. REQUIRES: stored.size() == header.storedSize.
void decodeFramePayload(const FrameHeader& header, std::string_view stored, std::string& payload,
                        std::string_view blockName);

/// Checks the stored bytes of an uncompressed frame in place, for readers
/// that read them straight into the payload.
void checkFramePayload(const FrameHeader& header, std::string_view stored,
                       std::string_view blockName);

}  // namespace ember::detail
