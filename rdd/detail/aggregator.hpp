#pragma once
// Aggregator: how a shuffle combines the values of one key.

#include <type_traits>
#include <utility>

namespace ember::detail {

/// The three functions of Spark's combineByKey, in place: `create(V&&) -> C`
/// starts a combiner from a key's first value, `mergeValue(C&, V&&)` adds a
/// value, `mergeCombiners(C&, C&&)` merges two partial combiners.
template <class Create, class MergeValue, class MergeCombiners>
struct Aggregator {
  Create create;
  MergeValue mergeValue;
  MergeCombiners mergeCombiners;
};

template <class Create, class MergeValue, class MergeCombiners>
Aggregator(Create, MergeValue, MergeCombiners) -> Aggregator<Create, MergeValue, MergeCombiners>;

/// A shuffle that only moves records (partitionBy): no aggregator.
struct NoAggregator {};

/// Builds a combiner only when a hash table inserts a new key, so that
/// try_emplace hashes the key once for both the lookup and the insert.
template <class C, class F>
struct LazyValue {
  F make;
  operator C() const { return make(); }  // NOLINT(google-explicit-constructor): the point of the type
};

template <class C, class F>
LazyValue<C, F> lazyValue(F make) {
  return LazyValue<C, F>{std::move(make)};
}

}  // namespace ember::detail
