#pragma once
// Bodies of Rdd's operations on pairs (included by rdd/rdd.hpp).

#include "rdd/detail/aggregator.hpp"
#include "rdd/detail/shuffled_rdd.hpp"

namespace ember {

namespace detail {

template <class T>
constexpr void requirePairs() {
  static_assert(kIsPair<T>, "this operation works on pairs: it needs an Rdd<std::pair<K, V>>");
}

}  // namespace detail

template <class T>
HashPartitioner Rdd<T>::defaultPartitioner(int numPartitions) const {
  if (numPartitions > 0) return HashPartitioner(numPartitions);
  const int configured = node_->runtime()->configuredParallelism;
  return HashPartitioner(configured > 0 ? configured : std::max(1, getNumPartitions()));
}

template <class T>
template <class C, bool kMapSideCombine, class Agg>
auto Rdd<T>::shuffle(const char* operation, const Loc& loc, Agg aggregator,
                     HashPartitioner partitioner) const {
  detail::requirePairs<T>();
  using K = typename T::first_type;
  using V = typename T::second_type;
  using Shuffled = detail::ShuffledRdd<K, V, C, Agg, HashPartitioner, kMapSideCombine>;
  return Rdd<std::pair<K, C>>(std::make_shared<Shuffled>(detail::callSite(operation, loc), node_,
                                                         std::move(aggregator), partitioner));
}

template <class T>
template <class F>
auto Rdd<T>::reduceByKey(F f, int numPartitions, Loc loc) const {
  detail::requirePairs<T>();
  using V = typename T::second_type;
  static_assert(std::is_invocable_r_v<V, const F&, const V&, const V&>,
                "reduceByKey(f): f must be callable as f(const V& a, const V& b) -> V");
  auto merge = [f](V& into, V&& value) { into = f(std::as_const(into), std::as_const(value)); };
  auto aggregator = detail::Aggregator{[](V&& v) { return std::move(v); }, merge, merge};
  return shuffle<V, true>("reduceByKey", loc, std::move(aggregator),
                          defaultPartitioner(numPartitions));
}

template <class T>
auto Rdd<T>::groupByKey(int numPartitions, Loc loc) const {
  detail::requirePairs<T>();
  using V = typename T::second_type;
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
  return shuffle<Group, false>("groupByKey", loc, std::move(aggregator),
                               defaultPartitioner(numPartitions));
}

template <class T>
Rdd<T> Rdd<T>::partitionBy(HashPartitioner partitioner, Loc loc) const {
  detail::requirePairs<T>();
  return shuffle<typename T::second_type, false>("partitionBy", loc, detail::NoAggregator{},
                                                 partitioner);
}

template <class T>
Rdd<T> Rdd<T>::partitionBy(int numPartitions, Loc loc) const {
  return partitionBy(HashPartitioner(numPartitions), loc);
}

template <class T>
template <class F>
auto Rdd<T>::mapValues(F f, Loc loc) const {
  detail::requirePairs<T>();
  using K = typename T::first_type;
  using V = typename T::second_type;
  static_assert(std::invocable<F&, const V&>,
                "mapValues(f): f must be callable as f(const V& value) -> W");
  using Out = std::pair<K, std::decay_t<std::invoke_result_t<F&, const V&>>>;
  return derive<Out>("mapValues", loc, [f = std::move(f)](int) {
    return [f](std::vector<T>& in, detail::Emitter<Out>& out) mutable {
      for (T& kv : in) out.emit(std::move(kv.first), f(std::as_const(kv.second)));
    };
  });
}

template <class T>
auto Rdd<T>::keys(Loc loc) const {
  detail::requirePairs<T>();
  using K = typename T::first_type;
  return derive<K>("keys", loc, [](int) {
    return [](std::vector<T>& in, detail::Emitter<K>& out) {
      for (T& kv : in) out.emit(std::move(kv.first));
    };
  });
}

template <class T>
auto Rdd<T>::values(Loc loc) const {
  detail::requirePairs<T>();
  using V = typename T::second_type;
  return derive<V>("values", loc, [](int) {
    return [](std::vector<T>& in, detail::Emitter<V>& out) {
      for (T& kv : in) out.emit(std::move(kv.second));
    };
  });
}

template <class T>
auto Rdd<T>::countByKey(Loc loc) const {
  detail::requirePairs<T>();
  using K = typename T::first_type;
  using V = typename T::second_type;
  auto counts = mapValues([](const V&) { return int64_t{1}; }, loc)
                    .reduceByKey(std::plus<>{}, 0, loc)
                    .collect(loc);
  return std::map<K, int64_t>(counts.begin(), counts.end());
}

}  // namespace ember
