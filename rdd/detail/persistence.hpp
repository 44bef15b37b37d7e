#pragma once
// Persisted and checkpointed partitions: how a task reads a partition of an
// RDD that has a storage level or a checkpoint (Node<T>::iterator), and how
// checkpoints are written.

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
#include <numeric>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/error.hpp"
#include "rdd/detail/node.hpp"
#include "storage/block_frame.hpp"
#include "storage/block_manager.hpp"
#include "storage/checkpoint_file.hpp"
#include "storage/serializer.hpp"
#include "storage/size_estimator.hpp"

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

/// Drops the first `skip` records, passes the rest on and counts them.
template <class T>
class OffsetSink final : public Sink<T> {
 public:
  OffsetSink(Sink<T>& out, int64_t skip) : out_(out), skip_(skip) {}

  void push(std::vector<T>& batch) override {
    if (skip_ >= static_cast<int64_t>(batch.size())) {
      skip_ -= static_cast<int64_t>(batch.size());
      return;
    }
    if (skip_ > 0) {
      batch.erase(batch.begin(), batch.begin() + skip_);
      skip_ = 0;
    }
    passed_ += static_cast<int64_t>(batch.size());
    out_.push(batch);
  }

  /// Records passed on so far.
  int64_t passed() const { return passed_; }

 private:
  Sink<T>& out_;
  int64_t skip_;
  int64_t passed_ = 0;
};

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

/// Spark's ReliableCheckpointRDD: the partitions of a checkpointed RDD read
/// back from its files, `<checkpoint dir>/rdd-<id>/part-NNNNN`.
template <class T>
class ReliableCheckpointRdd final : public Node<T> {
 public:
  ReliableCheckpointRdd(std::shared_ptr<Runtime> rt, std::string callSite, int numPartitions,
                        std::filesystem::path dir)
      : Node<T>(std::move(rt), "ReliableCheckpointRDD", std::move(callSite), numPartitions, {}),
        dir_(std::move(dir)) {}

  static std::filesystem::path partFile(const std::filesystem::path& dir, int p) {
    char name[32];
    std::snprintf(name, sizeof name, "part-%05d", p);
    return dir / name;
  }

  void compute(int p, TaskContext& tc, Sink<T>& out) override {
    CheckpointFileReader reader(partFile(dir_, p));
    const std::string name = "checkpoint of RDD " + std::to_string(this->id());
    std::string payload;
    std::vector<T> batch;
    while (reader.next(payload)) {
      tc.metrics().inputBytes += static_cast<int64_t>(payload.size());
      auto counting = makeSink<T>([&](std::vector<T>& b) {
        tc.metrics().inputRecords += static_cast<int64_t>(b.size());
        out.push(b);
      });
      pushPayload(payload, name, batch, counting);
    }
  }

 private:
  std::filesystem::path dir_;
};

/// Spark's LocalCheckpointRDD: stands in for the lineage of a locally
/// checkpointed RDD, whose blocks the block manager keeps. Computing it
/// means a block was lost.
template <class T>
class LocalCheckpointRdd final : public Node<T> {
 public:
  LocalCheckpointRdd(std::shared_ptr<Runtime> rt, std::string callSite, int numPartitions,
                     int rddId)
      : Node<T>(std::move(rt), "LocalCheckpointRDD", std::move(callSite), numPartitions, {}),
        rddId_(rddId) {}

  void compute(int p, TaskContext&, Sink<T>&) override {
    throw Error("Checkpoint block " + BlockId{rddId_, p}.name() +
                " not found! Either the executor that originally checkpointed this partition is "
                "no longer alive, or the original RDD is unpersisted. If this problem persists, "
                "you may consider using rdd.checkpoint() instead, which is slower than local "
                "checkpointing but more fault-tolerant.");
  }

 private:
  int rddId_;
};

/// What Rdd's persist, checkpoint and their queries do to a node.
template <class T>
struct Checkpointing {
  using State = typename Node<T>::CheckpointState;

