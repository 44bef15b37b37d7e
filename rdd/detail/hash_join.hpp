#pragma once
// HashJoin: the reduce side of join and the outer joins.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include <boost/unordered/unordered_flat_map.hpp>

#include "rdd/detail/aggregator.hpp"
#include "rdd/detail/external_aggregator.hpp"
#include "rdd/detail/key_hash.hpp"
#include "rdd/detail/node.hpp"
#include "rdd/detail/pair_ops.hpp"
#include "rdd/detail/runtime.hpp"
#include "storage/memory_reservation.hpp"
#include "storage/size_estimator.hpp"

namespace ember::detail {

/// Joins the two sides of a cogroup shuffle, whose records are (key, value
/// of side 0 or side 1), without grouping them: the side with fewer shuffle
/// bytes in this partition is loaded into a hash table of key -> chain of
/// values, and the other side streams past it, each record emitting its
/// matches at once. Grouping both sides into vectors per key, as cogroup
/// does, allocates per key and holds the large side whole.
///
/// When the smaller side does not fit in the task's execution memory, the
/// partition falls back to cogroup's grouping, which spills. Nothing has
/// been emitted by then: the build reads one side and emits nothing.
template <class K, class V, class W, bool kLeftOuter, bool kRightOuter>
class HashJoin {
 public:
  using Tagged = std::variant<V, W>;
  using Left = std::conditional_t<kRightOuter, std::optional<V>, V>;
  using Right = std::conditional_t<kLeftOuter, std::optional<W>, W>;
  using Joined = std::pair<Left, Right>;
  using Out = std::pair<K, Joined>;
  /// The same join over groups, where sides were cogrouped without a shuffle.
  using GroupedJoin = JoinOp<kLeftOuter, kRightOuter>;
  /// Tells ShuffledRdd to hand the whole reduce side to reduce().
  using ReducesItself = void;

  /// Map tasks [0, leftMaps) of the shuffle read the left RDD, the rest
  /// the right one (the union's order).
  explicit HashJoin(int leftMaps) : leftMaps_(leftMaps) {}

  /// Reader: bytes(keepMap) is the shuffle bytes of this partition from the
  /// kept maps; read(keepMap, f) calls f on each of their records.
  template <class Reader>
  void reduce(Reader& reader, const Runtime& rt, TaskMetrics& metrics, Emitter<Out>& out) const {
    const auto left = [this](int map) { return map < leftMaps_; };
    const auto right = [this](int map) { return map >= leftMaps_; };
    const bool built = reader.bytes(right) <= reader.bytes(left)
                           ? buildAndProbe<1>(reader, right, left, rt, out)
                           : buildAndProbe<0>(reader, left, right, rt, out);
    if (!built) groupAndJoin(reader, rt, metrics, out);
  }

 private:
  static constexpr uint32_t kEnd = std::numeric_limits<uint32_t>::max();
  /// Records between two checks of the build table's memory.
  static constexpr size_t kCheckEvery = 1024;

  struct Head {
    uint32_t first = kEnd;
    bool matched = false;
  };

  template <size_t Side>
  static constexpr bool kOuter = Side == 0 ? kLeftOuter : kRightOuter;

  /// The joined value of a build-side value b and a probe-side value q.
  template <size_t Build, class B, class Q>
  static Joined joined(B&& b, Q&& q) {
    if constexpr (Build == 0) {
      return Joined(Left(std::forward<B>(b)), Right(std::forward<Q>(q)));
    } else {
      return Joined(Left(std::forward<Q>(q)), Right(std::forward<B>(b)));
    }
  }

  /// The joined value of a value of side `Side` that has no match.
  template <size_t Side, class X>
  static Joined alone(X&& x) {
    if constexpr (Side == 0) {
      return Joined(Left(std::forward<X>(x)), std::nullopt);
    } else {
      return Joined(std::nullopt, Right(std::forward<X>(x)));
    }
  }

