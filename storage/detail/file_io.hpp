#pragma once
// Whole-buffer positional reads and writes on a file descriptor, retrying
// short transfers and EINTR, with errors worded for the user; and the
// append of one block frame, shared by the files of frames (SpillFile,
// CheckpointFileWriter).

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "storage/block_frame.hpp"

namespace ember::detail {

/// Writes all `n` bytes at `offset`. Throws IoError naming `path`; a full
/// disk (ENOSPC, EDQUOT) says so and what to do about it.
void writeFully(int fd, const void* data, size_t n, off_t offset,
                const std::filesystem::path& path);

/// Reads up to `n` bytes at `offset`, fewer only at the end of the file;
/// returns the bytes read. Throws IoError naming `path`.
size_t readFully(int fd, void* data, size_t n, off_t offset, const std::filesystem::path& path);

/// Buffers are kept per thread, so that appends and reads on the hot path
/// do not allocate; one that grew past this is given back after use.
inline constexpr size_t kKeptBufferBytes = size_t{16} << 20;

inline void giveBackIfHuge(std::string& buffer) {
  if (buffer.capacity() > kKeptBufferBytes) std::string().swap(buffer);
}

/// Encodes `payload` as one frame (in a buffer kept per thread) and writes
/// it at `offset`; returns the frame's size in bytes. Throws Error for a
/// payload larger than a frame holds, and IoError as writeFully().
int64_t writeFrame(int fd, std::string_view payload, Codec codec, off_t offset,
                   const std::filesystem::path& path);

}  // namespace ember::detail
