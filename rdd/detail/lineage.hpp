#pragma once

#include <string>

#include "scheduler/rdd_node.hpp"

namespace ember::detail {

/// toDebugString's text: the RDD and its ancestors, one per line, indented
/// at each shuffle boundary, with partition counts and storage levels.
std::string lineageString(const RddNode& rdd);

}  // namespace ember::detail
