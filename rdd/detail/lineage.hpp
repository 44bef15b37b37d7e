#pragma once

#include <string>

#include "scheduler/rdd_node.hpp"
#include "storage/block_manager.hpp"

namespace ember::detail {

/// toDebugString's text: the RDD and its ancestors, one per line, indented
/// at each shuffle boundary, with partition counts and storage levels; with
/// `blocks`, a persisted RDD that has cached partitions gets Spark's line
/// "CachedPartitions: N; MemorySize: ...; DiskSize: ..." below its own.
std::string lineageString(const RddNode& rdd, const BlockManager* blocks = nullptr);

}  // namespace ember::detail
