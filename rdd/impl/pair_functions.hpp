#pragma once
// Bodies of Rdd's operations on pairs (included by rdd/rdd.hpp).

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <random>
#include <variant>

#include "rdd/detail/aggregator.hpp"
#include "rdd/detail/concatenate.hpp"
#include "rdd/detail/hash_join.hpp"
#include "rdd/detail/pair_ops.hpp"
#include "rdd/detail/shuffled_rdd.hpp"
#include "rdd/detail/union_rdd.hpp"

namespace ember {

namespace detail {

template <class T>
constexpr void requirePairs() {
  static_assert(kIsPair<T>, "this operation works on pairs: it needs an Rdd<std::pair<K, V>>");
}

/// Spark's RangePartitioner sketch: a reservoir sample of keys from every
/// partition (one job), each sampled key weighted by how many records it
/// stands for, then bounds at equal steps of cumulative weight.
template <class K, class V, class Compare>
std::vector<K> sampleRangeBounds(const Rdd<std::pair<K, V>>& rdd, int partitions,
                                 const Compare& comp, const std::source_location& loc) {
  if (partitions <= 1 || rdd.getNumPartitions() == 0) return {};
  const double sampleSize = std::min(20.0 * partitions, 1e6);
  const auto perPartition =
      static_cast<size_t>(std::ceil(3.0 * sampleSize / rdd.getNumPartitions()));
  using Sketch = std::pair<int64_t, std::vector<K>>;
  auto sketches = rdd.template runJob<Sketch>(
      [&](int p, TaskContext& tc) {
        Sketch sketch;
        std::mt19937_64 rng(partitionSeed(static_cast<uint64_t>(rdd.id()), p));
        rdd.computePartition(p, tc, [&](std::vector<std::pair<K, V>>& batch) {
          for (auto& kv : batch) {
            const auto seen = static_cast<uint64_t>(sketch.first++);
            if (sketch.second.size() < perPartition) {
              sketch.second.push_back(std::move(kv.first));
            } else if (const uint64_t j = rng() % (seen + 1); j < perPartition) {
              sketch.second[j] = std::move(kv.first);
            }
          }
        });
        return sketch;
      },
      "sortByKey", loc);
  std::vector<std::pair<K, double>> candidates;
  double total = 0;
  for (auto& [count, keys] : sketches) {
    const double weight = keys.empty() ? 0 : static_cast<double>(count) / keys.size();
    for (K& key : keys) candidates.emplace_back(std::move(key), weight);
    total += static_cast<double>(count);
  }
  std::sort(candidates.begin(), candidates.end(),
            [&](const auto& a, const auto& b) { return comp(a.first, b.first); });
  const double step = total / partitions;
  double cumulative = 0;
  double target = step;
  std::vector<K> bounds;
  for (auto& [key, weight] : candidates) {
    if (static_cast<int>(bounds.size()) == partitions - 1) break;
    cumulative += weight;
    if (cumulative < target) continue;
    if (bounds.empty() || comp(bounds.back(), key)) {
      bounds.push_back(key);
      target += step;
    }
  }
  return bounds;
}

/// The partition that holds `key` under `partitioner`, when its type is
/// one ember knows.
template <class K>
std::optional<int> partitionOf(const Partitioner& partitioner, const K& key) {
  if (const auto* hash = dynamic_cast<const HashPartitioner*>(&partitioner))
    return hash->getPartition(key);
  if (const auto* range = dynamic_cast<const RangePartitioner<K>*>(&partitioner))
    return range->getPartition(key);
  return std::nullopt;
}

}  // namespace detail

template <class T>
HashPartitioner Rdd<T>::defaultPartitioner(int numPartitions) const {
  if (numPartitions > 0) return HashPartitioner(numPartitions);
  const int configured = node_->runtime()->configuredParallelism;
  return HashPartitioner(configured > 0 ? configured : std::max(1, getNumPartitions()));
}

template <class T>
template <class C, bool kMapSideCombine, class Agg, class Part, class Ordering>
auto Rdd<T>::shuffle(const char* operation, const Loc& loc, Agg aggregator, Part partitioner,
                     Ordering ordering, const char* name) const {
  detail::requirePairs<T>();
  using K = detail::KeyOf<T>;
  using V = detail::ValueOf<T>;
  using Shuffled = detail::ShuffledRdd<K, V, C, Agg, Part, kMapSideCombine, Ordering>;
  return Rdd<std::pair<K, C>>(std::make_shared<Shuffled>(
      name, detail::callSite(operation, loc), node_, std::move(aggregator),
      std::make_shared<const Part>(std::move(partitioner)), std::move(ordering)));
}

template <class T>
template <class C, bool kMapSideCombine, class Agg>
auto Rdd<T>::combine(const char* operation, const Loc& loc, Agg aggregator,
                     int numPartitions) const {
  detail::requirePairs<T>();
  using K = detail::KeyOf<T>;
  using V = detail::ValueOf<T>;
  using Out = std::pair<K, C>;
  const PartitionerPtr& placed = partitioner();
  if (placed && (numPartitions == 0 || placed->equals(HashPartitioner(numPartitions)))) {
    // Every key is in its partition already: combine where it is.
    return derive<Out>(
        operation, loc,
        [aggregator = std::move(aggregator), rt = node_->runtime()](int) {
          return detail::AggregateOp<K, V, C, Agg>(aggregator, *rt);
        },
        true);
  }
  return shuffle<C, kMapSideCombine>(operation, loc, std::move(aggregator),
                                     defaultPartitioner(numPartitions));
}

template <class T>
template <class F>
auto Rdd<T>::reduceByKey(F f, int numPartitions, Loc loc) const {
  detail::requirePairs<T>();
  using V = detail::ValueOf<T>;
  static_assert(std::is_invocable_r_v<V, const F&, const V&, const V&>,
                "reduceByKey(f): f must be callable as f(const V& a, const V& b) -> V");
  auto merge = [f](V& into, V&& value) { into = f(std::as_const(into), std::as_const(value)); };
  auto aggregator = detail::Aggregator{[](V&& v) { return std::move(v); }, merge, merge};
  return combine<V, true>("reduceByKey", loc, std::move(aggregator), numPartitions);
}

template <class T>
template <class Create, class MergeValue, class MergeCombiners>
auto Rdd<T>::combineByKey(Create createCombiner, MergeValue mergeValue,
                          MergeCombiners mergeCombiners, int numPartitions, Loc loc) const {
  detail::requirePairs<T>();
  using V = detail::ValueOf<T>;
  static_assert(std::invocable<const Create&, const V&>,
                "combineByKey: createCombiner must be callable as f(const V& value) -> C");
  using C = std::decay_t<std::invoke_result_t<const Create&, const V&>>;
  static_assert(std::is_invocable_r_v<C, const MergeValue&, C, const V&>,
                "combineByKey: mergeValue must be callable as f(C combiner, const V& value) -> C");
  static_assert(std::is_invocable_r_v<C, const MergeCombiners&, C, C>,
                "combineByKey: mergeCombiners must be callable as f(C a, C b) -> C");
  auto aggregator = detail::Aggregator{
      [createCombiner](V&& v) { return C(createCombiner(std::as_const(v))); },
      [mergeValue](C& into, V&& v) { into = mergeValue(std::move(into), std::as_const(v)); },
      [mergeCombiners](C& into, C&& more) {
        into = mergeCombiners(std::move(into), std::move(more));
      }};
  return combine<C, true>("combineByKey", loc, std::move(aggregator), numPartitions);
}

template <class T>
template <class U, class SeqOp, class CombOp>
auto Rdd<T>::aggregateByKey(U zero, SeqOp seqOp, CombOp combOp, int numPartitions, Loc loc) const {
  detail::requirePairs<T>();
  using V = detail::ValueOf<T>;
  static_assert(std::is_invocable_r_v<U, const SeqOp&, U, const V&>,
                "aggregateByKey: seqOp must be callable as f(U acc, const V& value) -> U");
  static_assert(std::is_invocable_r_v<U, const CombOp&, U, U>,
                "aggregateByKey: combOp must be callable as f(U a, U b) -> U");
  auto aggregator = detail::Aggregator{
      [zero, seqOp](V&& v) { return U(seqOp(U(zero), std::as_const(v))); },
      [seqOp](U& into, V&& v) { into = seqOp(std::move(into), std::as_const(v)); },
      [combOp](U& into, U&& more) { into = combOp(std::move(into), std::move(more)); }};
  return combine<U, true>("aggregateByKey", loc, std::move(aggregator), numPartitions);
}

template <class T>
template <class F>
auto Rdd<T>::foldByKey(detail::ValueOf<T> zero, F f, int numPartitions, Loc loc) const {
  using V = detail::ValueOf<T>;
  static_assert(std::is_invocable_r_v<V, const F&, V, V>,
                "foldByKey(zero, f): f must be callable as f(V a, V b) -> V");
  auto aggregator =
      detail::Aggregator{[zero, f](V&& v) { return V(f(V(zero), std::move(v))); },
                         [f](V& into, V&& v) { into = f(std::move(into), std::move(v)); },
                         [f](V& into, V&& more) { into = f(std::move(into), std::move(more)); }};
  return combine<V, true>("foldByKey", loc, std::move(aggregator), numPartitions);
}

template <class T>
auto Rdd<T>::groupByKey(int numPartitions, Loc loc) const {
  detail::requirePairs<T>();
  using V = detail::ValueOf<T>;
  using Group = std::vector<V>;
  auto aggregator =
      detail::Aggregator{[](V&& v) {
                           Group group;
                           group.push_back(std::move(v));
                           return group;
                         },
                         [](Group& group, V&& v) { group.push_back(std::move(v)); },
                         [](Group& group, Group&& more) {
                           group.insert(group.end(), std::make_move_iterator(more.begin()),
                                        std::make_move_iterator(more.end()));
                         }};
  // Combining map-side would not shrink the data, only copy it once more.
  return combine<Group, false>("groupByKey", loc, std::move(aggregator), numPartitions);
}

template <class T>
template <class Part>
Rdd<T> Rdd<T>::partitionBy(Part partitioner, Loc loc) const {
  detail::requirePairs<T>();
  if (samePartitioner(this->partitioner(), partitioner)) return *this;
  return shuffle<detail::ValueOf<T>, false>("partitionBy", loc, detail::NoAggregator{},
                                            std::move(partitioner));
}

template <class T>
Rdd<T> Rdd<T>::partitionBy(int numPartitions, Loc loc) const {
  return partitionBy(HashPartitioner(numPartitions), loc);
}

template <class T>
template <class Part, class Compare>
Rdd<T> Rdd<T>::repartitionAndSortWithinPartitions(Part partitioner, Compare comp, Loc loc) const {
  detail::requirePairs<T>();
  return shuffle<detail::ValueOf<T>, false>("repartitionAndSortWithinPartitions", loc,
                                            detail::NoAggregator{}, std::move(partitioner),
                                            detail::KeyOrdering<Compare>{comp, true});
}

template <class T>
template <class Compare>
Rdd<T> Rdd<T>::sortByKey(bool ascending, int numPartitions, Compare comp, Loc loc) const {
  detail::requirePairs<T>();
  using K = detail::KeyOf<T>;
  RangePartitioner<K, Compare> partitioner(numPartitions > 0 ? numPartitions : getNumPartitions(),
                                           *this, ascending, comp, loc);
  return shuffle<detail::ValueOf<T>, false>("sortByKey", loc, detail::NoAggregator{},
                                            std::move(partitioner),
                                            detail::KeyOrdering<Compare>{comp, ascending});
}

template <class T>
template <class F>
auto Rdd<T>::mapValues(F f, Loc loc) const {
  detail::requirePairs<T>();
  using K = detail::KeyOf<T>;
  using V = detail::ValueOf<T>;
  static_assert(std::invocable<F&, const V&>,
                "mapValues(f): f must be callable as f(const V& value) -> W");
  using Out = std::pair<K, std::decay_t<std::invoke_result_t<F&, const V&>>>;
  return derive<Out>(
      "mapValues", loc,
      [f = std::move(f)](int) {
        return [f](std::vector<T>& in, detail::Emitter<Out>& out) mutable {
          for (T& kv : in) out.emit(std::move(kv.first), f(std::as_const(kv.second)));
        };
      },
      true);
}

template <class T>
template <class F>
auto Rdd<T>::flatMapValues(F f, Loc loc) const {
  detail::requirePairs<T>();
  using K = detail::KeyOf<T>;
  using V = detail::ValueOf<T>;
  static_assert(std::invocable<F&, const V&>,
                "flatMapValues(f): f must be callable as f(const V& value) -> a range of W");
  using Out = std::pair<K, detail::RangeValue<std::invoke_result_t<F&, const V&>>>;
  return derive<Out>(
      "flatMapValues", loc,
      [f = std::move(f)](int) {
        return [f](std::vector<T>& in, detail::Emitter<Out>& out) mutable {
          for (T& kv : in) {
            for (auto&& w : f(std::as_const(kv.second))) out.emit(kv.first, w);
          }
        };
      },
      true);
}

template <class T>
auto Rdd<T>::keys(Loc loc) const {
  detail::requirePairs<T>();
  using K = detail::KeyOf<T>;
  return derive<K>("keys", loc, [](int) {
    return [](std::vector<T>& in, detail::Emitter<K>& out) {
      for (T& kv : in) out.emit(std::move(kv.first));
    };
  });
}

template <class T>
auto Rdd<T>::values(Loc loc) const {
  detail::requirePairs<T>();
  using V = detail::ValueOf<T>;
  return derive<V>("values", loc, [](int) {
    return [](std::vector<T>& in, detail::Emitter<V>& out) {
      for (T& kv : in) out.emit(std::move(kv.second));
    };
  });
}

template <class T>
template <class Groups, class Join, class... Sides>
auto Rdd<T>::cogroupAll(const char* operation, const Loc& loc, int numPartitions,
                        const Sides&... sides) const {
  detail::requirePairs<T>();
  using K = detail::KeyOf<T>;
  using Tagged = std::variant<typename Sides::value_type::second_type...>;
  using Pair = std::pair<K, Tagged>;
  int widest = 0;
  ((widest = std::max(widest, sides.getNumPartitions())), ...);
  // As Spark's defaultPartitioner: given no count, reuse the partitioner of
  // the widest side that has one. Sides it placed already are read where
  // they are; the others are partitionBy'd onto it (when it is a
  // HashPartitioner), so only they cross a shuffle.
  PartitionerPtr placed;
  if (numPartitions > 0) {
    placed = std::make_shared<const HashPartitioner>(numPartitions);
  } else {
    auto widen = [&](const PartitionerPtr& p) {
      if (p && (!placed || p->numPartitions() > placed->numPartitions())) placed = p;
    };
    (widen(sides.partitioner()), ...);
  }
  const auto* placedHash = dynamic_cast<const HashPartitioner*>(placed.get());
  const bool allPlaced = placed && (samePartitioner(sides.partitioner(), *placed) && ...);
  const bool anyPlaced = placed && (samePartitioner(sides.partitioner(), *placed) || ...);
  const bool inPlace = allPlaced || (anyPlaced && placedHash);
  std::vector<detail::NodePtr<Pair>> taggedSides;
  [&]<size_t... I>(std::index_sequence<I...>) {
    auto tag = [&]<size_t Index>(const auto& side, std::integral_constant<size_t, Index>) {
      using Side = std::remove_cvref_t<decltype(side)>;
      using In = typename Side::value_type;
      const Side input = inPlace && placedHash ? side.partitionBy(*placedHash, loc) : side;
      Rdd<Pair> tagged = input.template derive<Pair>(
          operation, loc,
          [](int) {
            return [](std::vector<In>& in, detail::Emitter<Pair>& out) {
              // The variant is built in place: moving a temporary one trips
              // GCC's -Wmaybe-uninitialized on variants of three types.
              for (In& kv : in)
                out.emit(std::piecewise_construct, std::forward_as_tuple(std::move(kv.first)),
                         std::forward_as_tuple(std::in_place_index<Index>, std::move(kv.second)));
            };
          },
          true);  // keys stay put
      taggedSides.push_back(tagged.node());
    };
    (tag(sides, std::integral_constant<size_t, I>{}), ...);
  }
  (std::index_sequence_for<Sides...>{});
  auto aggregator = detail::Aggregator{
      [](Tagged&& t) {
        Groups groups;
        detail::addTagged(groups, std::move(t));
        return groups;
      },
      [](Groups& groups, Tagged&& t) { detail::addTagged(groups, std::move(t)); },
      [](Groups& groups, Groups&& more) { detail::appendGroups(groups, std::move(more)); }};
  if (inPlace) {
    // Partition p of every side holds the same keys: group them in one task.
    Rdd<Pair> all(std::make_shared<detail::PartitionerAwareUnionRdd<Pair>>(
        detail::callSite(operation, loc), std::move(taggedSides), placed));
    auto grouped = all.template combine<Groups, false>(operation, loc, std::move(aggregator), 0);
    if constexpr (std::is_void_v<Join>) {
      return grouped;
    } else {
      return grouped.template derive<typename Join::Out>(
          operation, loc, [](int) { return typename Join::GroupedJoin{}; }, true);
    }
  }
  Rdd<Pair> all(std::make_shared<detail::UnionRdd<Pair>>(detail::callSite("union", loc),
                                                         std::move(taggedSides)));
  const int configured = node_->runtime()->configuredParallelism;
  HashPartitioner partitioner(numPartitions > 0 ? numPartitions
                              : configured > 0  ? configured
                                                : std::max(1, widest));
  if constexpr (std::is_void_v<Join>) {
    return all.template shuffle<Groups, false>(operation, loc, std::move(aggregator), partitioner,
                                               detail::NoOrdering{}, "CoGroupedRDD");
  } else {
    return all.template shuffle<typename Join::Joined, false>(operation, loc,
                                                              Join(getNumPartitions()), partitioner,
                                                              detail::NoOrdering{}, "CoGroupedRDD");
  }
}

template <class T>
template <class W>
auto Rdd<T>::cogroup(const Rdd<std::pair<detail::KeyOf<T>, W>>& other, int numPartitions,
                     Loc loc) const {
  using Groups = std::pair<std::vector<detail::ValueOf<T>>, std::vector<W>>;
  return cogroupAll<Groups, void>("cogroup", loc, numPartitions, *this, other);
}

template <class T>
template <class W1, class W2>
auto Rdd<T>::cogroup(const Rdd<std::pair<detail::KeyOf<T>, W1>>& other1,
                     const Rdd<std::pair<detail::KeyOf<T>, W2>>& other2, int numPartitions,
                     Loc loc) const {
  using Groups = std::tuple<std::vector<detail::ValueOf<T>>, std::vector<W1>, std::vector<W2>>;
  return cogroupAll<Groups, void>("cogroup", loc, numPartitions, *this, other1, other2);
}

template <class T>
template <bool kLeftOuter, bool kRightOuter, class W>
auto Rdd<T>::joinWith(const char* operation, const Rdd<std::pair<detail::KeyOf<T>, W>>& other,
                      int numPartitions, const Loc& loc) const {
  using V = detail::ValueOf<T>;
  using Groups = std::pair<std::vector<V>, std::vector<W>>;
  using Join = detail::HashJoin<detail::KeyOf<T>, V, W, kLeftOuter, kRightOuter>;
  return cogroupAll<Groups, Join>(operation, loc, numPartitions, *this, other);
}

template <class T>
template <class W>
auto Rdd<T>::join(const Rdd<std::pair<detail::KeyOf<T>, W>>& other, int numPartitions,
                  Loc loc) const {
  return joinWith<false, false>("join", other, numPartitions, loc);
}

template <class T>
template <class W>
auto Rdd<T>::leftOuterJoin(const Rdd<std::pair<detail::KeyOf<T>, W>>& other, int numPartitions,
                           Loc loc) const {
  return joinWith<true, false>("leftOuterJoin", other, numPartitions, loc);
}

template <class T>
template <class W>
auto Rdd<T>::rightOuterJoin(const Rdd<std::pair<detail::KeyOf<T>, W>>& other, int numPartitions,
                            Loc loc) const {
  return joinWith<false, true>("rightOuterJoin", other, numPartitions, loc);
}

template <class T>
template <class W>
auto Rdd<T>::fullOuterJoin(const Rdd<std::pair<detail::KeyOf<T>, W>>& other, int numPartitions,
                           Loc loc) const {
  return joinWith<true, true>("fullOuterJoin", other, numPartitions, loc);
}

template <class T>
template <class W>
Rdd<T> Rdd<T>::subtractByKey(const Rdd<std::pair<detail::KeyOf<T>, W>>& other, int numPartitions,
                             Loc loc) const {
  auto groups = cogroup(other, numPartitions, loc);
  using G = typename decltype(groups)::value_type;
  return groups.template derive<T>(
      "subtractByKey", loc,
      [](int) {
        return [](std::vector<G>& in, detail::Emitter<T>& out) {
          for (auto& [key, g] : in) {
            if (!g.second.empty()) continue;
            for (auto& v : g.first) out.emit(key, std::move(v));
          }
        };
      },
      true);
}

template <class T>
template <class Fractions>
Rdd<T> Rdd<T>::sampleByKey(bool withReplacement, const Fractions& fractions,
                           std::optional<uint64_t> seed, Loc loc) const {
  detail::requirePairs<T>();
  for (const auto& [key, fraction] : fractions) {
    if (!(fraction >= 0) || (!withReplacement && fraction > 1))
      throw Error("sampleByKey: fractions must be in [0, 1] without replacement and >= 0 with");
  }
  const uint64_t s = seed.value_or(detail::partitionSeed(static_cast<uint64_t>(id()), -1));
  auto shared = std::make_shared<const Fractions>(fractions);
  return derive<T>(
      "sampleByKey", loc,
      [=](int p) {
        return
            [op = detail::SampleByKeyOp<T, Fractions>{withReplacement, shared.get(),
                                                      std::mt19937_64(detail::partitionSeed(s, p))},
             shared](std::vector<T>& in, detail::Emitter<T>& out) mutable { op(in, out); };
      },
      true);
}

template <class T>
auto Rdd<T>::countByKey(Loc loc) const {
  detail::requirePairs<T>();
  using K = detail::KeyOf<T>;
  using V = detail::ValueOf<T>;
  auto counts = mapValues([](const V&) { return int64_t{1}; }, loc)
                    .reduceByKey(std::plus<>{}, 0, loc)
                    .collect(loc);
  return std::map<K, int64_t>(counts.begin(), counts.end());
}

template <class T>
auto Rdd<T>::collectAsMap(Loc loc) const {
  detail::requirePairs<T>();
  std::map<detail::KeyOf<T>, detail::ValueOf<T>> map;
  for (T& kv : collect(loc)) map.insert_or_assign(std::move(kv.first), std::move(kv.second));
  return map;
}

template <class T>
auto Rdd<T>::lookup(const detail::KeyOf<T>& key, Loc loc) const {
  detail::requirePairs<T>();
  using V = detail::ValueOf<T>;
  std::optional<std::vector<int>> partitions;
  if (const PartitionerPtr& placed = partitioner()) {
    if (auto p = detail::partitionOf(*placed, key)) partitions.emplace(1, *p);
  }
  auto perPartition = runJob<std::vector<V>>(
      [&](int p, TaskContext& tc) {
        std::vector<V> found;
        computePartition(p, tc, [&](std::vector<T>& batch) {
          for (T& kv : batch) {
            if (detail::KeyEqual<detail::KeyOf<T>>{}(kv.first, key))
              found.push_back(std::move(kv.second));
          }
        });
        return found;
      },
      "lookup", loc, std::move(partitions));
  return detail::concatenate(std::move(perPartition));
}

}  // namespace ember
