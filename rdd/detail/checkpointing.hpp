#pragma once
// Checkpointing: marking an RDD for checkpointing, writing its checkpoint
// after the next job (reliable: to files; local: to the block manager), and
// cutting its lineage there.

#include <filesystem>
#include <memory>
#include <mutex>
#include <numeric>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "rdd/detail/cached_values.hpp"
#include "rdd/detail/local_checkpoint_rdd.hpp"
#include "rdd/detail/node.hpp"
#include "rdd/detail/reliable_checkpoint_rdd.hpp"
#include "storage/checkpoint_file.hpp"
#include "storage/serializer.hpp"

namespace ember::detail {

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
    node.writeCheckpoint_ = reliable ? &writeReliable : &writeLocal;
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
