#pragma once
// AccumulatorRegistry: the driver's accumulators, found by id when tasks end.

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "scheduler/accumulator_updates.hpp"

namespace ember {

/// The accumulators of a Context, as Spark's AccumulatorContext: each has a
/// Cell holding its value on the driver, and the scheduler merges every
/// successful task's AccumulatorUpdates into the cells here. Cells are held
/// weakly: an accumulator nobody holds any more is forgotten, and an update
/// for it is ignored.
///
/// Ids are unique in the process, not only in the Context, so that an
/// update can never reach another Context's accumulator.
///
/// Thread safety: every method may be called concurrently.
class AccumulatorRegistry {
 public:
  /// One accumulator's value on the driver.
  class Cell {
   public:
    Cell(int64_t id, std::string name, AccumulatorUpdates::Partial zero)
        : id_(id), name_(std::move(name)), zero_(zero), total_(zero) {}

    int64_t id() const { return id_; }
    const std::string& name() const { return name_; }
    void merge(const AccumulatorUpdates::Partial& partial) {
      const std::lock_guard lock(mutex_);
      total_.merge(partial);
    }
    AccumulatorUpdates::Partial total() const {
      const std::lock_guard lock(mutex_);
      return total_;
    }
    void reset() {
      const std::lock_guard lock(mutex_);
      total_ = zero_;
    }

   private:
    const int64_t id_;
    const std::string name_;
    const AccumulatorUpdates::Partial zero_;
    mutable std::mutex mutex_;  // the driver adds while tasks' updates merge
    AccumulatorUpdates::Partial total_;
  };

  /// A new accumulator starting at `zero` (which fixes its number type).
  std::shared_ptr<Cell> create(std::string name, AccumulatorUpdates::Partial zero);

  /// Applies the updates of one successful task attempt. Call it once per
  /// task: that is what makes an accumulator count each record once.
  void merge(const AccumulatorUpdates& updates);

 private:
  std::mutex mutex_;
  std::map<int64_t, std::weak_ptr<Cell>> cells_;
};

}  // namespace ember
