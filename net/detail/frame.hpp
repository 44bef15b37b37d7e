#pragma once
// The wire frame every byte between two ember processes travels in.
//
//   offset size
//    0     4   magic "EMBN"
//    4     1   format version (1)
//    5     1   kind: 0 a Message of the protocol above, 1 a transport control frame
//    6     2   zero (reserved)
//    8     4   type: Message::type, or the ControlType of a control frame
//   12     4   payload length in bytes
//   16     4   crc32c of the payload
//   20         the payload
//
// Integers are little-endian. The header is checked, and the length bounded,
// before a byte of the payload is allocated or read.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace ember::net::detail {

inline constexpr size_t kFrameHeaderSize = 20;
inline constexpr uint8_t kFrameVersion = 1;

enum class FrameKind : uint8_t { kMessage = 0, kControl = 1 };

/// Types of the transport's own frames (kind kControl).
enum class ControlType : uint32_t {
  kChallenge = 1,  ///< accepting side: its nonce
  kAnswer = 2,     ///< connecting side: rank, nonce, HMAC over the challenge
  kConfirm = 3,    ///< accepting side: rank, HMAC over the answer's nonce
  kIntroduce = 4,  ///< connecting side, once authenticated: job size, listen address
  kMembers = 5,    ///< driver: every rank's listen address
};

struct FrameHeader {
  FrameKind kind = FrameKind::kMessage;
  uint32_t type = 0;
  uint32_t length = 0;
  uint32_t crc = 0;
};

using FrameHeaderBytes = std::array<unsigned char, kFrameHeaderSize>;

/// The header of a frame carrying `payload`, its checksum computed here.
/// REQUIRES: payload.size() fits in 32 bits.
FrameHeaderBytes encodeFrameHeader(FrameKind kind, uint32_t type, std::string_view payload);

/// Checks magic, version, kind and that the length is at most `maxPayload`;
/// throws NetError saying which check failed.
FrameHeader parseFrameHeader(const FrameHeaderBytes& bytes, size_t maxPayload);

/// Throws NetError when `payload` does not match the header's checksum.
void checkFramePayload(const FrameHeader& header, std::string_view payload);

/// A whole frame (header and payload) in one string, for small control frames
/// and tests.
std::string encodeFrame(FrameKind kind, uint32_t type, std::string_view payload);

}  // namespace ember::net::detail
