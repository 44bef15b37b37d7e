#pragma once
// Aggregator: how a shuffle combines the values of one key.

#include <string>
#include <type_traits>
#include <utility>
#include <vector>

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

/// A value built only when converted to C. Emplacing it constructs C in
/// place from make()'s result (no move), and a hash table's try_emplace
/// calls make() only when it inserts a new key.
template <class C, class F>
struct LazyValue {
  F make;
  operator C() const {
    return make();
  }  // NOLINT(google-explicit-constructor): the point of the type
};

template <class C, class F>
LazyValue<C, F> lazyValue(F make) {
  return LazyValue<C, F>{std::move(make)};
}

template <class T>
inline constexpr bool kIsStdContainerOrPair = false;
template <class A, class B>
inline constexpr bool kIsStdContainerOrPair<std::pair<A, B>> = true;
template <class A>
inline constexpr bool kIsStdContainerOrPair<std::vector<A>> = true;
template <>
inline constexpr bool kIsStdContainerOrPair<std::string> = true;

/// Types known to construct from a LazyValue only through its conversion:
/// a type with a catch-all constructor template (std::any, std::function)
/// would swallow the LazyValue itself instead.
template <class C>
inline constexpr bool kLazyConstructible = std::is_arithmetic_v<C> || kIsStdContainerOrPair<C>;

/// table.try_emplace(key, make()) that calls make() only for a new key and
/// hashes the key once where it can.
template <class Table, class Key, class Make>
auto tryEmplaceWith(Table& table, Key&& key, Make&& make) {
  using C = typename Table::mapped_type;
  if constexpr (kLazyConstructible<C>) {
    return table.try_emplace(std::forward<Key>(key), lazyValue<C>(std::forward<Make>(make)));
  } else {
    auto it = table.find(key);
    if (it != table.end()) return std::pair{it, false};
    return table.emplace(std::forward<Key>(key), make());
  }
}

}  // namespace ember::detail
