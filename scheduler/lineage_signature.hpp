#pragma once
// The lineage of a job as the processes of a cluster compare it.

#include <memory>
#include <string>
#include <vector>

#include "scheduler/rdd_node.hpp"

namespace ember {

/// One line per RDD in the lineage of `rdd`, in id order: its id, class,
/// call site, partition count and parents. Every process of a job builds
/// the RDD graph itself (SPMD), so these lines must be equal everywhere.
std::vector<std::string> lineageSignature(const std::shared_ptr<RddNode>& rdd);

/// Empty when `mine` equals the driver's signature; otherwise the error a
/// process of rank `rank` stops with, naming the first RDD that differs.
std::string lineageMismatch(const std::vector<std::string>& driver,
                            const std::vector<std::string>& mine, int rank,
                            const std::string& driverCallSite, const std::string& myCallSite);

}  // namespace ember