  template <size_t Build, class Reader, class KeepBuild, class KeepProbe>
  bool buildAndProbe(Reader& reader, KeepBuild buildMaps, KeepProbe probeMaps, const Runtime& rt,
                     Emitter<Out>& out) const {
    constexpr size_t kProbe = 1 - Build;
    using BuildValue = std::variant_alternative_t<Build, Tagged>;
    boost::unordered_flat_map<K, Head, KeyHash<K>, KeyEqual<K>> heads;
    std::vector<std::pair<BuildValue, uint32_t>> chain;  // (value, next in its key's chain)
    MemoryReservation reservation(*rt.memory);
    int64_t heap = 0;
    bool fits = true;
    reader.read(buildMaps, [&](auto&& kv) {
      if (!fits) return;
      auto&& record = std::forward<decltype(kv)>(kv);
      auto [it, inserted] = heads.try_emplace(std::forward<decltype(record)>(record).first);
      if (inserted) heap += heapSize(it->first);
      auto&& value = std::get<Build>(std::forward<decltype(record)>(record).second);
      heap += heapSize(value);
      chain.emplace_back(std::forward<decltype(value)>(value), it->second.first);
      it->second.first = static_cast<uint32_t>(chain.size() - 1);
      if (chain.size() % kCheckEvery != 0) return;
      const int64_t bytes =
          tableBytes(heads, heap) + static_cast<int64_t>(chain.capacity() * sizeof(chain[0]));
      fits = chain.size() < kEnd && (bytes <= reservation.held() || reservation.ensure(bytes));
    });
    if (!fits) return false;
    reader.read(probeMaps, [&](auto&& kv) {
      auto&& record = std::forward<decltype(kv)>(kv);
      auto&& value = std::get<kProbe>(std::forward<decltype(record)>(record).second);
      const auto it = heads.find(record.first);
      if (it == heads.end()) {
        if constexpr (kOuter<kProbe>) {
          out.emit(std::forward<decltype(record)>(record).first,
                   alone<kProbe>(std::forward<decltype(value)>(value)));
        }
        return;
      }
      it->second.matched = true;
      for (uint32_t i = it->second.first; i != kEnd; i = chain[i].second)
        out.emit(record.first, joined<Build>(chain[i].first, value));
    });
    if constexpr (kOuter<Build>) {
      for (auto& [key, head] : heads) {
        if (head.matched) continue;
        for (uint32_t i = head.first; i != kEnd; i = chain[i].second)
          out.emit(key, alone<Build>(std::move(chain[i].first)));
      }
    }
    return true;
  }

  /// cogroup's way: groups of both sides per key in a table that spills.
  template <class Reader>
  void groupAndJoin(Reader& reader, const Runtime& rt, TaskMetrics& metrics,
                    Emitter<Out>& out) const {
    using Groups = std::pair<std::vector<V>, std::vector<W>>;
    const auto merge = [](Groups& into, Groups&& more) { appendGroups(into, std::move(more)); };
    ExternalAggregator<K, Groups, decltype(merge)> table(merge, rt, metrics);
    reader.read([](int) { return true; },
                [&](auto&& kv) {
                  auto&& record = std::forward<decltype(kv)>(kv);
                  const int64_t growth = estimateSize(record.second);
                  auto add = [&](Groups& groups) {
                    addTagged(groups, Tagged(std::forward<decltype(record)>(record).second));
                  };
                  table.insert(
                      std::forward<decltype(record)>(record).first,
                      [&] {
                        Groups groups;
                        add(groups);
                        return groups;
                      },
                      add, growth);
                });
    std::vector<std::pair<K, Groups>> batch(1);
    table.drain([&](K&& key, Groups&& groups) {
      batch[0] = {std::move(key), std::move(groups)};
      JoinOp<kLeftOuter, kRightOuter>{}(batch, out);
    });
  }

  int leftMaps_;
};

}  // namespace ember::detail
