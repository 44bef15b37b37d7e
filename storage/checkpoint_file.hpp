#pragma once
// Checkpoint files: the partitions of a checkpointed RDD, kept after the job.

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "storage/block_frame.hpp"

namespace ember {

/// Writes one partition of a checkpointed RDD as block frames (checked,
/// optionally lz4) into a hidden temporary file beside `path`, renamed to
/// `path` by commit(): a checkpoint file is either complete or absent.
///
/// Thread safety: one thread per writer.
class CheckpointFileWriter {
 public:
  /// Throws IoError naming the directory when the file cannot be created.
  explicit CheckpointFileWriter(std::filesystem::path path);
  /// Removes the temporary file unless committed.
  ~CheckpointFileWriter();
  CheckpointFileWriter(const CheckpointFileWriter&) = delete;
  CheckpointFileWriter& operator=(const CheckpointFileWriter&) = delete;

  /// Encodes `payload` as one frame and appends it. Throws IoError.
  void append(std::string_view payload, Codec codec);
  /// Makes the file visible under its name. Throws IoError.
  void commit();
  int64_t bytesWritten() const { return size_; }

 private:
  std::filesystem::path path_;
  std::filesystem::path temporary_;
  int fd_ = -1;
  int64_t size_ = 0;
};

/// Reads the frames of a checkpoint file front to back.
///
/// Thread safety: one thread per reader.
class CheckpointFileReader {
 public:
  /// Throws IoError naming the file when it cannot be opened (the
  /// checkpoint directory was removed, say).
  explicit CheckpointFileReader(std::filesystem::path path);
  ~CheckpointFileReader();
  CheckpointFileReader(const CheckpointFileReader&) = delete;
  CheckpointFileReader& operator=(const CheckpointFileReader&) = delete;

  /// Replaces `payload` with the next frame's bytes; false at the end of
  /// the file. Throws CorruptBlockError naming the file and offset when a
  /// frame fails its checks.
  bool next(std::string& payload);

 private:
  std::filesystem::path path_;
  int fd_ = -1;
  int64_t offset_ = 0;
  std::string frame_;
};

}  // namespace ember
