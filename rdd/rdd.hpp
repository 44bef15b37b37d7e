#pragma once
// Rdd<T>: a resilient distributed dataset, Spark's RDD with its method names.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <source_location>
#include <string>
#include <utility>
#include <vector>

#include "rdd/context.hpp"
#include "rdd/detail/node.hpp"
#include "rdd/detail/traits.hpp"
#include "rdd/hash_partitioner.hpp"
#include "rdd/stat_counter.hpp"
#include "storage/storage_level.hpp"

namespace ember {

/// An immutable, partitioned collection of T, defined by its lineage: how to
/// compute each partition from its parents. Transformations (map, filter,
/// reduceByKey, ...) return a new Rdd at once and compute nothing; actions
/// (count, collect, saveAsTextFile, ...) run a job and return its result.
/// The narrow transformations between two shuffles run fused, batch by
/// batch, in one task per partition.
///
/// Functions passed to an Rdd receive records by const reference. Each task
/// works on its own copy of a function object (as Spark deserializes a
/// closure per task), so a mutable lambda keeps its state per partition.
/// They run concurrently on several threads: what they capture by reference
/// must be safe to use so.
///
/// An Rdd is a cheap handle (a shared pointer); copies share one lineage
/// node. Thread safety: const methods, all of them, may be called concurrently.
template <class T>
class Rdd {
 public:
  using value_type = T;
  using Loc = std::source_location;

  /// For ember's own code: wraps a lineage node.
  explicit Rdd(detail::NodePtr<T> node) : node_(std::move(node)) {}

  int id() const { return node_->id(); }
  int getNumPartitions() const { return node_->numPartitions(); }
  /// The lineage as Spark prints it: one line per RDD, indented at each
  /// shuffle, with partition counts and storage levels.
  std::string toDebugString() const;
  StorageLevel getStorageLevel() const { return node_->storageLevel(); }
  const detail::NodePtr<T>& node() const { return node_; }

  // ---- Narrow transformations: no shuffle, fused into the current stage ----

  /// f(const T&) -> U for each element.
  template <class F>
  auto map(F f, Loc loc = Loc::current()) const;
  /// The elements for which f(const T&) is true.
  template <class F>
  Rdd<T> filter(F f, Loc loc = Loc::current()) const;
  /// f(const T&) returns a range (a vector, say) of U; the result holds all
  /// of them.
  template <class F>
  auto flatMap(F f, Loc loc = Loc::current()) const;
  /// f(std::vector<T>&& partition) returns a range of U. The whole partition
  /// is held in memory at once: prefer map/flatMap unless f needs all of it
  /// (or a costly setup per partition).
  template <class F>
  auto mapPartitions(F f, Loc loc = Loc::current()) const;
  /// As mapPartitions, with the partition index: f(int, std::vector<T>&&).
  template <class F>
  auto mapPartitionsWithIndex(F f, Loc loc = Loc::current()) const;
  /// The elements of this RDD, then those of `other` (duplicates kept).
  Rdd<T> union_(const Rdd<T>& other, Loc loc = Loc::current()) const;
  /// Each partition as one vector.
  Rdd<std::vector<T>> glom(Loc loc = Loc::current()) const;
  /// A random sample: each element kept with probability `fraction`
  /// (withReplacement = false), or repeated a Poisson(fraction) number of
  /// times (true). The same seed gives the same sample; the default seed is
  /// derived from the RDD's id, so it is the same in every run.
  Rdd<T> sample(bool withReplacement, double fraction, std::optional<uint64_t> seed = std::nullopt,
                Loc loc = Loc::current()) const;
  /// At most numPartitions partitions, by merging neighbouring ones in one
  /// task (no shuffle). Asking for more partitions keeps the current count.
  Rdd<T> coalesce(int numPartitions, Loc loc = Loc::current()) const;
  /// (element, its index in the RDD's order). Runs a job to count the
  /// partitions first when there are several, as Spark does.
  Rdd<std::pair<T, int64_t>> zipWithIndex(Loc loc = Loc::current()) const;
  /// (element, unique id): ids k, n+k, 2n+k, ... in partition k of n; no job.
  Rdd<std::pair<T, int64_t>> zipWithUniqueId(Loc loc = Loc::current()) const;
  /// (f(x), x) for each element.
  template <class F>
  auto keyBy(F f, Loc loc = Loc::current()) const;
  /// Each partition's elements, one per line, through `/bin/sh -c command`;
  /// its output lines form the result. A non-zero exit fails the task.
  Rdd<std::string> pipe(const std::string& command, Loc loc = Loc::current()) const;

  // ---- Pair transformations: for Rdd<std::pair<K, V>> ----

  /// Merges the values of each key with the associative and commutative
  /// f(const V&, const V&) -> V, combining within each map task before the
  /// shuffle. numPartitions default: ember.default.parallelism, else the
  /// partition count of this RDD.
  template <class F>
  auto reduceByKey(F f, int numPartitions = 0, Loc loc = Loc::current()) const;
  /// (key, every value of the key) with values as std::vector<V>. All values
  /// of a key cross the shuffle: prefer reduceByKey when aggregating.
  auto groupByKey(int numPartitions = 0, Loc loc = Loc::current()) const;
  /// The same pairs, placed by `partitioner`.
  Rdd<T> partitionBy(HashPartitioner partitioner, Loc loc = Loc::current()) const;
  Rdd<T> partitionBy(int numPartitions, Loc loc = Loc::current()) const;
  /// (key, f(value)); keys untouched.
  template <class F>
  auto mapValues(F f, Loc loc = Loc::current()) const;
  auto keys(Loc loc = Loc::current()) const;
  auto values(Loc loc = Loc::current()) const;

