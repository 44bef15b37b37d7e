#pragma once
// CoalescedRdd: fewer partitions, each a run of consecutive parent partitions.

#include "rdd/detail/node.hpp"
#include "rdd/detail/parallel_collection_rdd.hpp"

namespace ember::detail {

/// coalesce(n) without a shuffle: partition i computes parent partitions
/// [i*m/n, (i+1)*m/n) in one task, so no data crosses partitions through a
/// shuffle; a narrow many-to-one dependency.
template <class T>
class CoalescedRdd final : public Node<T> {
 public:
  CoalescedRdd(std::string callSite, NodePtr<T> parent, int numPartitions)
      : Node<T>(parent->runtime(), "CoalescedRDD", std::move(callSite), numPartitions,
                {Dependency{DependencyKind::kNarrow, parent, nullptr}}),
        parent_(std::move(parent)) {}

  void compute(int p, TaskContext& tc, Sink<T>& out) override {
    const int64_t m = parent_->numPartitions();
    const int64_t first = sliceStart(m, p, this->numPartitions());
    const int64_t last = sliceStart(m, p + 1, this->numPartitions());
    for (int64_t pp = first; pp < last; ++pp) parent_->iterator(static_cast<int>(pp), tc, out);
  }

 private:
  NodePtr<T> parent_;
};

}  // namespace ember::detail
