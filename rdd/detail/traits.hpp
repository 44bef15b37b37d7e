#pragma once
// Type traits for the element types and user functions of Rdd.

#include <concepts>
#include <ranges>
#include <type_traits>
#include <utility>

namespace ember::detail {

template <class T>
inline constexpr bool kIsPair = false;
template <class K, class V>
inline constexpr bool kIsPair<std::pair<K, V>> = true;

/// The key and value types of a pair element; placeholders for other
/// elements, so that Rdd<T> can declare its pair operations for every T.
struct NotAPair {};
template <class T>
struct PairParts {
  using Key = NotAPair;
  using Value = NotAPair;
};
template <class K, class V>
struct PairParts<std::pair<K, V>> {
  using Key = K;
  using Value = V;
};
template <class T>
using KeyOf = typename PairParts<T>::Key;
template <class T>
using ValueOf = typename PairParts<T>::Value;

/// The element type of the range a flatMap or mapPartitions function returns.
template <class R>
using RangeValue = std::remove_cvref_t<std::ranges::range_value_t<std::remove_cvref_t<R>>>;

/// Calls f on a record of a batch the stage owns and will not read again:
/// as an rvalue when f accepts one (a function taking its argument by value
/// then moves instead of copying), else as a const lvalue.
template <class F, class T>
decltype(auto) invokeOnOwned(F& f, T& x) {
  if constexpr (std::is_invocable_v<F&, T&&>) {
    return f(std::move(x));
  } else {
    return f(std::as_const(x));
  }
}

/// Emits every element of `r`; moves them when `r` is a temporary or an
/// owned value, copies when the function returned a reference to its data.
template <class R, class Out>
void emitAll(R&& r, Out& out) {
  for (auto&& u : r) {
    if constexpr (std::is_lvalue_reference_v<R>) {
      out.emit(u);
    } else {
      out.emit(std::move(u));
    }
  }
}

}  // namespace ember::detail
