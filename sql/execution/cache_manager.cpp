#include "sql/execution/cache_manager.hpp"

#include <algorithm>

#include "sql/execution/plan_executor.hpp"

namespace ember::sql {

Rdd<Batch> CachedData::batches(const Execution& ex) const {
  std::lock_guard lock(mutex);
  if (!rdd) rdd = toRdd(*optimized, ex).persist(level);
  return *rdd;
}

void CacheManager::cache(const PlanPtr& analyzed, PlanPtr optimized, StorageLevel level) {
  std::lock_guard lock(mutex_);
  for (const auto& e : entries_)
    if (e->analyzed == analyzed) return;
  auto entry = std::make_shared<CachedData>();
  entry->analyzed = analyzed;
  entry->optimized = std::move(optimized);
  entry->level = level;
  entries_.push_back(std::move(entry));
}

void CacheManager::uncache(const PlanPtr& analyzed, bool blocking) {
  std::shared_ptr<CachedData> gone;
  {
    std::lock_guard lock(mutex_);
    auto it = std::find_if(entries_.begin(), entries_.end(),
                           [&](const auto& e) { return e->analyzed == analyzed; });
    if (it == entries_.end()) return;
    gone = *it;
    entries_.erase(it);
  }
  std::lock_guard lock(gone->mutex);
  if (gone->rdd) gone->rdd->unpersist(blocking);
}

std::shared_ptr<const CachedData> CacheManager::find(const PlanPtr& analyzed) const {
  std::lock_guard lock(mutex_);
  for (const auto& e : entries_)
    if (e->analyzed == analyzed) return e;
  return nullptr;
}

std::optional<StorageLevel> CacheManager::levelOf(const PlanPtr& analyzed) const {
  auto e = find(analyzed);
  if (!e) return std::nullopt;
  return e->level;
}

PlanPtr CacheManager::useCachedData(const PlanPtr& plan) const {
  if (auto e = find(plan)) {
    auto relation = std::make_shared<LogicalPlan>();
    relation->kind = PlanKind::kCached;
    relation->schema = plan->schema;
    relation->storageLevel = e->level;
    relation->cached = std::move(e);
    relation->id = plan->id;  // still the persisted DataFrame's plan
    return relation;
  }
  if (plan->children.empty()) return plan;
  auto copy = std::make_shared<LogicalPlan>(*plan);
  bool changed = false;
  for (PlanPtr& c : copy->children) {
    PlanPtr next = useCachedData(c);
    changed = changed || next != c;
    c = std::move(next);
  }
  return changed ? copy : plan;
}

}  // namespace ember::sql
