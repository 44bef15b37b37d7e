#pragma once
// Bodies of Rdd's set operations, repartition and sortBy (included by rdd/rdd.hpp).

#include <cstdint>
#include <string>

#include "common/error.hpp"
#include "rdd/detail/coalesced_rdd.hpp"
#include "rdd/detail/narrow_ops.hpp"
#include "rdd/detail/zipped_partitions_rdd.hpp"

namespace ember {

namespace detail {

/// The one-byte value that set operations pair each element with.
using Mark = uint8_t;

}  // namespace detail

template <class T>
Rdd<T> Rdd<T>::distinct(int numPartitions, Loc loc) const {
  return map([](const T& x) { return std::pair<T, detail::Mark>(x, 0); }, loc)
      .reduceByKey([](detail::Mark a, detail::Mark) { return a; }, numPartitions, loc)
      .keys(loc);
}

template <class T>
Rdd<T> Rdd<T>::intersection(const Rdd<T>& other, int numPartitions, Loc loc) const {
  // Marks 1 (here) and 2 (there) are or-ed per element; 3 means both.
  auto mark = [&loc](const Rdd<T>& rdd, detail::Mark m) {
    return rdd.map([m](const T& x) { return std::pair<T, detail::Mark>(x, m); }, loc);
  };
  if (numPartitions == 0) numPartitions = std::max(getNumPartitions(), other.getNumPartitions());
  return mark(*this, 1)
      .union_(mark(other, 2), loc)
      .reduceByKey([](detail::Mark a, detail::Mark b) -> detail::Mark { return a | b; },
                   numPartitions, loc)
      .filter([](const std::pair<T, detail::Mark>& kv) { return kv.second == 3; }, loc)
      .keys(loc);
}

template <class T>
Rdd<T> Rdd<T>::subtract(const Rdd<T>& other, int numPartitions, Loc loc) const {
  auto mark = [&loc](const Rdd<T>& rdd) {
    return rdd.map([](const T& x) { return std::pair<T, detail::Mark>(x, 0); }, loc);
  };
  return mark(*this).subtractByKey(mark(other), numPartitions, loc).keys(loc);
}

template <class T>
template <class U>
Rdd<std::pair<T, U>> Rdd<T>::cartesian(const Rdd<U>& other, Loc loc) const {
  return Rdd<std::pair<T, U>>(std::make_shared<detail::CartesianRdd<T, U>>(
      detail::callSite("cartesian", loc), node_, other.node()));
}

template <class T>
template <class U>
Rdd<std::pair<T, U>> Rdd<T>::zip(const Rdd<U>& other, Loc loc) const {
  using Out = std::pair<T, U>;
  return zipPartitions(
      other,
      [](std::vector<T>&& a, std::vector<U>&& b) {
        if (a.size() != b.size())
          throw Error(
              "zip: can only zip RDDs with the same number of elements in each "
              "partition; this partition has " +
              std::to_string(a.size()) + " and " + std::to_string(b.size()));
        std::vector<Out> out;
        out.reserve(a.size());
        for (size_t i = 0; i < a.size(); ++i) out.emplace_back(std::move(a[i]), std::move(b[i]));
        return out;
      },
      loc);
}

template <class T>
template <class U, class F>
auto Rdd<T>::zipPartitions(const Rdd<U>& other, F f, Loc loc) const {
  static_assert(std::invocable<F&, std::vector<T>&&, std::vector<U>&&>,
                "zipPartitions(other, f): f must be callable as "
                "f(std::vector<T>&& a, std::vector<U>&& b) -> a range");
  using Out = detail::RangeValue<std::invoke_result_t<F&, std::vector<T>&&, std::vector<U>&&>>;
  if (getNumPartitions() != other.getNumPartitions())
    throw Error("zip: can only zip RDDs with the same number of partitions, not " +
                std::to_string(getNumPartitions()) + " and " +
                std::to_string(other.getNumPartitions()));
  auto op = [f = std::move(f)](int p, detail::Node<T>& a, detail::Node<U>& b, TaskContext& tc,
                               detail::Emitter<Out>& out) {
    F copy = f;  // each task works on its own copy of the function
    detail::emitAll(copy(detail::gatherPartition(a, p, tc), detail::gatherPartition(b, p, tc)),
                    out);
  };
  return Rdd<Out>(std::make_shared<detail::ZippedPartitionsRdd<T, U, Out, decltype(op)>>(
      detail::callSite("zipPartitions", loc), node_, other.node(), std::move(op)));
}

template <class T>
Rdd<T> Rdd<T>::coalesce(int numPartitions, bool shuffle, Loc loc) const {
  if (numPartitions <= 0) throw Error("coalesce: the partition count must be positive");
  if (!shuffle) {
    return Rdd<T>(std::make_shared<detail::CoalescedRdd<T>>(
        detail::callSite("coalesce", loc), node_, std::min(numPartitions, getNumPartitions())));
  }
  // As Spark: number the records of each partition from a different
  // starting point, so that hashing the numbers deals them out evenly.
  using Keyed = std::pair<int64_t, T>;
  const int n = numPartitions;
  return derive<Keyed>("coalesce", loc,
                       [n](int p) {
                         auto next = static_cast<int64_t>(detail::partitionSeed(0, p) % n);
                         return [next](std::vector<T>& in, detail::Emitter<Keyed>& out) mutable {
                           for (T& x : in) out.emit(next++, std::move(x));
                         };
                       })
      .partitionBy(HashPartitioner(n), loc)
      .values(loc);
}

template <class T>
Rdd<T> Rdd<T>::repartition(int numPartitions, Loc loc) const {
  return coalesce(numPartitions, true, loc);
}

template <class T>
template <class F, class Compare>
Rdd<T> Rdd<T>::sortBy(F f, bool ascending, int numPartitions, Compare comp, Loc loc) const {
  static_assert(std::invocable<F&, const T&>,
                "sortBy(f): f must be callable as f(const T& x) -> a key to sort by");
  return keyBy(std::move(f), loc).sortByKey(ascending, numPartitions, comp, loc).values(loc);
}

}  // namespace ember
