#pragma once
// CachingSink: keeps a copy of a partition for the block manager while
// passing its batches on, the way a persisted RDD is computed once.

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rdd/detail/cached_values.hpp"
#include "rdd/detail/sink.hpp"
#include "storage/block_frame.hpp"
#include "storage/block_manager.hpp"
#include "storage/serializer.hpp"
#include "storage/size_estimator.hpp"
#include "storage/storage_level.hpp"

namespace ember::detail {

/// Passes a partition's batches on while keeping a copy for the block
/// manager: as objects (paid for batch by batch with storage memory, by
/// estimateSize), as lz4 frames in memory (paid for by their exact size), or
/// as frames in a file. When memory runs out a level with disk goes on on
/// disk, MEMORY_ONLY gives up keeping the block; the batches flow on either
/// way, so the partition is computed once.
template <class T>
class CachingSink final : public Sink<T> {
 public:
  CachingSink(BlockManager& blocks, BlockId id, StorageLevel level, Sink<T>& out)
      : blocks_(blocks),
        id_(id),
        level_(level),
        out_(out),
        mode_(!level.useMemory     ? Mode::kDisk
              : level.deserialized ? Mode::kObjects
                                   : Mode::kFrames),
        writer_(payload_) {}
  ~CachingSink() { blocks_.releaseUnroll(reserved_); }
  CachingSink(const CachingSink&) = delete;
  CachingSink& operator=(const CachingSink&) = delete;

  void push(std::vector<T>& batch) override {
    keep(batch);
    out_.push(batch);
  }

  /// After the last batch: stores the block with `lock`, unless it was
  /// given up.
  void finish(BlockManager::WriteHandle& lock) {
    if (mode_ == Mode::kFrames) sealFrame();
    switch (mode_) {
      case Mode::kObjects:
        lock.putValues(level_, std::make_shared<const CachedValues<T>>(std::move(batches_)),
                       std::exchange(reserved_, 0));
        break;
      case Mode::kFrames:
        lock.putFrames(level_, std::move(frames_), std::exchange(reserved_, 0));
        break;
      case Mode::kDisk:
        flushToDisk();
        if (!file_) file_ = blocks_.newDiskFile(id_);
        lock.putDisk(level_, std::move(file_), std::move(locations_));
        break;
      case Mode::kNone:
        break;
    }
  }

 private:
  enum class Mode { kObjects, kFrames, kDisk, kNone };

  void keep(const std::vector<T>& batch) {
    switch (mode_) {
      case Mode::kObjects: {
        const int64_t bytes = estimateBatchSize(batch) + static_cast<int64_t>(sizeof(batch));
        if (blocks_.reserveUnroll(bytes, id_.rddId)) {
          reserved_ += bytes;
          batches_.emplace_back(batch.begin(), batch.end());
          return;
        }
        giveUpMemory();
        if (mode_ == Mode::kDisk) keep(batch);
        return;
      }
      case Mode::kFrames:
        serializeRecords(batch);
        if (payload_.size() >= kBlockFrameBytes) sealFrame();
        return;
      case Mode::kDisk:
        serializeRecords(batch);
        if (payload_.size() >= kBlockFrameBytes) flushToDisk();
        return;
      case Mode::kNone:
        return;
    }
  }

  void serializeRecords(const std::vector<T>& batch) {
    if constexpr (kSerializable<T>) serializeBatch(writer_, batch.data(), batch.size());
  }

  /// Memory is full: a level with disk moves what it kept there and goes
  /// on on disk; MEMORY_ONLY stops keeping the block.
  void giveUpMemory() {
    if (level_.useDisk) {
      file_ = blocks_.newDiskFile(id_);
      for (const std::string& frame : frames_) locations_.push_back(file_->appendFrame(frame));
      if (!batches_.empty()) {
        CachedValues<T>(std::move(batches_)).serialize([this](std::string_view payload) {
          locations_.push_back(file_->append(payload, blocks_.codec()));
        });
      }
      mode_ = Mode::kDisk;
    } else {
      mode_ = Mode::kNone;
      payload_.clear();
    }
    batches_.clear();
    frames_.clear();
    blocks_.releaseUnroll(std::exchange(reserved_, 0));
  }

  void sealFrame() {
    if (payload_.empty()) return;
    std::string frame;
    encodeFrame(payload_, blocks_.codec(), frame);
    const auto bytes = static_cast<int64_t>(frame.size());
    if (blocks_.reserveUnroll(bytes, id_.rddId)) {
      reserved_ += bytes;
      frames_.push_back(std::move(frame));
      payload_.clear();
      return;
    }
    payload_.clear();
    giveUpMemory();
    if (mode_ == Mode::kDisk) locations_.push_back(file_->appendFrame(frame));
  }

  void flushToDisk() {
    if (payload_.empty()) return;
    if (!file_) file_ = blocks_.newDiskFile(id_);
    locations_.push_back(file_->append(payload_, blocks_.codec()));
    payload_.clear();
  }

  BlockManager& blocks_;
  BlockId id_;
  StorageLevel level_;
  Sink<T>& out_;
  Mode mode_;
  int64_t reserved_ = 0;
  std::vector<std::vector<T>> batches_;
  std::string payload_;
  ByteWriter writer_;
  std::vector<std::string> frames_;
  std::shared_ptr<SpillFile> file_;
  std::vector<FrameLocation> locations_;
};

}  // namespace ember::detail
