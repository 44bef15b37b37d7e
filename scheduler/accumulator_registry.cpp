#include "scheduler/accumulator_registry.hpp"

#include <atomic>
#include <map>

namespace ember {

namespace {
std::atomic<int64_t> nextAccumulatorId{0};
}  // namespace

std::shared_ptr<AccumulatorRegistry::Cell> AccumulatorRegistry::create(
    std::string name, AccumulatorUpdates::Partial zero) {
  auto cell = std::make_shared<Cell>(nextAccumulatorId++, std::move(name), zero);
  const std::lock_guard lock(mutex_);
  // Forgetting dead cells here keeps the map as small as the live accumulators.
  std::erase_if(cells_, [](const auto& entry) { return entry.second.expired(); });
  cells_.emplace(cell->id(), cell);
  return cell;
}

void AccumulatorRegistry::merge(const AccumulatorUpdates& updates) {
  for (const auto& [id, partial] : updates.byId()) {
    std::shared_ptr<Cell> cell;
    {
      const std::lock_guard lock(mutex_);
      const auto it = cells_.find(id);
      if (it != cells_.end()) cell = it->second.lock();
    }
    if (cell) cell->merge(partial);
  }
}

}  // namespace ember
