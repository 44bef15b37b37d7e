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
/// Ids count from 0 in each Context, in creation order: the processes of a
/// cluster create the same accumulators in the same order (they run the same
/// main()), so an id names the same accumulator in every process. After each
/// job the driver sends its totals, so that value() agrees everywhere.
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
    void reset() { set(zero_); }
    void set(const AccumulatorUpdates::Partial& total) {
      const std::lock_guard lock(mutex_);
      total_ = total;
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

  /// The value of every live accumulator, by id (the driver's, after a job).
  AccumulatorUpdates::Map totals() const;
  /// Makes these the values of the accumulators (an executor, given the
  /// driver's totals).
  void setTotals(const AccumulatorUpdates::Map& totals);

 private:
  std::shared_ptr<Cell> find(int64_t id) const;

  mutable std::mutex mutex_;
  int64_t nextId_ = 0;
  std::map<int64_t, std::weak_ptr<Cell>> cells_;
};

}  // namespace ember
