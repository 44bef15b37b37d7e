#include "scheduler/accumulator_registry.hpp"

#include <map>

namespace ember {

std::shared_ptr<AccumulatorRegistry::Cell> AccumulatorRegistry::create(
    std::string name, AccumulatorUpdates::Partial zero) {
  const std::lock_guard lock(mutex_);
  auto cell = std::make_shared<Cell>(nextId_++, std::move(name), zero);
  // Forgetting dead cells here keeps the map as small as the live accumulators.
  std::erase_if(cells_, [](const auto& entry) { return entry.second.expired(); });
  cells_.emplace(cell->id(), cell);
  return cell;
}

std::shared_ptr<AccumulatorRegistry::Cell> AccumulatorRegistry::find(int64_t id) const {
  const std::lock_guard lock(mutex_);
  const auto it = cells_.find(id);
  return it == cells_.end() ? nullptr : it->second.lock();
}

void AccumulatorRegistry::merge(const AccumulatorUpdates& updates) {
  for (const auto& [id, partial] : updates.byId())
    if (auto cell = find(id)) cell->merge(partial);
}

AccumulatorUpdates::Map AccumulatorRegistry::totals() const {
  AccumulatorUpdates::Map out;
  const std::lock_guard lock(mutex_);
  for (const auto& [id, weak] : cells_)
    if (auto cell = weak.lock()) out.emplace(id, cell->total());
  return out;
}

void AccumulatorRegistry::setTotals(const AccumulatorUpdates::Map& totals) {
  for (const auto& [id, total] : totals)
    if (auto cell = find(id)) cell->set(total);
}

}  // namespace ember
