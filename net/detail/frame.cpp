#include "net/detail/frame.hpp"

#include <bit>
#include <cstring>
#include <string>

#include "common/crc32c.hpp"
#include "common/detail/little_endian.hpp"
#include "common/error.hpp"

namespace ember::net::detail {
namespace {

using ember::detail::loadLittleEndian32;
using ember::detail::storeLittleEndian32;

constexpr unsigned char kMagic[4] = {'E', 'M', 'B', 'N'};
constexpr size_t kVersionAt = 4;
constexpr size_t kKindAt = 5;
constexpr size_t kTypeAt = 8;
constexpr size_t kLengthAt = 12;
constexpr size_t kCrcAt = 16;

}  // namespace

FrameHeaderBytes encodeFrameHeader(FrameKind kind, uint32_t type, std::string_view payload) {
  FrameHeaderBytes h{};
  std::memcpy(h.data(), kMagic, sizeof kMagic);
  h[kVersionAt] = kFrameVersion;
  h[kKindAt] = static_cast<unsigned char>(kind);
  storeLittleEndian32(h.data() + kTypeAt, type);
  storeLittleEndian32(h.data() + kLengthAt, static_cast<uint32_t>(payload.size()));
  storeLittleEndian32(h.data() + kCrcAt, crc32c(payload.data(), payload.size()));
  return h;
}

FrameHeader parseFrameHeader(const FrameHeaderBytes& h, size_t maxPayload) {
  if (std::memcmp(h.data(), kMagic, sizeof kMagic) != 0) {
    throw NetError("bad frame magic (not an ember peer, or a stream out of step)");
  }
  if (h[kVersionAt] != kFrameVersion) {
    throw NetError("unsupported frame version " + std::to_string(h[kVersionAt]) +
                   " (this build speaks version " + std::to_string(kFrameVersion) + ")");
  }
  if (h[kKindAt] > static_cast<unsigned char>(FrameKind::kControl)) {
    throw NetError("unknown frame kind " + std::to_string(h[kKindAt]));
  }
  FrameHeader header{static_cast<FrameKind>(h[kKindAt]), loadLittleEndian32(h.data() + kTypeAt),
                     loadLittleEndian32(h.data() + kLengthAt),
                     loadLittleEndian32(h.data() + kCrcAt)};
  if (header.length > maxPayload) {
    throw NetError("frame of " + std::to_string(header.length) + " bytes exceeds the maximum of " +
                   std::to_string(maxPayload) + " bytes");
  }
  return header;
}

void checkFramePayload(const FrameHeader& header, std::string_view payload) {
  const uint32_t actual = crc32c(payload.data(), payload.size());
  if (actual != header.crc) {
    throw NetError("frame checksum mismatch (crc32c of the " + std::to_string(payload.size()) +
                   "-byte payload does not match the header): the data was damaged");
  }
}

std::string encodeFrame(FrameKind kind, uint32_t type, std::string_view payload) {
  const FrameHeaderBytes header = encodeFrameHeader(kind, type, payload);
  std::string frame(reinterpret_cast<const char*>(header.data()), header.size());
  frame.append(payload);
  return frame;
}

}  // namespace ember::net::detail