  /// Marks the node for checkpointing after the next job; false when it is
  /// marked or checkpointed already.
  static bool mark(Node<T>& node, bool reliable) {
    std::lock_guard lock(node.checkpointMutex_);
    if (node.checkpointState_ != State::kNone) return false;
    node.checkpointState_ = reliable ? State::kReliable : State::kLocal;
    node.reliableCheckpoint_ = reliable;
    return true;
  }

  static bool isCheckpointed(const Node<T>& node) {
    std::lock_guard lock(node.checkpointMutex_);
    return node.checkpointState_ == State::kDone;
  }

  static bool isLocal(const Node<T>& node) {
    std::lock_guard lock(node.checkpointMutex_);
    return node.checkpointState_ != State::kNone && !node.reliableCheckpoint_;
  }

  static std::optional<std::string> file(const Node<T>& node) {
    std::lock_guard lock(node.checkpointMutex_);
    if (node.checkpointState_ != State::kDone || !node.reliableCheckpoint_) return std::nullopt;
    return node.checkpointFile_;
  }

  /// Runs task(p, TaskContext&) on `partitions` of `self`, a job.
  template <class MakeTask>
  static void runOver(Node<T>& node, const std::shared_ptr<RddNode>& self,
                      const std::vector<int>& partitions, const std::string& callSite,
                      MakeTask makeTask) {
    node.runtime()->runJob(
        self, partitions, [&](int p, TaskContext& tc) { makeTask(p, tc); }, callSite);
  }

  static void writeReliable(Node<T>& node, const std::shared_ptr<RddNode>& self,
                            const std::string& callSite) {
    if constexpr (kSerializable<T>) {
      auto dir = node.runtime()->checkpointDir.get();
      if (!dir) throw Error("checkpoint(): the checkpoint directory has not been set");
      const std::filesystem::path rddDir = *dir / ("rdd-" + std::to_string(node.id()));
      const Codec codec = node.runtime()->blocks.codec();
      std::vector<int> all(static_cast<size_t>(node.numPartitions()));
      std::iota(all.begin(), all.end(), 0);
      runOver(node, self, all, "checkpoint " + node.callSite(), [&](int p, TaskContext& tc) {
        CheckpointFileWriter writer(ReliableCheckpointRdd<T>::partFile(rddDir, p));
        std::string payload;
        ByteWriter bytes(payload);
        auto sink = makeSink<T>([&](std::vector<T>& batch) {
          serializeBatch(bytes, batch.data(), batch.size());
          if (payload.size() >= kBlockFrameBytes) {
            writer.append(payload, codec);
            payload.clear();
          }
        });
        node.iterator(p, tc, sink);
        if (!payload.empty()) writer.append(payload, codec);
        writer.commit();
      });
      auto rdd = std::make_shared<ReliableCheckpointRdd<T>>(node.runtime(), callSite,
                                                            node.numPartitions(), rddDir);
      static_cast<Node<T>&>(*rdd).setPartitioner(node.partitioner());
      truncate(node, std::move(rdd), rddDir.string());
    } else {
      throw Error("checkpoint(): the records of " + node.callSite() +
                  " cannot be serialized; give their type a serialize() (see "
                  "storage/serializer.hpp) or use localCheckpoint()");
    }
  }

  static void writeLocal(Node<T>& node, const std::shared_ptr<RddNode>& self,
                         const std::string& callSite) {
    // Partitions the job did not compute (take(n) reads a few) are
    // computed now, so that every one is in the block manager.
    std::vector<int> missing;
    for (int p = 0; p < node.numPartitions(); ++p) {
      if (!node.runtime()->blocks.contains({node.id(), p})) missing.push_back(p);
    }
    if (!missing.empty()) {
      runOver(node, self, missing, "localCheckpoint " + node.callSite(),
              [&](int p, TaskContext& tc) {
                auto discard = makeSink<T>([](std::vector<T>&) {});
                node.iterator(p, tc, discard);
              });
    }
    truncate(node,
             std::make_shared<LocalCheckpointRdd<T>>(node.runtime(), callSite, node.numPartitions(),
                                                     node.id()),
             "");
  }

