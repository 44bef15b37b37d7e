#pragma once
// SpillFile: a file of block frames that one task writes and many read.

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "storage/block_frame.hpp"

namespace ember {

/// Where a frame is in its file.
struct FrameLocation {
  int64_t offset;
  int64_t size;
};

/// A file of frames, written by one task, read by many threads; removed when
/// destroyed.
///
/// Thread safety: one thread appends at a time; read(), bytesWritten() and
/// path() may be called from any number of threads at once, also while an
/// append runs (a frame can be read once its append has returned).
class SpillFile {
 public:
  /// Creates a new file named `<prefix>-<unique>.data` in `dir` (creating dir
  /// if needed). Throws IoError naming the directory and the system error.
  SpillFile(const std::filesystem::path& dir, std::string_view prefix);
  /// Closes and removes the file.
  ~SpillFile();
  SpillFile(const SpillFile&) = delete;
  SpillFile& operator=(const SpillFile&) = delete;

  const std::filesystem::path& path() const { return path_; }

  /// Encodes `payload` as one frame and appends it. Throws IoError on a write
  /// error (saying so when the disk is full); the file then holds the frames
  /// appended before, and the next append overwrites the partial one.
  FrameLocation append(std::string_view payload, Codec codec);

  /// Appends `frame`, a whole frame encodeFrame made (a serialized block
  /// moving from memory to disk), as it is. Throws IoError as append().
  FrameLocation appendFrame(std::string_view frame);

  /// Reads and decodes the frame at `loc` into `payload`. Throws
  /// CorruptBlockError naming `blockName`, this file and the offset when the
  /// frame fails its checks (or is cut short); IoError when reading fails.
  void read(FrameLocation loc, std::string& payload, std::string_view blockName) const;

  /// Appends the frame at `loc` to `out` as it is on disk, to be sent to
  /// another process that checks and decodes it. Throws IoError when
  /// reading fails or the file is shorter than `loc` says.
  void appendRawFrame(FrameLocation loc, std::string& out) const;
  /// Bytes on disk so far.
  int64_t bytesWritten() const { return size_.load(std::memory_order_acquire); }

 private:
  std::filesystem::path path_;
  int fd_;
  std::atomic<int64_t> size_{0};
};

}  // namespace ember
