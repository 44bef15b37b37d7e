#pragma once
// ZippedPartitionsRdd and CartesianRdd: RDDs built from pairs of partitions.

#include <string>
#include <utility>
#include <vector>

#include "rdd/detail/node.hpp"

namespace ember::detail {

/// Every record of partition p of `rdd`, gathered in memory.
template <class T>
std::vector<T> gatherPartition(Node<T>& rdd, int p, TaskContext& tc) {
  std::vector<T> all;
  auto sink = makeSink<T>([&](std::vector<T>& batch) {
    all.insert(all.end(), std::make_move_iterator(batch.begin()),
               std::make_move_iterator(batch.end()));
  });
  rdd.iterator(p, tc, sink);
  return all;
}

/// Partition p from partition p of both parents: `op(p, Node<A>&, Node<B>&,
/// TaskContext&, Emitter<U>&)` combines them (zip, zipPartitions).
template <class A, class B, class U, class Op>
class ZippedPartitionsRdd final : public Node<U> {
 public:
  ZippedPartitionsRdd(std::string callSite, NodePtr<A> a, NodePtr<B> b, Op op)
      : Node<U>(a->runtime(), "ZippedPartitionsRDD2", std::move(callSite), a->numPartitions(),
                {Dependency{DependencyKind::kOneToOne, a, nullptr},
                 Dependency{DependencyKind::kOneToOne, b, nullptr}}),
        a_(std::move(a)),
        b_(std::move(b)),
        op_(std::move(op)) {}

  void compute(int p, TaskContext& tc, Sink<U>& out) override {
    Emitter<U> emitter(out, this->runtime()->batchSize);
    op_(p, *a_, *b_, tc, emitter);
    emitter.flush();
  }

 private:
  NodePtr<A> a_;
  NodePtr<B> b_;
  Op op_;
};

/// Partition i * n + j pairs every record of partition i of `a` with every
/// record of partition j of `b` (n partitions); j is held in memory.
template <class A, class B>
class CartesianRdd final : public Node<std::pair<A, B>> {
 public:
  using Out = std::pair<A, B>;

  CartesianRdd(std::string callSite, NodePtr<A> a, NodePtr<B> b)
      : Node<Out>(a->runtime(), "CartesianRDD", std::move(callSite),
                  a->numPartitions() * b->numPartitions(),
                  {Dependency{DependencyKind::kNarrow, a, nullptr},
                   Dependency{DependencyKind::kNarrow, b, nullptr}}),
        a_(std::move(a)),
        b_(std::move(b)) {}

  void compute(int p, TaskContext& tc, Sink<Out>& out) override {
    const int n = b_->numPartitions();
    const std::vector<B> right = gatherPartition(*b_, p % n, tc);
    Emitter<Out> emitter(out, this->runtime()->batchSize);
    auto sink = makeSink<A>([&](std::vector<A>& batch) {
      for (const A& x : batch) {
        for (const B& y : right) emitter.emit(x, y);
      }
    });
    a_->iterator(p / n, tc, sink);
    emitter.flush();
  }

  std::vector<int> parentPartitions(size_t dep, int p) const override {
    const int n = b_->numPartitions();
    return {dep == 0 ? p / n : p % n};
  }

 private:
  NodePtr<A> a_;
  NodePtr<B> b_;
};

}  // namespace ember::detail
