#pragma once
// CachedValues: a cached partition held as objects, and how a stored block
// (objects, lz4 frames in memory, or frames on disk) is read back as batches.

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"
#include "rdd/detail/sink.hpp"
#include "storage/block_frame.hpp"
#include "storage/block_manager.hpp"
#include "storage/serializer.hpp"

namespace ember::detail {

/// Serialized records are cut into frames of about this many bytes, as
/// spill files are.
inline constexpr size_t kBlockFrameBytes = size_t{256} << 10;

/// A cached partition held as objects: its batches as they were computed.
template <class T>
class CachedValues final : public BlockValues {
 public:
  explicit CachedValues(std::vector<std::vector<T>> batches) : batches_(std::move(batches)) {}

  void serialize(const std::function<void(std::string_view)>& emit) const override {
    if constexpr (kSerializable<T>) {
      std::string payload;
      ByteWriter writer(payload);
      for (const std::vector<T>& batch : batches_) {
        serializeBatch(writer, batch.data(), batch.size());
        if (payload.size() >= kBlockFrameBytes) {
          emit(payload);
          payload.clear();
        }
      }
      if (!payload.empty()) emit(payload);
    } else {
      throw Error("a cached block of a type ember cannot serialize cannot move to disk");
    }
  }

  int64_t records() const override {
    int64_t n = 0;
    for (const auto& batch : batches_) n += static_cast<int64_t>(batch.size());
    return n;
  }

  const std::vector<std::vector<T>>& batches() const { return batches_; }

 private:
  std::vector<std::vector<T>> batches_;
};

/// Pushes the batches of one frame's payload (serializeBatch blocks).
template <class T>
void pushPayload(const std::string& payload, const std::string& name, std::vector<T>& batch,
                 Sink<T>& out) {
  if constexpr (kSerializable<T>) {
    ByteReader reader(payload, name);
    while (!reader.atEnd()) {
      deserializeBatch(reader, batch);
      if (!batch.empty()) out.push(batch);
      batch.clear();
    }
  } else {
    throw Error(name + ": a serialized block of a type ember cannot serialize");
  }
}

/// Pushes a stored block's records to `out`, copied (sinks may move
/// records out of a batch) or decoded.
template <class T>
void readBlock(const BlockManager::ReadHandle& block, const std::string& name, Sink<T>& out) {
  std::vector<T> batch;
  std::string payload;
  if (const MemoryEntry* memory = block.memory()) {
    if (memory->values) {
      for (const auto& stored : static_cast<const CachedValues<T>&>(*memory->values).batches()) {
        batch.assign(stored.begin(), stored.end());
        out.push(batch);
        batch.clear();
      }
      return;
    }
    for (const std::string& frame : *memory->frames) {
      decodeFrame(frame, payload, name);
      pushPayload(payload, name, batch, out);
    }
    return;
  }
  const DiskEntry& disk = *block.disk();
  for (const FrameLocation& where : disk.frames) {
    disk.file->read(where, payload, name);
    pushPayload(payload, name, batch, out);
  }
}

}  // namespace ember::detail
