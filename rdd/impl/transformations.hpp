#pragma once
// Bodies of Rdd's narrow transformations (included by rdd/rdd.hpp).

#include <concepts>
#include <numeric>

#include "common/error.hpp"
#include "rdd/detail/coalesced_rdd.hpp"
#include "rdd/detail/lineage.hpp"
#include "rdd/detail/map_partitions_rdd.hpp"
#include "rdd/detail/narrow_ops.hpp"
#include "rdd/detail/union_rdd.hpp"

namespace ember {

template <class T>
std::string Rdd<T>::toDebugString() const {
  return detail::lineageString(*node_,
                               [rt = node_->runtime()](int rddId) { return rt->rddStatus(rddId); });
}

template <class T>
template <class U, class MakeOp>
Rdd<U> Rdd<T>::derive(const char* operation, const Loc& loc, MakeOp makeOp,
                      bool preservesPartitioning) const {
  return Rdd<U>(detail::mapPartitionsNode<U, T>(node_, detail::callSite(operation, loc),
                                                std::move(makeOp), preservesPartitioning));
}

template <class T>
template <class F>
auto Rdd<T>::map(F f, Loc loc) const {
  static_assert(std::invocable<F&, const T&>, "map(f): f must be callable as f(const T& x) -> U");
  using U = std::decay_t<std::invoke_result_t<F&, const T&>>;
  static_assert(!std::is_void_v<U>,
                "map(f): f must return the new element; use foreach for side effects");
  return derive<U>("map", loc, [f = std::move(f)](int) {
    return [f](std::vector<T>& in, detail::Emitter<U>& out) mutable {
      for (T& x : in) out.emitResult([&]() -> U { return detail::invokeOnOwned(f, x); });
    };
  });
}

template <class T>
template <class F>
Rdd<T> Rdd<T>::filter(F f, Loc loc) const {
  static_assert(std::predicate<F&, const T&>,
                "filter(f): f must be callable as f(const T& x) -> bool");
  return derive<T>(
      "filter", loc,
      [f = std::move(f)](int) {
        return [f](std::vector<T>& in, detail::Emitter<T>& out) mutable {
          for (T& x : in) {
            if (f(std::as_const(x))) out.emit(std::move(x));
          }
        };
      },
      true);
}

template <class T>
template <class F>
auto Rdd<T>::flatMap(F f, Loc loc) const {
  static_assert(std::invocable<F&, const T&>,
                "flatMap(f): f must be callable as f(const T& x) -> a range of U");
  using R = std::invoke_result_t<F&, const T&>;
  static_assert(std::ranges::input_range<std::remove_cvref_t<R>>,
                "flatMap(f): f must return a range of the new elements, e.g. a std::vector<U>");
  using U = detail::RangeValue<R>;
  return derive<U>("flatMap", loc, [f = std::move(f)](int) {
    return [f](std::vector<T>& in, detail::Emitter<U>& out) mutable {
      for (T& x : in) detail::emitAll(detail::invokeOnOwned(f, x), out);
    };
  });
}

template <class T>
template <class F>
auto Rdd<T>::mapPartitionsWithIndex(F f, Loc loc) const {
  static_assert(std::invocable<F&, int, std::vector<T>&&>,
                "mapPartitionsWithIndex(f): f must be callable as f(int index, std::vector<T>&& "
                "partition) -> "
                "a range of U");
  using U = detail::RangeValue<std::invoke_result_t<F&, int, std::vector<T>&&>>;
  return derive<U>("mapPartitionsWithIndex", loc, [f = std::move(f)](int p) {
    return detail::WholePartitionOp<T, U, F>{f, p};
  });
}

template <class T>
template <class F>
auto Rdd<T>::mapPartitions(F f, Loc loc) const {
  static_assert(
      std::invocable<F&, std::vector<T>&&>,
      "mapPartitions(f): f must be callable as f(std::vector<T>&& partition) -> a range of U");
  using U = detail::RangeValue<std::invoke_result_t<F&, std::vector<T>&&>>;
  auto withIndex = [f = std::move(f)](int, std::vector<T>&& all) mutable {
    return f(std::move(all));
  };
  return derive<U>("mapPartitions", loc, [withIndex](int p) {
    return detail::WholePartitionOp<T, U, decltype(withIndex)>{withIndex, p};
  });
}

template <class T>
Rdd<T> Rdd<T>::union_(const Rdd<T>& other, Loc loc) const {
  if (node_->runtime() != other.node_->runtime())
    throw Error("union_: both RDDs must belong to the same Context");
  return Rdd<T>(std::make_shared<detail::UnionRdd<T>>(
      detail::callSite("union", loc), std::vector<detail::NodePtr<T>>{node_, other.node_}));
}

template <class T>
Rdd<std::vector<T>> Rdd<T>::glom(Loc loc) const {
  return derive<std::vector<T>>("glom", loc, [](int) { return detail::GlomOp<T>{}; });
}

template <class T>
Rdd<T> Rdd<T>::sample(bool withReplacement, double fraction, std::optional<uint64_t> seed,
                      Loc loc) const {
  if (!(fraction >= 0) || (!withReplacement && fraction > 1)) {
    throw Error(
        "sample: fraction must be in [0, 1] without replacement and >= 0 with replacement, got " +
        std::to_string(fraction));
  }
  uint64_t s = seed.value_or(detail::partitionSeed(static_cast<uint64_t>(id()), -1));
  return derive<T>("sample", loc, [=](int p) {
    return detail::SampleOp<T>{withReplacement, fraction,
                               std::mt19937_64(detail::partitionSeed(s, p))};
  });
}

template <class T>
Rdd<std::pair<T, int64_t>> Rdd<T>::zipWithIndex(Loc loc) const {
  const int n = getNumPartitions();
  std::vector<int64_t> starts(static_cast<size_t>(n), 0);
  if (n > 1) {
    std::vector<int> head(static_cast<size_t>(n - 1));
    std::iota(head.begin(), head.end(), 0);
    auto sizes = runJob<int64_t>(
        [this](int p, TaskContext& tc) {
          int64_t size = 0;
          computePartition(p, tc,
                           [&](std::vector<T>& b) { size += static_cast<int64_t>(b.size()); });
          return size;
        },
        "zipWithIndex", loc, head);
    std::partial_sum(sizes.begin(), sizes.end(), starts.begin() + 1);
  }
  using Out = std::pair<T, int64_t>;
  return derive<Out>("zipWithIndex", loc, [starts = std::move(starts)](int p) {
    return [next = starts[static_cast<size_t>(p)]](std::vector<T>& in,
                                                   detail::Emitter<Out>& out) mutable {
      for (T& x : in) out.emit(std::move(x), next++);
    };
  });
}

template <class T>
Rdd<std::pair<T, int64_t>> Rdd<T>::zipWithUniqueId(Loc loc) const {
  using Out = std::pair<T, int64_t>;
  const int64_t n = getNumPartitions();
  return derive<Out>("zipWithUniqueId", loc, [n](int p) {
    return [n, next = int64_t{p}](std::vector<T>& in, detail::Emitter<Out>& out) mutable {
      for (T& x : in) {
        out.emit(std::move(x), next);
        next += n;
      }
    };
  });
}

template <class T>
template <class F>
auto Rdd<T>::keyBy(F f, Loc loc) const {
  static_assert(std::invocable<F&, const T&>, "keyBy(f): f must be callable as f(const T& x) -> K");
  using K = std::decay_t<std::invoke_result_t<F&, const T&>>;
  using Out = std::pair<K, T>;
  return derive<Out>("keyBy", loc, [f = std::move(f)](int) {
    return [f](std::vector<T>& in, detail::Emitter<Out>& out) mutable {
      for (T& x : in) {
        K key = f(std::as_const(x));
        out.emit(std::move(key), std::move(x));
      }
    };
  });
}

template <class T>
Rdd<std::string> Rdd<T>::pipe(const std::string& command, Loc loc) const {
  return derive<std::string>("pipe", loc, [command](int) {
    return detail::PipeOp<T>{std::make_unique<detail::PipedProcess>(command)};
  });
}

}  // namespace ember
