#pragma once
// Records written to and read back from spill files, a frame per batch.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "storage/block_frame.hpp"
#include "storage/scratch_dir.hpp"
#include "storage/serializer.hpp"
#include "storage/spill_file.hpp"

namespace ember {

/// Where spilled data goes and how it is compressed (ember.local.dir,
/// ember.shuffle.compress).
struct SpillTarget {
  ScratchDir* dir;
  Codec codec;

  std::shared_ptr<SpillFile> newFile(std::string_view prefix) const {
    return std::make_shared<SpillFile>(dir->path(), prefix);
  }
};

/// One frame of records in a spill file.
struct Segment {
  std::shared_ptr<const SpillFile> file;
  FrameLocation where;
};

/// Serializes records into frames of about kFrameBytes each (large enough
/// for lz4 to compress well, small enough that a merge of many runs holds
/// one frame of each in memory) and appends them to a spill file.
template <class Record>
class FrameWriter {
 public:
  static constexpr size_t kFrameBytes = size_t{256} << 10;

  FrameWriter(std::shared_ptr<SpillFile> file, Codec codec)
      : file_(std::move(file)), codec_(codec), writer_(buffer_) {}
  FrameWriter(const FrameWriter&) = delete;
  FrameWriter& operator=(const FrameWriter&) = delete;

  void add(const Record& record) {
    serialize(writer_, record);
    if (buffer_.size() >= kFrameBytes) flush();
  }

  /// Adds the pair record (first, second) from its parts, as a hash
  /// table's entries (whose keys are const) hold them, without copying
  /// them: a pair of parts that are not trivially copyable serializes as
  /// its first then its second; other pairs are cheap to build.
  template <class A, class B>
  void add(const A& first, const B& second) {
    if constexpr (std::is_trivially_copyable_v<A> && std::is_trivially_copyable_v<B>) {
      serialize(writer_, Record(first, second));
    } else {
      serialize(writer_, first);
      serialize(writer_, second);
    }
    if (buffer_.size() >= kFrameBytes) flush();
  }

  /// Ends the current frame; the segments written so far are in `out`.
  void finish(std::vector<Segment>& out) {
    flush();
    out.insert(out.end(), segments_.begin(), segments_.end());
    segments_.clear();
  }

  int64_t diskBytes() const { return file_->bytesWritten(); }

 private:
  void flush() {
    if (buffer_.empty()) return;
    segments_.push_back({file_, file_->append(buffer_, codec_)});
    buffer_.clear();
  }

  std::shared_ptr<SpillFile> file_;
  Codec codec_;
  std::string buffer_;
  ByteWriter writer_;
  std::vector<Segment> segments_;
};

/// Replaces `out` with the records of one frame. Throws CorruptBlockError
/// naming `blockName` when the frame fails its checks.
template <class Record>
void readFrame(const Segment& segment, std::vector<Record>& out, std::string& scratch,
               std::string_view blockName) {
  segment.file->read(segment.where, scratch, blockName);
  out.clear();
  ByteReader reader(scratch, blockName);
  while (!reader.atEnd()) deserialize(reader, out.emplace_back());
}

}  // namespace ember
