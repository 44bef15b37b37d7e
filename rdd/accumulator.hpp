#pragma once
// Accumulator: a sum that tasks add to and the driver reads, as Spark's
// LongAccumulator and DoubleAccumulator.

#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>

#include "common/error.hpp"
#include "scheduler/accumulator_registry.hpp"
#include "scheduler/task_context.hpp"

namespace ember {

/// A sum of int64_t (LongAccumulator) or double (DoubleAccumulator) values
/// that functions running in tasks add to, and that the driver reads after
/// the action:
///
///     auto blank = ctx.longAccumulator("blank lines");
///     auto words = lines.flatMap([blank](const std::string& line) {
///       if (line.empty()) blank.add(1);
///       return ember::splitWords(line);
///     });
///     words.count();
///     std::cout << blank.value() << "\n";
///
/// A task's adds count only if the task succeeds, and then once, however
/// many attempts it took. As in Spark, adds made in a transformation count
/// again each time the transformation runs: an RDD that two actions compute
/// adds twice, unless it is persisted (then it is computed once). Adds in
/// actions (foreach) count once per record.
///
/// Copies are handles to the same accumulator: capture it by value.
///
/// On several processes the driver sends its totals with each action's
/// result, so value() read in main() agrees in every process (a loop that
/// stops on an accumulator stops everywhere at once).
///
/// Thread safety: add() may be called from any thread; value() and the other
/// readers belong to main() (they throw Error inside a task, where the
/// driver's total is not known yet).
template <class N>
class Accumulator {
  static_assert(std::is_same_v<N, int64_t> || std::is_same_v<N, double>,
                "an accumulator sums int64_t or double");

 public:
  /// Made by Context::longAccumulator or Context::doubleAccumulator.
  explicit Accumulator(std::shared_ptr<AccumulatorRegistry::Cell> cell) : cell_(std::move(cell)) {}

  /// Adds `v`: inside a task to that task's updates, on the driver at once.
  void add(N v) const {
    if (TaskContext* tc = TaskContext::get()) {
      tc->accumulatorUpdates().add(cell_->id(), v);
    } else {
      cell_->merge({v, 1});
    }
  }

  /// The sum of every counted add.
  N value() const { return sum(); }
  N sum() const { return std::get<N>(driverTotal().sum); }
  /// How many adds were counted.
  int64_t count() const { return driverTotal().count; }
  /// sum / count; NaN when nothing was added, as in Spark.
  double avg() const {
    const auto total = driverTotal();
    return static_cast<double>(std::get<N>(total.sum)) / static_cast<double>(total.count);
  }
  bool isZero() const {
    const auto total = driverTotal();
    return std::get<N>(total.sum) == N{0} && total.count == 0;
  }
  /// Back to zero, for every handle.
  void reset() const { cell_->reset(); }

  /// Unique in the process; the key of task updates.
  int64_t id() const { return cell_->id(); }
  const std::string& name() const { return cell_->name(); }

 private:
  AccumulatorUpdates::Partial driverTotal() const {
    if (const TaskContext* tc = TaskContext::get()) {
      throw Error("accumulator '" + name() + "' (id " + std::to_string(id()) +
                  ") was read inside a task (stage " + std::to_string(tc->stageId()) +
                  ", partition " + std::to_string(tc->partitionId()) +
                  "): its value is known on the driver only, after the action");
    }
    return cell_->total();
  }

  std::shared_ptr<AccumulatorRegistry::Cell> cell_;
};

using LongAccumulator = Accumulator<int64_t>;
using DoubleAccumulator = Accumulator<double>;

}  // namespace ember
