#pragma once
// CacheManager: the persisted DataFrames of a session, and the plans that
// read them (Spark's CacheManager and InMemoryRelation).

#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "rdd/rdd.hpp"
#include "sql/execution/execution_settings.hpp"
#include "sql/plan/logical_plan.hpp"
#include "storage/storage_level.hpp"

namespace ember::sql {

/// One persisted DataFrame: the plan it was persisted with, and the RDD of
/// its batches, made and persisted the first time a job reads it.
struct CachedData {
  PlanPtr analyzed;   ///< what plans are matched against
  PlanPtr optimized;  ///< what computes the rows
  StorageLevel level;
  mutable std::mutex mutex;
  mutable std::optional<Rdd<Batch>> rdd;

  /// The persisted batches (made on the first call).
  Rdd<Batch> batches(const Execution& ex) const;
};

/// Thread safety: every method may be called from any thread.
class CacheManager {
 public:
  /// Marks `analyzed` (an analyzed plan) persisted at `level`; `optimized`
  /// computes its rows. A plan persisted already keeps its level.
  void cache(const PlanPtr& analyzed, PlanPtr optimized, StorageLevel level);
  /// Drops `analyzed`'s cache, freeing its blocks everywhere.
  void uncache(const PlanPtr& analyzed, bool blocking);
  std::optional<StorageLevel> levelOf(const PlanPtr& analyzed) const;
  /// `plan` with each persisted subtree replaced by an InMemoryRelation
  /// (PlanKind::kCached) that reads it.
  PlanPtr useCachedData(const PlanPtr& plan) const;

 private:
  std::shared_ptr<const CachedData> find(const PlanPtr& analyzed) const;

  mutable std::mutex mutex_;
  std::vector<std::shared_ptr<CachedData>> entries_;
};

}  // namespace ember::sql
