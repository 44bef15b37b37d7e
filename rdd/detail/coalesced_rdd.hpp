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
    for (int pp : parentPartitions(0, p)) parent_->iterator(pp, tc, out);
  }

  std::vector<int> parentPartitions(size_t /*dep*/, int p) const override {
    const int64_t m = parent_->numPartitions();
    std::vector<int> parents;
    for (int64_t pp = sliceStart(m, p, this->numPartitions());
         pp < sliceStart(m, p + 1, this->numPartitions()); ++pp)
      parents.push_back(static_cast<int>(pp));
    return parents;
  }

 private:
  NodePtr<T> parent_;
};

}  // namespace ember::detail
