#pragma once
// Whole-buffer positional reads and writes on a file descriptor, retrying
// short transfers and EINTR, with errors worded for the user.

#include <sys/types.h>

#include <cstddef>
#include <filesystem>

namespace ember::detail {

/// Writes all `n` bytes at `offset`. Throws IoError naming `path`; a full
/// disk (ENOSPC, EDQUOT) says so and what to do about it.
void writeFully(int fd, const void* data, size_t n, off_t offset,
                const std::filesystem::path& path);

/// Reads up to `n` bytes at `offset`, fewer only at the end of the file;
/// returns the bytes read. Throws IoError naming `path`.
size_t readFully(int fd, void* data, size_t n, off_t offset, const std::filesystem::path& path);

}  // namespace ember::detail