  static void truncate(Node<T>& node, std::shared_ptr<Node<T>> rdd, std::string file) {
    {
      std::lock_guard lock(node.checkpointMutex_);
      node.checkpointRdd_ = rdd;
      node.checkpointFile_ = std::move(file);
      node.checkpointState_ = State::kDone;
    }
    node.truncateLineage(oneToOne(std::move(rdd)));
  }
};

template <class T>
Node<T>::~Node() {
  if (this->storageLevel().isValid()) {
    rt_->persistentRdds.remove(this->id());
    rt_->removeRddBlocks(this->id(), false);
  }
}

template <class T>
void Node<T>::iterator(int p, TaskContext& tc, Sink<T>& out) {
  const StorageLevel level = this->storageLevel();
  if (!level.isValid()) return computeOrReadCheckpoint(p, tc, out);
  const BlockId id{this->id(), p};
  // Records a block that turned out damaged passed on before its bad frame:
  // the recomputation, deterministic as lineage is, skips as many.
  int64_t passedOn = 0;
  for (;;) {
    OffsetSink<T> rest(out, passedOn);
    std::string damage;
    {
      BlockManager::Lookup lookup = rt_->blocks.getOrLock(id);
      if (!lookup.found) {
        if (!lookup.toWrite) return computeOrReadCheckpoint(p, tc, rest);
        CachingSink<T> sink(rt_->blocks, id, level, rest);
        computeOrReadCheckpoint(p, tc, sink);
        sink.finish(*lookup.toWrite);
        return;
      }
      try {
        return readBlock(*lookup.found, id.name(), rest);
      } catch (const CorruptBlockError& e) {
        passedOn += rest.passed();
        damage = e.what();
      }
    }  // unpinned: it can go
    rt_->blocks.removeBlock(id);
    rt_->log("warning: cached block " + id.name() + " is damaged (" + damage +
             "): removed, and partition " + std::to_string(p) + " recomputed from its lineage");
  }
}

template <class T>
void Node<T>::computeOrReadCheckpoint(int p, TaskContext& tc, Sink<T>& out) {
  std::shared_ptr<Node<T>> checkpoint;
  {
    std::lock_guard lock(checkpointMutex_);
    checkpoint = checkpointRdd_;
  }
  if (checkpoint) return checkpoint->iterator(p, tc, out);
  compute(p, tc, out);
}

template <class T>
bool Node<T>::doCheckpoint(const std::shared_ptr<RddNode>& self, const std::string& callSite) {
  bool reliable = false;
  {
    std::lock_guard lock(checkpointMutex_);
    if (checkpointState_ == CheckpointState::kNone) return false;
    if (checkpointState_ != CheckpointState::kReliable &&
        checkpointState_ != CheckpointState::kLocal) {
      return true;  // written, or being written by the job that called us
    }
    reliable = checkpointState_ == CheckpointState::kReliable;
    checkpointState_ = CheckpointState::kWriting;
  }
  try {
    if (reliable) {
      Checkpointing<T>::writeReliable(*this, self, callSite);
    } else {
      Checkpointing<T>::writeLocal(*this, self, callSite);
    }
  } catch (...) {
    std::lock_guard lock(checkpointMutex_);
    checkpointState_ = reliable ? CheckpointState::kReliable : CheckpointState::kLocal;
    throw;
  }
  return true;
}

/// After a job on `root`: writes the checkpoints marked in its lineage.
inline void checkpointLineage(const std::shared_ptr<RddNode>& root, const std::string& callSite) {
  std::vector<std::shared_ptr<RddNode>> stack{root};
  std::set<int> seen;
  while (!stack.empty()) {
    std::shared_ptr<RddNode> rdd = std::move(stack.back());
    stack.pop_back();
    if (!seen.insert(rdd->id()).second) continue;
    if (rdd->doCheckpoint(rdd, callSite)) continue;
    for (const Dependency& dep : rdd->dependencies()) stack.push_back(dep.rdd);
  }
}

}  // namespace ember::detail
