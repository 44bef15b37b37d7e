#pragma once
// LocalCheckpointRdd: the stand-in lineage of a locally checkpointed RDD.

#include <memory>
#include <string>

#include "common/error.hpp"
#include "rdd/detail/node.hpp"
#include "storage/block_id.hpp"

namespace ember::detail {

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

}  // namespace ember::detail
