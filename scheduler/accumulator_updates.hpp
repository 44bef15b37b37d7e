#pragma once
// AccumulatorUpdates: what one task added to each accumulator.

#include <cstdint>
#include <map>
#include <type_traits>
#include <utility>
#include <variant>

namespace ember {

/// The accumulator adds of one task attempt, by accumulator id. A task adds
/// here instead of to the accumulator, so that adds need no lock and a failed
/// attempt's adds can be dropped; the scheduler merges a successful attempt's
/// updates on the driver once (AccumulatorRegistry::merge).
///
/// Plain values only (no pointers, no types of the accumulators): an
/// executor in another process ships byId() with ember::serialize and the
/// driver rebuilds it with the constructor.
///
/// Thread safety: none; it belongs to the task's thread, as its TaskContext.
class AccumulatorUpdates {
 public:
  /// An accumulator's partial value: Spark's LongAccumulator and
  /// DoubleAccumulator keep a sum and the number of adds (for avg()).
  struct Partial {
    std::variant<int64_t, double> sum;
    int64_t count = 0;

    /// Adds `other`, which must hold the same alternative (the same
    /// accumulator); integers wrap around as Java's longs do.
    void merge(const Partial& other) {
      std::visit([&other](auto& s) { s = plus(s, std::get<std::decay_t<decltype(s)>>(other.sum)); },
                 sum);
      count += other.count;
    }

   private:
    static int64_t plus(int64_t a, int64_t b) {
      return static_cast<int64_t>(static_cast<uint64_t>(a) + static_cast<uint64_t>(b));
    }
    static double plus(double a, double b) { return a + b; }
  };
  static_assert(std::is_trivially_copyable_v<Partial>, "shipped byte for byte");

  using Map = std::map<int64_t, Partial>;

  AccumulatorUpdates() = default;
  explicit AccumulatorUpdates(Map byId) : byId_(std::move(byId)) {}

  /// One add of `value` (int64_t or double) to accumulator `id`.
  template <class N>
  void add(int64_t id, N value) {
    static_assert(std::is_same_v<N, int64_t> || std::is_same_v<N, double>);
    auto it = byId_.try_emplace(id, Partial{N{}, 0}).first;
    it->second.merge(Partial{value, 1});
  }

  const Map& byId() const { return byId_; }
  bool empty() const { return byId_.empty(); }

 private:
  Map byId_;
};

}  // namespace ember
