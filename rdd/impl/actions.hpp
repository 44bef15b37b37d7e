#pragma once
// Bodies of Rdd's actions (included by rdd/rdd.hpp).

#include <algorithm>
#include <cmath>
#include <numeric>
#include <queue>
#include <random>
#include <string_view>

#include "common/error.hpp"
#include "rdd/detail/checkpointing.hpp"
#include "rdd/detail/concatenate.hpp"
#include "rdd/detail/narrow_ops.hpp"
#include "rdd/detail/result_bytes.hpp"
#include "rdd/detail/text_format.hpp"
#include "rdd/detail/text_output.hpp"
#include "storage/serializer.hpp"

namespace ember {

namespace detail {

/// reduce's function f as the seqOp and combOp of aggregate: an empty
/// optional stands for "no element yet", so an empty RDD is detected.
template <class T, class F>
struct OptionalReducer {
  F f;

  std::optional<T> operator()(std::optional<T> acc, const T& x) {
    return acc ? f(std::as_const(*acc), x) : x;
  }
  std::optional<T> operator()(std::optional<T> a, std::optional<T> b) {
    if (!a || !b) return a ? a : b;
    return f(std::as_const(*a), std::as_const(*b));
  }
};

}  // namespace detail

template <class T>
template <class R, class F>
std::vector<R> Rdd<T>::runJob(F perPartition, const char* action, const Loc& loc,
                              std::optional<std::vector<int>> partitions,
                              std::function<void(bool)> end) const {
  if (!partitions) {
    partitions.emplace(static_cast<size_t>(getNumPartitions()));
    std::iota(partitions->begin(), partitions->end(), 0);
  }
  std::vector<size_t> slot(static_cast<size_t>(getNumPartitions()));
  for (size_t i = 0; i < partitions->size(); ++i) slot[static_cast<size_t>((*partitions)[i])] = i;
  std::vector<std::optional<R>> results(partitions->size());
  const std::string callSite = detail::callSite(action, loc);
  auto result = [&](int p) -> std::optional<R>& { return results[slot[static_cast<size_t>(p)]]; };
  ResultTask task{
      [&](int p, TaskContext& tc) { result(p).emplace(perPartition(p, tc)); },
      [&](int p) { return detail::saveResult(*result(p), callSite); },
      [&](int p, std::string_view bytes) { detail::loadResult(bytes, result(p), callSite); },
      std::move(end)};
  node_->runtime()->runJob(node_, *partitions, task, callSite);
  detail::checkpointLineage(node_, callSite);
  std::vector<R> out;
  out.reserve(results.size());
  for (auto& r : results) out.push_back(std::move(*r));
  return out;
}

template <class T>
template <class F>
void Rdd<T>::computePartition(int p, TaskContext& tc, F&& f) const {
  auto sink = detail::makeSink<T>([&](std::vector<T>& batch) {
    tc.metrics().outputRecords += static_cast<int64_t>(batch.size());
    f(batch);
  });
  node_->iterator(p, tc, sink);
}

template <class T>
std::vector<T> Rdd<T>::collect(Loc loc) const {
  auto parts = runJob<std::vector<T>>(
      [this](int p, TaskContext& tc) {
        std::vector<T> all;
        computePartition(p, tc, [&](std::vector<T>& b) {
          all.insert(all.end(), std::make_move_iterator(b.begin()),
                     std::make_move_iterator(b.end()));
        });
        return all;
      },
      "collect", loc);
  return detail::concatenate(std::move(parts));
}

template <class T>
int64_t Rdd<T>::count(Loc loc) const {
  auto sizes = runJob<int64_t>(
      [this](int p, TaskContext& tc) {
        int64_t n = 0;
        computePartition(p, tc, [&](std::vector<T>& b) { n += static_cast<int64_t>(b.size()); });
        return n;
      },
      "count", loc);
  return std::accumulate(sizes.begin(), sizes.end(), int64_t{0});
}

template <class T>
std::vector<T> Rdd<T>::take(int64_t n, Loc loc) const {
  std::vector<T> out;
  const int total = getNumPartitions();
  int scanned = 0;
  // Spark's strategy: one partition first, then up to four times as many as
  // scanned so far, estimated from how many elements each gave.
  while (static_cast<int64_t>(out.size()) < n && scanned < total) {
    int64_t tryCount = 1;
    if (scanned > 0) {
      tryCount = out.empty() ? int64_t{scanned} * 4
                             : std::clamp<int64_t>(
                                   static_cast<int64_t>(1.5 * static_cast<double>(n) * scanned /
                                                        static_cast<double>(out.size())) -
                                       scanned,
                                   1, int64_t{scanned} * 4);
    }
    std::vector<int> parts;
    for (int p = scanned; p < std::min<int64_t>(total, scanned + tryCount); ++p) parts.push_back(p);
    const int64_t left = n - static_cast<int64_t>(out.size());
    auto got = runJob<std::vector<T>>(
        [this, left](int p, TaskContext& tc) {
          std::vector<T> first;
          computePartition(p, tc, [&](std::vector<T>& b) {
            for (T& x : b) {
              if (static_cast<int64_t>(first.size()) >= left) return;
              first.push_back(std::move(x));
            }
          });
          return first;
        },
        "take", loc, parts);
    for (auto& part : got) {
      for (T& x : part) {
        if (static_cast<int64_t>(out.size()) < n) out.push_back(std::move(x));
      }
    }
    scanned += static_cast<int>(parts.size());
  }
  return out;
}

template <class T>
T Rdd<T>::first(Loc loc) const {
  auto one = take(1, loc);
  if (one.empty()) throw Error("first(): the RDD is empty (" + node_->callSite() + ")");
  return std::move(one.front());
}

template <class T>
std::vector<T> Rdd<T>::takeSample(bool withReplacement, int64_t num, std::optional<uint64_t> seed,
                                  Loc loc) const {
  if (num < 0) throw Error("takeSample: num must not be negative");
  if (num == 0) return {};
  std::mt19937_64 rng(seed.value_or(detail::partitionSeed(static_cast<uint64_t>(id()), -2)));
  const int64_t total = count(loc);
  if (total == 0) return {};
  if (!withReplacement && num >= total) {
    auto all = collect(loc);
    std::shuffle(all.begin(), all.end(), rng);
    return all;
  }
  // Spark's sampling fraction: large enough that one pass nearly always
  // yields num elements (retried with a new seed when it does not).
  const double f = static_cast<double>(num) / static_cast<double>(total);
  double fraction;
  if (withReplacement) {
    const double stdevs = num < 12 ? 9 : 5;
    fraction = std::max(f + stdevs * std::sqrt(f / static_cast<double>(total)), 1e-10);
  } else {
    const double gamma = -std::log(1e-4) / static_cast<double>(total);
    fraction = std::min(1.0, std::max(1e-10, f + gamma + std::sqrt(gamma * gamma + 2 * gamma * f)));
  }
  std::vector<T> picked;
  do {
    picked = sample(withReplacement, fraction, rng(), loc).collect(loc);
  } while (static_cast<int64_t>(picked.size()) < num);
  std::shuffle(picked.begin(), picked.end(), rng);
  picked.resize(static_cast<size_t>(num));
  return picked;
}

template <class T>
template <class Compare>
std::vector<T> Rdd<T>::takeOrdered(int64_t n, Compare comp, Loc loc) const {
  if (n <= 0) return {};
  // Each partition keeps its n smallest in a max-heap, so memory stays at n.
  auto parts = runJob<std::vector<T>>(
      [this, n, comp](int p, TaskContext& tc) {
        std::priority_queue<T, std::vector<T>, Compare> heap(comp);
        computePartition(p, tc, [&](std::vector<T>& b) {
          for (T& x : b) {
            if (static_cast<int64_t>(heap.size()) < n) {
              heap.push(std::move(x));
            } else if (comp(x, heap.top())) {
              heap.pop();
              heap.push(std::move(x));
            }
          }
        });
        std::vector<T> smallest;
        while (!heap.empty()) {
          smallest.push_back(heap.top());
          heap.pop();
        }
        return smallest;
      },
      "takeOrdered", loc);
  std::vector<T> all = detail::concatenate(std::move(parts));
  std::stable_sort(all.begin(), all.end(), comp);
  if (static_cast<int64_t>(all.size()) > n) all.resize(static_cast<size_t>(n));
  return all;
}

template <class T>
template <class Compare>
std::vector<T> Rdd<T>::top(int64_t n, Compare comp, Loc loc) const {
  return takeOrdered(
      n, [comp](const T& a, const T& b) { return comp(b, a); }, loc);
}

template <class T>
template <class U, class SeqOp, class CombOp>
U Rdd<T>::aggregate(U zero, SeqOp seqOp, CombOp combOp, Loc loc) const {
  static_assert(
      std::is_invocable_r_v<U, SeqOp&, U, const T&>,
      "aggregate(zero, seqOp, combOp): seqOp must be callable as seqOp(U acc, const T& x) -> U");
  static_assert(std::is_invocable_r_v<U, CombOp&, U, U>,
                "aggregate(zero, seqOp, combOp): combOp must be callable as combOp(U a, U b) -> U");
  auto parts = runJob<U>(
      [this, &zero, seqOp](int p, TaskContext& tc) mutable {
        U acc = zero;
        computePartition(p, tc, [&](std::vector<T>& b) {
          for (const T& x : b) acc = seqOp(std::move(acc), x);
        });
        return acc;
      },
      "aggregate", loc);
  U result = std::move(zero);
  for (U& part : parts) result = combOp(std::move(result), std::move(part));
  return result;
}

template <class T>
template <class F>
T Rdd<T>::fold(T zero, F f, Loc loc) const {
  static_assert(std::is_invocable_r_v<T, F&, const T&, const T&>,
                "fold(zero, f): f must be callable as f(const T& a, const T& b) -> T");
  auto step = [f](T acc, const T& x) mutable { return f(std::as_const(acc), x); };
  return aggregate(std::move(zero), step, step, loc);
}

template <class T>
template <class F>
T Rdd<T>::reduce(F f, Loc loc) const {
  static_assert(std::is_invocable_r_v<T, F&, const T&, const T&>,
                "reduce(f): f must be callable as f(const T& a, const T& b) -> T");
  detail::OptionalReducer<T, F> merge{f};
  auto result = aggregate(std::optional<T>(), merge, merge, loc);
  if (!result) throw Error("reduce(): the RDD is empty (" + node_->callSite() + ")");
  return std::move(*result);
}

template <class T>
template <class U, class SeqOp, class CombOp>
U Rdd<T>::treeAggregate(U zero, SeqOp seqOp, CombOp combOp, int depth, Loc loc) const {
  if (depth < 1)
    throw Error("treeAggregate: depth must be at least 1, got " + std::to_string(depth));
  if (getNumPartitions() == 0) return zero;
  Rdd<U> partial = mapPartitions(
      [zero, seqOp](std::vector<T>&& part) mutable {
        U acc = zero;
        for (const T& x : part) acc = seqOp(std::move(acc), x);
        return std::vector<U>{std::move(acc)};
      },
      loc);
  // As Spark: while many partial results remain, merge them in `scale`
  // groups through a shuffle, so that no one task merges them all.
  int n = partial.getNumPartitions();
  const int scale = std::max(static_cast<int>(std::ceil(std::pow(n, 1.0 / depth))), 2);
  // reduceByKey calls its function as const: call a copy of combOp, which
  // may be a mutable lambda.
  auto combine = [combOp](const U& a, const U& b) {
    CombOp op = combOp;
    return op(U(a), U(b));
  };
  while (n > scale + static_cast<int>(std::ceil(static_cast<double>(n) / scale))) {
    n /= scale;
    const int groups = n;
    partial = partial
                  .mapPartitionsWithIndex(
                      [groups](int i, std::vector<U>&& part) {
                        std::vector<std::pair<int, U>> keyed;
                        for (U& u : part) keyed.emplace_back(i % groups, std::move(u));
                        return keyed;
                      },
                      loc)
                  .reduceByKey(combine, groups, loc)
                  .values(loc);
  }
  return partial.aggregate(std::move(zero), combOp, combOp, loc);
}

template <class T>
template <class F>
T Rdd<T>::treeReduce(F f, int depth, Loc loc) const {
  static_assert(std::is_invocable_r_v<T, F&, const T&, const T&>,
                "treeReduce(f): f must be callable as f(const T& a, const T& b) -> T");
  detail::OptionalReducer<T, F> merge{f};
  auto result = treeAggregate(std::optional<T>(), merge, merge, depth, loc);
  if (!result) throw Error("treeReduce(): the RDD is empty (" + node_->callSite() + ")");
  return std::move(*result);
}

template <class T>
template <class F>
void Rdd<T>::foreach (F f, Loc loc) const {
  static_assert(std::invocable<F&, const T&>, "foreach(f): f must be callable as f(const T& x)");
  runJob<bool>(
      [this, &f](int p, TaskContext& tc) {
        F local = f;
        computePartition(p, tc, [&](std::vector<T>& b) {
          for (const T& x : b) local(x);
        });
        return true;
      },
      "foreach", loc);
}

template <class T>
template <class F>
void Rdd<T>::foreachPartition(F f, Loc loc) const {
  static_assert(std::invocable<F&, std::vector<T>&&>,
                "foreachPartition(f): f must be callable as f(std::vector<T>&& partition)");
  runJob<bool>(
      [this, &f](int p, TaskContext& tc) {
        F local = f;
        std::vector<T> all;
        computePartition(p, tc, [&](std::vector<T>& b) {
          all.insert(all.end(), std::make_move_iterator(b.begin()),
                     std::make_move_iterator(b.end()));
        });
        local(std::move(all));
        return true;
      },
      "foreachPartition", loc);
}

template <class T>
std::map<T, int64_t> Rdd<T>::countByValue(Loc loc) const {
  auto counts = map([](const T& x) { return std::pair<T, int64_t>(x, 1); }, loc)
                    .reduceByKey(std::plus<>{}, 0, loc)
                    .collect(loc);
  return std::map<T, int64_t>(counts.begin(), counts.end());
}

template <class T>
bool Rdd<T>::isEmpty(Loc loc) const {
  return getNumPartitions() == 0 || take(1, loc).empty();
}

template <class T>
template <class Compare>
T Rdd<T>::min(Compare comp, Loc loc) const {
  return reduce([comp](const T& a, const T& b) { return comp(b, a) ? b : a; }, loc);
}

template <class T>
template <class Compare>
T Rdd<T>::max(Compare comp, Loc loc) const {
  return reduce([comp](const T& a, const T& b) { return comp(a, b) ? b : a; }, loc);
}

template <class T>
T Rdd<T>::sum(Loc loc) const {
  static_assert(std::is_arithmetic_v<T>, "sum() works on an Rdd of numbers");
  return fold(T{}, std::plus<T>{}, loc);
}

template <class T>
StatCounter Rdd<T>::stats(Loc loc) const {
  static_assert(std::is_arithmetic_v<T>, "stats() works on an Rdd of numbers");
  return aggregate(
      StatCounter(),
      [](StatCounter s, const T& x) { return std::move(s.merge(static_cast<double>(x))); },
      [](StatCounter a, const StatCounter& b) { return std::move(a.merge(b)); }, loc);
}

template <class T>
double Rdd<T>::mean(Loc loc) const {
  return stats(loc).mean();
}

template <class T>
std::vector<int64_t> Rdd<T>::histogram(std::vector<double> buckets, Loc loc) const {
  static_assert(std::is_arithmetic_v<T>, "histogram() works on an Rdd of numbers");
  if (buckets.size() < 2 || !std::is_sorted(buckets.begin(), buckets.end()) ||
      std::adjacent_find(buckets.begin(), buckets.end()) != buckets.end()) {
    throw Error("histogram: buckets must be at least two increasing boundaries");
  }
  const size_t count = buckets.size() - 1;
  auto seq = [buckets, count](std::vector<int64_t> hist, const T& value) {
    const double x = static_cast<double>(value);
    if (!(x >= buckets.front() && x <= buckets.back())) return hist;  // outside, or NaN
    size_t i =
        static_cast<size_t>(std::upper_bound(buckets.begin(), buckets.end(), x) - buckets.begin()) -
        1;
    ++hist[std::min(i, count - 1)];
    return hist;
  };
  auto comb = [](std::vector<int64_t> a, const std::vector<int64_t>& b) {
    for (size_t i = 0; i < a.size(); ++i) a[i] += b[i];
    return a;
  };
  return aggregate(std::vector<int64_t>(count, 0), seq, comb, loc);
}

template <class T>
std::pair<std::vector<double>, std::vector<int64_t>> Rdd<T>::histogram(int bucketCount,
                                                                       Loc loc) const {
  if (bucketCount <= 0) throw Error("histogram: bucketCount must be positive");
  StatCounter s = stats(loc);
  if (s.count() == 0 || !std::isfinite(s.min()) || !std::isfinite(s.max())) {
    throw Error("histogram: the RDD is empty or holds an infinite value or NaN");
  }
  std::vector<double> buckets;
  if (s.min() == s.max()) {
    buckets = {s.min(), s.max()};
    return {buckets, {s.count()}};
  }
  for (int i = 0; i < bucketCount; ++i)
    buckets.push_back(s.min() + (s.max() - s.min()) * i / bucketCount);
  buckets.push_back(s.max());
  auto counts = histogram(buckets, loc);
  return {std::move(buckets), std::move(counts)};
}

template <class T>
void Rdd<T>::saveAsTextFile(const std::string& path, Loc loc) const {
  const auto& rt = node_->runtime();
  detail::TextOutputJob output(path, rt->sharedDirName(), rt->isDriver());
  runJob<bool>(
      [this, &output](int p, TaskContext& tc) {
        detail::TextFileWriter writer(output.partPath(p));
        std::string line;
        computePartition(p, tc, [&](std::vector<T>& b) {
          for (const T& x : b) {
            line.clear();
            detail::appendText(line, x);
            writer.writeLine(line);
            tc.metrics().outputBytes += static_cast<int64_t>(line.size() + 1);
          }
        });
        writer.close();
        return true;
      },
      "saveAsTextFile", loc, std::nullopt,
      [&output](bool succeeded) { succeeded ? output.commit() : output.abort(); });
}

}  // namespace ember