  // ---- Actions: each runs a job ----

  /// Every element, in partition order. The result must fit in memory.
  std::vector<T> collect(Loc loc = Loc::current()) const;
  int64_t count(Loc loc = Loc::current()) const;
  /// The first element. Throws Error when the RDD is empty.
  T first(Loc loc = Loc::current()) const;
  /// The first n elements, reading as few partitions as it can.
  std::vector<T> take(int64_t n, Loc loc = Loc::current()) const;
  /// `num` elements drawn at random (with or without replacement).
  std::vector<T> takeSample(bool withReplacement, int64_t num,
                            std::optional<uint64_t> seed = std::nullopt,
                            Loc loc = Loc::current()) const;
  /// The n largest elements, largest first; `comp` is the "less than".
  template <class Compare = std::less<>>
  std::vector<T> top(int64_t n, Compare comp = {}, Loc loc = Loc::current()) const;
  /// The n smallest elements, smallest first.
  template <class Compare = std::less<>>
  std::vector<T> takeOrdered(int64_t n, Compare comp = {}, Loc loc = Loc::current()) const;
  /// Combines all elements with the associative, commutative f(const T&,
  /// const T&) -> T. Throws Error when the RDD is empty.
  template <class F>
  T reduce(F f, Loc loc = Loc::current()) const;
  /// As reduce, starting each partition and the final merge from `zero`
  /// (which must be f's identity).
  template <class F>
  T fold(T zero, F f, Loc loc = Loc::current()) const;
  /// seqOp(U, const T&) -> U within partitions, combOp(U, U) -> U across.
  template <class U, class SeqOp, class CombOp>
  U aggregate(U zero, SeqOp seqOp, CombOp combOp, Loc loc = Loc::current()) const;
  /// As reduce, merging partition results in a tree of the given depth
  /// through shuffles, so that no single task merges them all.
  template <class F>
  T treeReduce(F f, int depth = 2, Loc loc = Loc::current()) const;
  template <class U, class SeqOp, class CombOp>
  U treeAggregate(U zero, SeqOp seqOp, CombOp combOp, int depth = 2,
                  Loc loc = Loc::current()) const;
  /// Runs f(const T&) on every element, in the tasks.
  template <class F>
  void foreach (F f, Loc loc = Loc::current()) const;
  /// Runs f(std::vector<T>&&) once per partition.
  template <class F>
  void foreachPartition(F f, Loc loc = Loc::current()) const;
  /// How often each distinct element occurs. T needs a boost::hash.
  std::map<T, int64_t> countByValue(Loc loc = Loc::current()) const;
  bool isEmpty(Loc loc = Loc::current()) const;
  /// The smallest / largest element. Throws Error when the RDD is empty.
  template <class Compare = std::less<>>
  T min(Compare comp = {}, Loc loc = Loc::current()) const;
  template <class Compare = std::less<>>
  T max(Compare comp = {}, Loc loc = Loc::current()) const;
  /// For numbers: the sum (in T), the mean, and count/mean/stdev/min/max.
  T sum(Loc loc = Loc::current()) const;
  double mean(Loc loc = Loc::current()) const;
  StatCounter stats(Loc loc = Loc::current()) const;
  /// For numbers: bucketCount equal buckets between the min and the max, as
  /// (bucket boundaries, counts); the last bucket includes the max.
  std::pair<std::vector<double>, std::vector<int64_t>> histogram(int bucketCount,
                                                                 Loc loc = Loc::current()) const;
  /// Counts per bucket [b0, b1), [b1, b2), ..., [bn-1, bn] of sorted `buckets`.
  std::vector<int64_t> histogram(std::vector<double> buckets, Loc loc = Loc::current()) const;
  /// Writes one part-NNNNN file per partition into directory `path`, one
  /// element per line ("key\tvalue" for pairs), then _SUCCESS. Throws
  /// IoError when `path` exists; a failed job leaves no `path` behind.
  void saveAsTextFile(const std::string& path, Loc loc = Loc::current()) const;
  /// For pairs: how many pairs each key has.
  auto countByKey(Loc loc = Loc::current()) const;

 private:
  /// Runs `perPartition(partition, TaskContext&) -> R` on the given
  /// partitions (default: all) and returns the results in that order.
  template <class R, class F>
  std::vector<R> runJob(F perPartition, const char* action, const Loc& loc,
                        std::optional<std::vector<int>> partitions = std::nullopt) const;
  /// Computes partition p, calling f(std::vector<T>&) for each batch.
  template <class F>
  void computePartition(int p, TaskContext& tc, F&& f) const;
  template <class U, class MakeOp>
  Rdd<U> derive(const char* operation, const Loc& loc, MakeOp makeOp) const;
  /// A shuffle of this RDD's pairs by `partitioner` with `aggregator`.
  template <class C, bool kMapSideCombine, class Agg>
  auto shuffle(const char* operation, const Loc& loc, Agg aggregator,
               HashPartitioner partitioner) const;
  HashPartitioner defaultPartitioner(int numPartitions) const;

  detail::NodePtr<T> node_;
};

}  // namespace ember

#include "rdd/impl/actions.hpp"
#include "rdd/impl/context.hpp"
#include "rdd/impl/pair_functions.hpp"
#include "rdd/impl/transformations.hpp"
