#pragma once
// estimateSize: the approximate memory a record holds, for metrics and budgets.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace ember {

template <class T>
int64_t estimateSize(const T& value);

namespace detail {

template <class T>
struct SizeOf {
  static int64_t of(const T&) { return static_cast<int64_t>(sizeof(T)); }
};

template <>
struct SizeOf<std::string> {
  // Short strings live inside the object (SSO); longer ones own a heap block.
  static int64_t of(const std::string& s) {
    return static_cast<int64_t>(sizeof(std::string) + (s.capacity() > 15 ? s.capacity() + 1 : 0));
  }
};

template <class A, class B>
struct SizeOf<std::pair<A, B>> {
  static int64_t of(const std::pair<A, B>& p) {
    return estimateSize(p.first) + estimateSize(p.second) + static_cast<int64_t>(sizeof(p)) -
           static_cast<int64_t>(sizeof(A) + sizeof(B));
  }
};

template <class... Ts>
struct SizeOf<std::tuple<Ts...>> {
  static int64_t of(const std::tuple<Ts...>& t) {
    return std::apply([](const auto&... xs) { return (int64_t{0} + ... + estimateSize(xs)); }, t);
  }
};

template <class A>
struct SizeOf<std::optional<A>> {
  static int64_t of(const std::optional<A>& o) {
    return static_cast<int64_t>(sizeof(o)) +
           (o ? estimateSize(*o) - static_cast<int64_t>(sizeof(A)) : 0);
  }
};

template <class A>
struct SizeOf<std::vector<A>> {
  static int64_t of(const std::vector<A>& v) {
    int64_t total = static_cast<int64_t>(sizeof(v) + (v.capacity() - v.size()) * sizeof(A));
    if constexpr (std::is_trivially_copyable_v<A>)
      return total + static_cast<int64_t>(v.size() * sizeof(A));
    for (const A& x : v) total += estimateSize(x);
    return total;
  }
};

}  // namespace detail

/// Bytes `value` occupies, counting owned heap memory of strings and standard
/// containers. Specialize detail::SizeOf<T> for a type that owns memory
/// through pointers of its own.
template <class T>
int64_t estimateSize(const T& value) {
  return detail::SizeOf<T>::of(value);
}

/// Bytes of a batch of records.
template <class T>
int64_t estimateBatchSize(const std::vector<T>& batch) {
  if constexpr (std::is_trivially_copyable_v<T>) {
    return static_cast<int64_t>(batch.size() * sizeof(T));
  } else {
    int64_t total = 0;
    for (const T& x : batch) total += estimateSize(x);
    return total;
  }
}

}  // namespace ember
