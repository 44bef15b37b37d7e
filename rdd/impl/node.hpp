#pragma once
// Bodies of Node<T>'s members that read persisted and checkpointed
// partitions (included by rdd/rdd.hpp, after every type they use is
// complete, so that node.hpp needs none of them).

#include <memory>
#include <mutex>
#include <string>

#include "common/error.hpp"
#include "rdd/detail/cached_values.hpp"
#include "rdd/detail/caching_sink.hpp"
#include "rdd/detail/checkpointing.hpp"
#include "rdd/detail/node.hpp"
#include "rdd/detail/offset_sink.hpp"
#include "storage/block_manager.hpp"

namespace ember::detail {

template <class T>
Node<T>::~Node() {
  if (this->storageLevel().isValid()) {
    rt_->persistentRdds.remove(this->id());
    rt_->removeRddBlocks(this->id(), false);
  }
}

template <class T>
void Node<T>::iterator(int p, TaskContext& tc, Sink<T>& out) {
  if (readPersisted_ && this->storageLevel().isValid()) return readPersisted_(*this, p, tc, out);
  computeOrReadCheckpoint(p, tc, out);
}

/// Node<T>::iterator of a persisted RDD, which persist() installs.
template <class T>
struct Persisting {
  static void read(Node<T>& node, int p, TaskContext& tc, Sink<T>& out) {
    const BlockId id{node.id(), p};
    // Records a block that turned out damaged passed on before its bad
    // frame: the recomputation, deterministic as lineage is, skips as many.
    int64_t passedOn = 0;
    for (;;) {
      OffsetSink<T> rest(out, passedOn);
      std::string damage;
      {
        BlockManager::Lookup lookup = node.rt_->blocks.getOrLock(id);
        if (!lookup.found) {
          if (!lookup.toWrite) return node.computeOrReadCheckpoint(p, tc, rest);
          CachingSink<T> sink(node.rt_->blocks, id, node.storageLevel(), rest);
          node.computeOrReadCheckpoint(p, tc, sink);
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
      node.rt_->blocks.removeBlock(id);
      node.rt_->log("warning: cached block " + id.name() + " is damaged (" + damage +
                    "): removed, and partition " + std::to_string(p) +
                    " recomputed from its lineage");
    }
  }
};

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
  WriteCheckpoint write = nullptr;
  {
    std::lock_guard lock(checkpointMutex_);
    if (checkpointState_ == CheckpointState::kNone) return false;
    if (checkpointState_ != CheckpointState::kReliable &&
        checkpointState_ != CheckpointState::kLocal) {
      return true;  // written, or being written by the job that called us
    }
    reliable = checkpointState_ == CheckpointState::kReliable;
    checkpointState_ = CheckpointState::kWriting;
    write = writeCheckpoint_;
  }
  try {
    write(*this, self, callSite);
  } catch (...) {
    std::lock_guard lock(checkpointMutex_);
    checkpointState_ = reliable ? CheckpointState::kReliable : CheckpointState::kLocal;
    throw;
  }
  return true;
}

}  // namespace ember::detail
