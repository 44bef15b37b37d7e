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
#include "rdd/detail/shuffled_rdd.hpp"
#include "rdd/detail/traits.hpp"
#include "rdd/hash_partitioner.hpp"
#include "rdd/partitioner.hpp"
#include "rdd/range_partitioner.hpp"
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

  /// How a shuffle placed this RDD's keys (null when unknown). Operations
  /// that keep keys in place (mapValues, flatMapValues, filter) keep it, and
  /// a pair operation onto an equal partitioner then needs no shuffle.
  const PartitionerPtr& partitioner() const { return node_->partitioner(); }
  const detail::NodePtr<T>& node() const { return node_; }

  // ---- Persistence (rdd/impl/persistence.hpp) ----

  /// Keeps the partitions, once computed by the next action, in the block
  /// manager at `level`, so later jobs read them instead of recomputing
  /// them. MEMORY_ONLY partitions that do not fit, or that execution
  /// evicts, are recomputed from lineage when needed; the disk levels move
  /// them to ember.local.dir instead; the _SER levels hold them serialized
  /// and lz4-compressed (smaller, slower to read). Returns this RDD (same
  /// id). Throws Error when the RDD has another level already, and when a
  /// level that serializes is asked for records that cannot be serialized.
  Rdd<T> persist(StorageLevel level = StorageLevel::MEMORY_ONLY) const;
  /// persist(MEMORY_ONLY).
  Rdd<T> cache() const { return persist(StorageLevel::MEMORY_ONLY); }
  /// Removes the partitions from memory and disk and sets the level to
  /// NONE. Local mode frees them at once, `blocking` or not; on a cluster
  /// the driver tells every executor to, and with `blocking` waits until
  /// they have.
  Rdd<T> unpersist(bool blocking = false) const;
  /// Marks the RDD for checkpointing (ctx.setCheckpointDir first): after
  /// the next action, a job writes its partitions to files in the
  /// checkpoint directory, which outlive the program, and the lineage is
  /// cut there: later jobs read the files. That job computes the RDD again
  /// unless it is persisted: persist it first.
  void checkpoint() const;
  /// As checkpoint, but the partitions stay in the block manager (at
  /// MEMORY_AND_DISK, or the RDD's level plus disk): faster, lost with the
  /// executor or by unpersist(). Returns this RDD. Throws Error on several
  /// processes, where it is not supported yet.
  Rdd<T> localCheckpoint() const;
  /// True once a checkpoint has been written and the lineage cut.
  bool isCheckpointed() const;
  bool isLocallyCheckpointed() const;
  /// The directory of the checkpoint files, once written.
  std::optional<std::string> getCheckpointFile() const;

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
  /// With shuffle = true, records are spread evenly over exactly
  /// numPartitions partitions through a shuffle (as repartition does).
  Rdd<T> coalesce(int numPartitions, bool shuffle = false, Loc loc = Loc::current()) const;
  /// Exactly numPartitions partitions of about equal size, through a shuffle.
  Rdd<T> repartition(int numPartitions, Loc loc = Loc::current()) const;
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

  // ---- Set operations: shuffles (but cartesian, zip, zipPartitions) ----

  /// Each distinct element once. T needs a boost::hash and ==.
  Rdd<T> distinct(int numPartitions = 0, Loc loc = Loc::current()) const;
  /// The distinct elements present in both RDDs.
  Rdd<T> intersection(const Rdd<T>& other, int numPartitions = 0, Loc loc = Loc::current()) const;
  /// The elements of this RDD that `other` does not contain (duplicates kept).
  Rdd<T> subtract(const Rdd<T>& other, int numPartitions = 0, Loc loc = Loc::current()) const;
  /// Every pair (a, b) of an element of this RDD and one of `other`; one
  /// partition per pair of partitions. Each task holds a partition of
  /// `other` in memory.
  template <class U>
  Rdd<std::pair<T, U>> cartesian(const Rdd<U>& other, Loc loc = Loc::current()) const;
  /// (i-th element of this, i-th element of other), partition by partition.
  /// Both need the same number of partitions, and of elements in each.
  template <class U>
  Rdd<std::pair<T, U>> zip(const Rdd<U>& other, Loc loc = Loc::current()) const;
  /// f(std::vector<T>&&, std::vector<U>&&) -> a range, for each pair of
  /// partitions with the same index. Both partitions are held in memory.
  template <class U, class F>
  auto zipPartitions(const Rdd<U>& other, F f, Loc loc = Loc::current()) const;
  /// The elements sorted by f(const T&), through a range-partitioning shuffle.
  template <class F, class Compare = std::less<>>
  Rdd<T> sortBy(F f, bool ascending = true, int numPartitions = 0, Compare comp = {},
                Loc loc = Loc::current()) const;

  // ---- Pair transformations: for Rdd<std::pair<K, V>> ----
  // A shuffling operation given no partition count uses this RDD's
  // partitioner when it has one (and then does not shuffle), else
  // ember.default.parallelism, else this RDD's partition count.

  /// Merges the values of each key with the associative and commutative
  /// f(const V&, const V&) -> V, combining within each map task before the
  /// shuffle.
  template <class F>
  auto reduceByKey(F f, int numPartitions = 0, Loc loc = Loc::current()) const;
  /// Spark's general aggregation: createCombiner(const V&) -> C starts a
  /// key's combiner, mergeValue(C, const V&) -> C adds a value within a
  /// partition, mergeCombiners(C, C) -> C merges across partitions.
  template <class Create, class MergeValue, class MergeCombiners>
  auto combineByKey(Create createCombiner, MergeValue mergeValue, MergeCombiners mergeCombiners,
                    int numPartitions = 0, Loc loc = Loc::current()) const;
  /// Per key: seqOp(U, const V&) -> U from `zero` within partitions,
  /// combOp(U, U) -> U across them.
  template <class U, class SeqOp, class CombOp>
  auto aggregateByKey(U zero, SeqOp seqOp, CombOp combOp, int numPartitions = 0,
                      Loc loc = Loc::current()) const;
  /// As reduceByKey, starting each key of each partition from `zero`.
  template <class F>
  auto foldByKey(detail::ValueOf<T> zero, F f, int numPartitions = 0,
                 Loc loc = Loc::current()) const;
  /// (key, every value of the key) with values as std::vector<V>. All values
  /// of a key cross the shuffle and one key's values must fit in memory:
  /// prefer reduceByKey or aggregateByKey when aggregating.
  auto groupByKey(int numPartitions = 0, Loc loc = Loc::current()) const;
  /// The same pairs, placed by `partitioner` (a HashPartitioner or a
  /// RangePartitioner). No shuffle when they are placed so already.
  template <class Part>
  Rdd<T> partitionBy(Part partitioner, Loc loc = Loc::current()) const;
  Rdd<T> partitionBy(int numPartitions, Loc loc = Loc::current()) const;
  /// Places the pairs by `partitioner` and sorts each partition by key, in
  /// one shuffle: cheaper than partitionBy then sorting.
  template <class Part, class Compare = std::less<>>
  Rdd<T> repartitionAndSortWithinPartitions(Part partitioner, Compare comp = {},
                                            Loc loc = Loc::current()) const;
  /// The pairs sorted by key: partition i holds keys before those of
  /// partition i+1. Samples the keys first (a job) to choose the ranges.
  template <class Compare = std::less<>>
  Rdd<T> sortByKey(bool ascending = true, int numPartitions = 0, Compare comp = {},
                   Loc loc = Loc::current()) const;
  /// (key, f(value)); keys untouched, so the partitioner is kept.
  template <class F>
  auto mapValues(F f, Loc loc = Loc::current()) const;
  /// (key, w) for each w of the range f(const V&) returns.
  template <class F>
  auto flatMapValues(F f, Loc loc = Loc::current()) const;
  auto keys(Loc loc = Loc::current()) const;
  auto values(Loc loc = Loc::current()) const;
  /// (key, (v, w)) for every pair of values of a key present in both.
  template <class W>
  auto join(const Rdd<std::pair<detail::KeyOf<T>, W>>& other, int numPartitions = 0,
            Loc loc = Loc::current()) const;
  /// As join, keeping keys missing from `other` with std::nullopt.
  template <class W>
  auto leftOuterJoin(const Rdd<std::pair<detail::KeyOf<T>, W>>& other, int numPartitions = 0,
                     Loc loc = Loc::current()) const;
  /// As join, keeping keys missing from this RDD with std::nullopt.
  template <class W>
  auto rightOuterJoin(const Rdd<std::pair<detail::KeyOf<T>, W>>& other, int numPartitions = 0,
                      Loc loc = Loc::current()) const;
  /// As join, keeping keys missing from either side.
  template <class W>
  auto fullOuterJoin(const Rdd<std::pair<detail::KeyOf<T>, W>>& other, int numPartitions = 0,
                     Loc loc = Loc::current()) const;
  /// (key, (values here, values in other)) for every key of either.
  template <class W>
  auto cogroup(const Rdd<std::pair<detail::KeyOf<T>, W>>& other, int numPartitions = 0,
               Loc loc = Loc::current()) const;
  /// (key, (values here, in other1, in other2)) as a std::tuple of vectors.
  template <class W1, class W2>
  auto cogroup(const Rdd<std::pair<detail::KeyOf<T>, W1>>& other1,
               const Rdd<std::pair<detail::KeyOf<T>, W2>>& other2, int numPartitions = 0,
               Loc loc = Loc::current()) const;
  /// The pairs whose key `other` does not have.
  template <class W>
  Rdd<T> subtractByKey(const Rdd<std::pair<detail::KeyOf<T>, W>>& other, int numPartitions = 0,
                       Loc loc = Loc::current()) const;
  /// A sample of each key's pairs, keeping fraction fractions.at(key) of
  /// them (every key present needs a fraction).
  template <class Fractions>
  Rdd<T> sampleByKey(bool withReplacement, const Fractions& fractions,
                     std::optional<uint64_t> seed = std::nullopt, Loc loc = Loc::current()) const;

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
  /// For pairs: the pairs as a map (for a repeated key, one of its values).
  auto collectAsMap(Loc loc = Loc::current()) const;
  /// For pairs: every value of `key`. Reads only the key's partition when
  /// the partitioner is known.
  auto lookup(const detail::KeyOf<T>& key, Loc loc = Loc::current()) const;

 private:
  template <class>
  friend class Rdd;

  /// Runs `perPartition(partition, TaskContext&) -> R` on the given
  /// partitions (default: all) and returns the results in that order;
  /// `end` as ResultTask's.
  template <class R, class F>
  std::vector<R> runJob(F perPartition, const char* action, const Loc& loc,
                        std::optional<std::vector<int>> partitions = std::nullopt,
                        std::function<void(bool)> end = {}) const;
  /// Computes partition p, calling f(std::vector<T>&) for each batch.
  template <class F>
  void computePartition(int p, TaskContext& tc, F&& f) const;
  template <class U, class MakeOp>
  Rdd<U> derive(const char* operation, const Loc& loc, MakeOp makeOp,
                bool preservesPartitioning = false) const;
  /// A shuffle of this RDD's pairs by `partitioner` with `aggregator`.
  template <class C, bool kMapSideCombine, class Agg, class Part,
            class Ordering = detail::NoOrdering>
  auto shuffle(const char* operation, const Loc& loc, Agg aggregator, Part partitioner,
               Ordering ordering = {}, const char* name = "ShuffledRDD") const;
  /// combineByKey with in-place functions (see detail::Aggregator): through
  /// a shuffle, or within partitions when they are placed already.
  template <class C, bool kMapSideCombine, class Agg>
  auto combine(const char* operation, const Loc& loc, Agg aggregator, int numPartitions) const;
  HashPartitioner defaultPartitioner(int numPartitions) const;
  template <bool kLeftOuter, bool kRightOuter, class W>
  auto joinWith(const char* operation, const Rdd<std::pair<detail::KeyOf<T>, W>>& other,
                int numPartitions, const Loc& loc) const;
  /// (key, (values of each RDD)): Groups is a pair or tuple of vectors.
  /// Join, when not void, is a detail::HashJoin: the result is then its
  /// joined pairs, not the groups.
  template <class Groups, class Join, class... Sides>
  auto cogroupAll(const char* operation, const Loc& loc, int numPartitions,
                  const Sides&... sides) const;
  template <class K, class V, class Compare>
  friend std::vector<K> detail::sampleRangeBounds(const Rdd<std::pair<K, V>>&, int, const Compare&,
                                                  const std::source_location&);

  detail::NodePtr<T> node_;
};

}  // namespace ember

#include "rdd/impl/actions.hpp"
#include "rdd/impl/context.hpp"
#include "rdd/impl/node.hpp"
#include "rdd/impl/pair_functions.hpp"
#include "rdd/impl/persistence.hpp"
#include "rdd/impl/set_functions.hpp"
#include "rdd/impl/transformations.hpp"
