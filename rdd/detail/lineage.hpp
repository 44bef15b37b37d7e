#pragma once

#include <functional>
#include <string>

#include "scheduler/rdd_node.hpp"
#include "storage/rdd_block_status.hpp"

namespace ember::detail {

/// toDebugString's text: the RDD and its ancestors, one per line, indented
/// at each shuffle boundary, with partition counts and storage levels; with
/// `statusOf`, a persisted RDD that has cached partitions gets Spark's line
/// "CachedPartitions: N; MemorySize: ...; DiskSize: ..." below its own.
using RddStatusOf = std::function<RddBlockStatus(int rddId)>;
std::string lineageString(const RddNode& rdd, const RddStatusOf& statusOf = {});

}  // namespace ember::detail
