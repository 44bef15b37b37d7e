#include "storage/block_frame.hpp"

#include <lz4.h>

#include <cstdio>
#include <cstring>

#include "common/crc32c.hpp"
#include "common/detail/little_endian.hpp"
#include "common/error.hpp"
#include "storage/detail/frame_header.hpp"

namespace ember {
namespace {

using detail::loadLittleEndian32;
using detail::storeLittleEndian32;

constexpr unsigned char kMagic[4] = {'E', 'M', 'B', 'F'};
constexpr uint8_t kVersion = 1;

// Header field offsets; see block_frame.hpp.
constexpr size_t kVersionAt = 4;
constexpr size_t kCodecAt = 5;
constexpr size_t kRawSizeAt = 8;
constexpr size_t kStoredSizeAt = 12;
constexpr size_t kStoredCrcAt = 16;
constexpr size_t kHeaderCrcAt = 20;

std::string hex32(uint32_t v) {
  char text[11];
  std::snprintf(text, sizeof text, "0x%08x", v);
  return text;
}

constexpr std::string_view kDamaged = "the block was damaged on disk or in transit";

[[noreturn]] void corrupt(std::string_view blockName, std::string_view check,
                          const std::string& detail, std::string_view cause = kDamaged) {
  std::string message(blockName);
  message += ": ";
  message += check;
  message += ": ";
  message += detail;
  message += "; ";
  message += cause;
  throw CorruptBlockError(message);
}

}  // namespace

namespace detail {

FrameHeader parseFrameHeader(std::string_view header, std::string_view blockName) {
  if (header.size() < kFrameHeaderSize) {
    corrupt(blockName, "truncated header",
            std::to_string(header.size()) + " of " + std::to_string(kFrameHeaderSize) + " bytes",
            "the block was cut short on disk or in transit");
  }
  const char* h = header.data();
  if (std::memcmp(h, kMagic, sizeof kMagic) != 0) {
    corrupt(blockName, "bad magic",
            hex32(loadLittleEndian32(h)) + ", expected " +
                hex32(loadLittleEndian32(reinterpret_cast<const char*>(kMagic))),
            "this is not an ember block, or it was damaged on disk or in transit");
  }
  const auto version = static_cast<uint8_t>(h[kVersionAt]);
  if (version != kVersion) {
    corrupt(blockName, "unknown version",
            std::to_string(version) + ", this build reads version " + std::to_string(kVersion),
            "the block was written by a different ember build, or damaged");
  }
  const uint32_t storedHeaderCrc = loadLittleEndian32(h + kHeaderCrcAt);
  const uint32_t headerCrc = crc32c(h, kHeaderCrcAt);
  if (storedHeaderCrc != headerCrc) {
    corrupt(blockName, "header checksum mismatch",
            "stored " + hex32(storedHeaderCrc) + ", computed " + hex32(headerCrc));
  }
  FrameHeader parsed{static_cast<Codec>(h[kCodecAt]), loadLittleEndian32(h + kRawSizeAt),
                     loadLittleEndian32(h + kStoredSizeAt), loadLittleEndian32(h + kStoredCrcAt)};
  if (parsed.codec != Codec::kNone && parsed.codec != Codec::kLz4) {
    corrupt(blockName, "unknown codec", std::to_string(static_cast<unsigned char>(h[kCodecAt])));
  }
  if (parsed.rawSize > kMaxFrameBytes || parsed.storedSize > kMaxFrameBytes) {
    corrupt(blockName, "size over limit",
            "claims " + std::to_string(parsed.rawSize) + " raw and " +
                std::to_string(parsed.storedSize) + " stored bytes, more than the " +
                std::to_string(kMaxFrameBytes) + " a frame may hold");
  }
  if (parsed.codec == Codec::kNone && parsed.rawSize != parsed.storedSize) {
    corrupt(blockName, "size mismatch",
            "an uncompressed frame of " + std::to_string(parsed.rawSize) + " raw and " +
                std::to_string(parsed.storedSize) + " stored bytes");
  }
  return parsed;
}

void checkFramePayload(const FrameHeader& header, std::string_view stored,
                       std::string_view blockName) {
  const uint32_t computed = crc32c(stored.data(), stored.size());
  if (computed != header.storedCrc) {
    corrupt(blockName, "checksum mismatch",
            "stored " + hex32(header.storedCrc) + ", computed " + hex32(computed));
  }
}

void decodeFramePayload(const FrameHeader& header, std::string_view stored, std::string& payload,
                        std::string_view blockName) {
  checkFramePayload(header, stored, blockName);
  if (header.codec == Codec::kNone) {
    payload.assign(stored);
    return;
  }
  payload.resize(header.rawSize);
  const int decoded =
      LZ4_decompress_safe(stored.data(), payload.data(), static_cast<int>(stored.size()),
                          static_cast<int>(header.rawSize));
  if (decoded != static_cast<int>(header.rawSize)) {
    corrupt(blockName, "lz4 decode failed",
            decoded < 0 ? "malformed lz4 data"
                        : "decoded " + std::to_string(decoded) + " bytes, expected " +
                              std::to_string(header.rawSize));
  }
}

}  // namespace detail

void encodeFrame(std::string_view payload, Codec codec, std::string& out) {
  if (payload.size() > kMaxFrameBytes) {
    throw Error("cannot store a block of " + std::to_string(payload.size()) +
                " bytes: a frame holds at most " + std::to_string(kMaxFrameBytes) +
                " bytes; write such data in smaller blocks");
  }
  const size_t start = out.size();
  const auto rawSize = static_cast<uint32_t>(payload.size());
  uint32_t storedSize = rawSize;
  Codec stored = Codec::kNone;
  if (codec == Codec::kLz4 && !payload.empty()) {
    const int bound = LZ4_compressBound(static_cast<int>(rawSize));
    out.resize(start + kFrameHeaderSize + static_cast<size_t>(bound));
    const int compressed = LZ4_compress_default(
        payload.data(), out.data() + start + kFrameHeaderSize, static_cast<int>(rawSize), bound);
    if (compressed > 0 && static_cast<uint32_t>(compressed) < rawSize) {
      storedSize = static_cast<uint32_t>(compressed);
      stored = Codec::kLz4;
    }
  }
  out.resize(start + kFrameHeaderSize + storedSize);
  char* h = out.data() + start;
  if (stored == Codec::kNone && rawSize != 0) {
    std::memcpy(h + kFrameHeaderSize, payload.data(), rawSize);
  }
  std::memcpy(h, kMagic, sizeof kMagic);
  h[kVersionAt] = static_cast<char>(kVersion);
  h[kCodecAt] = static_cast<char>(stored);
  h[6] = h[7] = 0;
  storeLittleEndian32(h + kRawSizeAt, rawSize);
  storeLittleEndian32(h + kStoredSizeAt, storedSize);
  storeLittleEndian32(h + kStoredCrcAt, crc32c(h + kFrameHeaderSize, storedSize));
  storeLittleEndian32(h + kHeaderCrcAt, crc32c(h, kHeaderCrcAt));
}

size_t frameSize(std::string_view header, std::string_view blockName) {
  return kFrameHeaderSize + detail::parseFrameHeader(header, blockName).storedSize;
}

size_t decodeFrame(std::string_view frame, std::string& payload, std::string_view blockName) {
  const detail::FrameHeader header = detail::parseFrameHeader(frame, blockName);
  const size_t total = kFrameHeaderSize + header.storedSize;
  if (frame.size() < total) {
    corrupt(blockName, "truncated payload",
            std::to_string(frame.size() - kFrameHeaderSize) + " of " +
                std::to_string(header.storedSize) + " stored bytes",
            "the block was cut short on disk or in transit");
  }
  detail::decodeFramePayload(header, frame.substr(kFrameHeaderSize, header.storedSize), payload,
                             blockName);
  return total;
}

}  // namespace ember
