#pragma once
// Block frames: the checked, optionally compressed envelope around every
// block ember writes to disk or sends to another process.
//
// Layout, little-endian, kFrameHeaderSize bytes of header then the stored
// bytes:
//   0  4  magic "EMBF"
//   4  1  version (1)
//   5  1  codec (Codec)
//   6  2  reserved, zero
//   8  4  raw size: payload bytes before compression
//  12  4  stored size: bytes that follow the header
//  16  4  crc32c of the stored bytes
//  20  4  crc32c of header bytes 0..19, so a damaged size is caught before
//         anything is read or allocated for it

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace ember {

enum class Codec : uint8_t { kNone = 0, kLz4 = 1 };

inline constexpr size_t kFrameHeaderSize = 24;

/// The largest payload a frame holds; a frame claiming more is corrupt.
inline constexpr uint32_t kMaxFrameBytes = uint32_t{256} << 20;

/// Appends one frame holding `payload` to `out`. With kLz4 the raw bytes are
/// stored instead when lz4 does not shrink them (the codec byte says which).
/// Throws Error when the payload is larger than kMaxFrameBytes.
void encodeFrame(std::string_view payload, Codec codec, std::string& out);

/// Size of the whole frame starting at `header` (at least kFrameHeaderSize
/// bytes), after checking magic, version, header checksum, codec and sizes.
/// Throws CorruptBlockError naming `blockName` and the failed check.
size_t frameSize(std::string_view header, std::string_view blockName);

/// Decodes the frame at the start of `frame` into `payload` (replacing its
/// contents) and returns the bytes consumed. Throws CorruptBlockError
/// "<blockName>: <check> failed ...; the block was damaged on disk or in
/// transit" when the frame fails any check: truncated header, bad magic,
/// unknown version, header checksum, unknown codec, size over kMaxFrameBytes,
/// truncated payload, checksum mismatch, lz4 decode failure.
size_t decodeFrame(std::string_view frame, std::string& payload, std::string_view blockName);

}  // namespace ember
