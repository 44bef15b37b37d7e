#pragma once
// MapPartitionsRdd: one narrow transformation of a fused stage.

#include "rdd/detail/node.hpp"

namespace ember::detail {

/// Applies a per-partition operation to the batches of its parent, in the
/// same task. `MakeOp(int partition)` returns a fresh operation for each
/// task (a copy of the user's function, as Spark deserializes a closure per
/// task), called as `op(std::vector<T>& batch, Emitter<U>& out)` per batch
/// and, when it has one, `op.finish(out)` after the last. An operation
/// that keeps every key where it is (mapValues, filter) keeps the parent's
/// partitioner.
template <class T, class U, class MakeOp>
class MapPartitionsRdd final : public Node<U> {
 public:
  MapPartitionsRdd(NodePtr<T> parent, std::string callSite, MakeOp makeOp,
                   bool preservesPartitioning)
      : Node<U>(parent->runtime(), "MapPartitionsRDD", std::move(callSite), parent->numPartitions(),
                oneToOne(parent)),
        parent_(std::move(parent)),
        makeOp_(std::move(makeOp)) {
    if (preservesPartitioning) this->setPartitioner(parent_->partitioner());
  }

  void compute(int p, TaskContext& tc, Sink<U>& out) override {
    Emitter<U> emitter(out, this->runtime()->batchSize);
    auto op = makeOp_(p);
    auto sink = makeSink<T>([&](std::vector<T>& batch) { op(batch, emitter); });
    parent_->iterator(p, tc, sink);
    if constexpr (requires { op.finish(emitter); }) op.finish(emitter);
    emitter.flush();
  }

 private:
  NodePtr<T> parent_;
  MakeOp makeOp_;
};

template <class U, class T, class MakeOp>
NodePtr<U> mapPartitionsNode(NodePtr<T> parent, std::string callSite, MakeOp makeOp,
                             bool preservesPartitioning = false) {
  return std::make_shared<MapPartitionsRdd<T, U, MakeOp>>(std::move(parent), std::move(callSite),
                                                          std::move(makeOp), preservesPartitioning);
}

}  // namespace ember::detail
