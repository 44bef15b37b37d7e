#pragma once
// Node<T>: an RDD of T that can compute its partitions, batch by batch.

#include <memory>
#include <mutex>
#include <source_location>
#include <string>
#include <vector>

#include "rdd/detail/aggregator.hpp"
#include "rdd/detail/runtime.hpp"
#include "rdd/detail/sink.hpp"
#include "rdd/partitioner.hpp"
#include "scheduler/rdd_node.hpp"
#include "scheduler/task_context.hpp"

namespace ember::detail {

/// Collects records into batches of the configured size and pushes each
/// full batch downstream; flush() pushes the rest.
template <class U>
class Emitter {
 public:
  Emitter(Sink<U>& out, size_t batchSize) : out_(out), batchSize_(recordsPerPush<U>(batchSize)) {
    buf_.reserve(batchSize_);
  }
  Emitter(const Emitter&) = delete;
  Emitter& operator=(const Emitter&) = delete;

  template <class... Args>
  void emit(Args&&... args) {
    buf_.emplace_back(std::forward<Args>(args)...);
    if (buf_.size() >= batchSize_) flush();
  }

  /// Emits make()'s result, constructed in place in the batch when U is a
  /// type for which that is safe (see kLazyConstructible).
  template <class Make>
  void emitResult(Make&& make) {
    if constexpr (kLazyConstructible<U>) {
      emit(lazyValue<U>(std::forward<Make>(make)));
    } else {
      emit(make());
    }
  }

  void flush() {
    if (buf_.empty()) return;
    // Between batches, so that a killed attempt stops soon after its kill.
    if (const TaskContext* tc = TaskContext::get()) tc->killTaskIfInterrupted();
    out_.push(buf_);
    buf_.clear();
  }

 private:
  Sink<U>& out_;
  size_t batchSize_;
  std::vector<U> buf_;
};

/// "map at wordcount.cpp:12", from the operation and the caller's location.
inline std::string callSite(const char* operation, const std::source_location& loc) {
  std::string file = loc.file_name();
  if (auto slash = file.find_last_of('/'); slash != std::string::npos) file.erase(0, slash + 1);
  return std::string(operation) + " at " + file + ":" + std::to_string(loc.line());
}

/// An RDD of T: lineage (from RddNode) plus the code computing a partition.
template <class T>
class Node : public RddNode {
 public:
  Node(std::shared_ptr<Runtime> rt, std::string name, std::string callSite, int numPartitions,
       std::vector<Dependency> deps)
      : RddNode(rt->nextRddId++, std::move(name), std::move(callSite), numPartitions,
                std::move(deps)),
        rt_(std::move(rt)) {}

  /// Removes the RDD's cached blocks.
  ~Node() override;

  /// Pushes partition `p`'s records to `out` in batches.
  /// Thread safety: different partitions may be computed concurrently.
  virtual void compute(int p, TaskContext& tc, Sink<T>& out) = 0;

  /// Partition `p` as a task reads it (Spark's RDD.iterator): from the block
  /// manager when the RDD is persisted (computed and stored there on a
  /// miss, once even when several tasks ask at once), from the checkpoint
  /// once there is one, else compute(). Children and actions call this,
  /// never compute(). Defined in rdd/impl/node.hpp.
  void iterator(int p, TaskContext& tc, Sink<T>& out);

  /// How iterator() reads a persisted partition: installed by persist()
  /// (see rdd/impl/persistence.hpp) with the level, so that the caching code
  /// is compiled only for the RDD types a program persists, not for every T
  /// of every pipeline.
  using ReadPersisted = void (*)(Node&, int, TaskContext&, Sink<T>&);
  void setStorageLevel(StorageLevel level, ReadPersisted read = nullptr) {
    this->storageLevel_ = level;
    if (read) readPersisted_ = read;
  }
  bool doCheckpoint(const std::shared_ptr<RddNode>& self, const std::string& callSite) override;

  const std::shared_ptr<Runtime>& runtime() const { return rt_; }
  /// How a shuffle placed the keys of this RDD, when one did and no
  /// transformation since could have moved them; else null.
  const PartitionerPtr& partitioner() const { return partitioner_; }

 protected:
  void setPartitioner(PartitionerPtr partitioner) { partitioner_ = std::move(partitioner); }

 private:
  template <class>
  friend struct Checkpointing;
  template <class>
  friend struct Persisting;
  void computeOrReadCheckpoint(int p, TaskContext& tc, Sink<T>& out);

  enum class CheckpointState { kNone, kReliable, kLocal, kWriting, kDone };

  std::shared_ptr<Runtime> rt_;
  PartitionerPtr partitioner_;
  ReadPersisted readPersisted_ = nullptr;
  // Checkpointing, guarded by checkpointMutex_: marked by checkpoint() or
  // localCheckpoint(), written after the next job, then read from
  // checkpointRdd_.
  // Installed by Checkpointing<T>::mark, for the same reason as
  // readPersisted_.
  mutable std::mutex checkpointMutex_;
  using WriteCheckpoint = void (*)(Node&, const std::shared_ptr<RddNode>&, const std::string&);
  WriteCheckpoint writeCheckpoint_ = nullptr;
  CheckpointState checkpointState_ = CheckpointState::kNone;
  bool reliableCheckpoint_ = false;
  std::shared_ptr<Node<T>> checkpointRdd_;
  std::string checkpointFile_;
};

template <class T>
using NodePtr = std::shared_ptr<Node<T>>;

/// A one-to-one dependency on `parent`.
inline std::vector<Dependency> oneToOne(std::shared_ptr<RddNode> parent) {
  return {Dependency{DependencyKind::kOneToOne, std::move(parent), nullptr}};
}

}  // namespace ember::detail
