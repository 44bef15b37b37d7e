#pragma once
// PersistentRdds: the persisted RDDs of a context, for its storage status.

#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "scheduler/rdd_node.hpp"

namespace ember::detail {

/// The RDDs that have a storage level, held weakly (as Spark's
/// persistentRdds): an RDD the program no longer holds is not kept alive
/// by being cached; its node removes its blocks when destroyed.
///
/// Thread safety: every method may be called concurrently.
class PersistentRdds {
 public:
  void add(const std::shared_ptr<RddNode>& rdd) {
    std::lock_guard lock(mutex_);
    rdds_[rdd->id()] = rdd;
  }

  void remove(int id) {
    std::lock_guard lock(mutex_);
    rdds_.erase(id);
  }

  /// The live ones, by id.
  std::vector<std::shared_ptr<RddNode>> list() const {
    std::lock_guard lock(mutex_);
    std::vector<std::shared_ptr<RddNode>> live;
    for (const auto& [id, weak] : rdds_) {
      if (auto rdd = weak.lock()) live.push_back(std::move(rdd));
    }
    return live;
  }

 private:
  mutable std::mutex mutex_;
  std::map<int, std::weak_ptr<RddNode>> rdds_;
};

}  // namespace ember::detail
