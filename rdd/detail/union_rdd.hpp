#pragma once
// UnionRdd: the partitions of several RDDs, one after the other.

#include "rdd/detail/node.hpp"

namespace ember::detail {

/// No data moves: partition i of the union is some partition of one parent
/// (a range dependency), computed in the same task.
template <class T>
class UnionRdd final : public Node<T> {
 public:
  UnionRdd(std::string callSite, std::vector<NodePtr<T>> parents)
      : Node<T>(parents.front()->runtime(), "UnionRDD", std::move(callSite),
                totalPartitions(parents), rangeDependencies(parents)),
        parents_(std::move(parents)) {}

  void compute(int p, TaskContext& tc, Sink<T>& out) override {
    for (const auto& parent : parents_) {
      if (p < parent->numPartitions()) return parent->iterator(p, tc, out);
      p -= parent->numPartitions();
    }
  }

  std::vector<int> parentPartitions(size_t dep, int p) const override {
    for (size_t d = 0; d < dep; ++d) p -= parents_[d]->numPartitions();
    if (p < 0 || p >= parents_[dep]->numPartitions()) return {};
    return {p};
  }

 private:
  static int totalPartitions(const std::vector<NodePtr<T>>& parents) {
    int n = 0;
    for (const auto& parent : parents) n += parent->numPartitions();
    return n;
  }

  static std::vector<Dependency> rangeDependencies(const std::vector<NodePtr<T>>& parents) {
    std::vector<Dependency> deps;
    for (const auto& parent : parents) deps.push_back({DependencyKind::kRange, parent, nullptr});
    return deps;
  }

  std::vector<NodePtr<T>> parents_;
};

/// The union of RDDs placed by equal partitioners (Spark's
/// PartitionerAwareUnionRDD): partition p holds partition p of every parent,
/// computed in the same task, so keys stay where the partitioner put them
/// and the result keeps that partitioner. Lets cogroup (and so join) read
/// co-partitioned sides without a shuffle.
template <class T>
class PartitionerAwareUnionRdd final : public Node<T> {
 public:
  PartitionerAwareUnionRdd(std::string callSite, std::vector<NodePtr<T>> parents,
                           PartitionerPtr partitioner)
      : Node<T>(parents.front()->runtime(), "PartitionerAwareUnionRDD", std::move(callSite),
                parents.front()->numPartitions(), oneToOneDependencies(parents)),
        parents_(std::move(parents)) {
    this->setPartitioner(std::move(partitioner));
  }

  void compute(int p, TaskContext& tc, Sink<T>& out) override {
    for (const auto& parent : parents_) parent->iterator(p, tc, out);
  }

 private:
  static std::vector<Dependency> oneToOneDependencies(const std::vector<NodePtr<T>>& parents) {
    std::vector<Dependency> deps;
    for (const auto& parent : parents) deps.push_back({DependencyKind::kOneToOne, parent, nullptr});
    return deps;
  }

  std::vector<NodePtr<T>> parents_;
};

}  // namespace ember::detail
