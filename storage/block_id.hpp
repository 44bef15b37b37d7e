#pragma once
// BlockId: the name of one partition of a persisted RDD in the block manager.

#include <compare>
#include <string>

namespace ember {

/// Partition `partition` of RDD `rddId`; Spark names it "rdd_<id>_<partition>".
struct BlockId {
  int rddId = 0;
  int partition = 0;

  std::string name() const {
    return "rdd_" + std::to_string(rddId) + "_" + std::to_string(partition);
  }
  friend auto operator<=>(const BlockId&, const BlockId&) = default;
};

}  // namespace ember
