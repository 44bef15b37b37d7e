#pragma once
// ShuffleDependency and ShuffledRdd: the two sides of a shuffle.

#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "common/error.hpp"
#include "rdd/detail/aggregator.hpp"
#include "rdd/detail/bucket_writer.hpp"
#include "rdd/detail/external_aggregator.hpp"
#include "rdd/detail/external_sorter.hpp"
#include "rdd/detail/key_ordering.hpp"
#include "rdd/detail/node.hpp"
#include "rdd/detail/shuffle_reader.hpp"
#include "storage/map_output.hpp"

namespace ember::detail {

/// A shuffle whose reduce side does not sort.
struct NoOrdering {};

/// Bytes a value adds to a combiner that collects values (a vector, a
/// group): its size; nothing for a fixed-size combiner such as a sum.
template <class C, class V>
int64_t combinerGrowth(const V& value) {
  if constexpr (std::is_trivially_copyable_v<C>) {
    return 0;
  } else {
    return estimateSize(value);
  }
}

/// Records of type (K, V) are bucketed by `Part`. With an Aggregator and
/// kMapSideCombine, each map task first combines values of equal keys into
/// one (K, C) per key, straight from the fused stage's batches; the reduce
/// side then merges combiners. Without map-side combine, (K, V) records
/// travel and the reduce side builds the combiners.
template <class K, class V, class C, class Agg, class Part, bool kMapSideCombine>
class ShuffleDependency final : public ShuffleDependencyBase {
 public:
  using Input = std::pair<K, V>;
  using Shipped = std::pair<K, std::conditional_t<kMapSideCombine, C, V>>;
  static_assert(kSerializable<Shipped>,
                "ember cannot serialize the records of this shuffle: give the key and value types "
                "a cereal serialize(Archive&) function, or make them trivially copyable");

  ShuffleDependency(NodePtr<Input> parent, Agg aggregator, std::shared_ptr<const Part> partitioner)
      : ShuffleDependencyBase(parent->runtime()->nextShuffleId++),
        parent_(std::move(parent)),
        parentBase_(parent_),
        aggregator_(std::move(aggregator)),
        partitioner_(std::move(partitioner)),
        runtime_(parent_->runtime()) {
    runtime_->shuffles.registerShuffle(shuffleId(), parent_->numPartitions());
  }

  ~ShuffleDependency() override { runtime_->releaseShuffle(shuffleId()); }

  const std::shared_ptr<RddNode>& rdd() const override { return parentBase_; }
  int numReducePartitions() const override { return partitioner_->numPartitions(); }
  const Agg& aggregator() const { return aggregator_; }
  const std::shared_ptr<const Part>& partitioner() const { return partitioner_; }
  const std::shared_ptr<Runtime>& runtime() const { return runtime_; }

  void runMapTask(int mapId, TaskContext& tc) override {
    BucketWriter<Shipped> writer(numReducePartitions(), *runtime_, tc.metrics());
    if constexpr (kMapSideCombine) {
      combineInto(mapId, tc, writer);
    } else {
      auto sink = makeSink<Input>([&](std::vector<Input>& batch) {
        for (Input& kv : batch) writer.add(partitioner_->getPartition(kv.first), std::move(kv));
      });
      parent_->iterator(mapId, tc, sink);
    }
    runtime_->shuffles.putMapOutput(shuffleId(), mapId, writer.finish());
  }

 private:
  /// Map-side combine: a table of combiners that, when it outgrows the
  /// task's memory, is written to disk as it is. Reducers merge partial
  /// combiners anyway, so a spilled table needs no merge on the map side.
  void combineInto(int mapId, TaskContext& tc, BucketWriter<Shipped>& writer) {
    CombineTable<K, C> table;
    int64_t heap = 0;
    MemoryReservation reservation(*runtime_->memory);
    auto bucketOf = [&](const auto& entry) { return partitioner_->getPartition(entry.first); };
    auto sink = makeSink<Input>([&](std::vector<Input>& batch) {
      for (Input& kv : batch) {
        auto [it, inserted] = tryEmplaceWith(
            table, std::move(kv.first), [&] { return aggregator_.create(std::move(kv.second)); });
        if (inserted) {
          heap += heapSize(it->first) + heapSize(it->second);
        } else {
          heap += combinerGrowth<C>(kv.second);
          aggregator_.mergeValue(it->second, std::move(kv.second));
        }
      }
      const int64_t bytes = tableBytes(table, heap);
      if (bytes > reservation.held() && !reservation.ensure(bytes)) {
        writer.spill(table, bucketOf, bytes);
        table = CombineTable<K, C>();
        heap = 0;
        reservation.release();
      }
    });
    parent_->iterator(mapId, tc, sink);
    if (writer.spilled()) {
      writer.spill(table, bucketOf, tableBytes(table, heap));
      return;
    }
    reservation.release();
    for (auto& [key, combiner] : table)
      writer.add(partitioner_->getPartition(key), Shipped(key, std::move(combiner)));
  }

  NodePtr<Input> parent_;
  std::shared_ptr<RddNode> parentBase_;
  Agg aggregator_;
  std::shared_ptr<const Part> partitioner_;
  std::shared_ptr<Runtime> runtime_;
};

/// The reduce side: partition p reads bucket p of the map outputs that hold
/// records for it (see ShuffleReader). Map outputs stay readable for later jobs (that is
/// what lets the scheduler skip a finished stage), so records held in
/// memory are copied out of them, never moved.
template <class K, class V, class C, class Agg, class Part, bool kMapSideCombine,
          class Ordering = NoOrdering>
class ShuffledRdd final : public Node<std::pair<K, C>> {
 public:
  using Dep = ShuffleDependency<K, V, C, Agg, Part, kMapSideCombine>;
  using Shipped = typename Dep::Shipped;
  using Output = std::pair<K, C>;

  ShuffledRdd(std::string name, std::string callSite, NodePtr<std::pair<K, V>> parent,
              Agg aggregator, std::shared_ptr<const Part> partitioner, Ordering ordering = {})
      : ShuffledRdd(
            std::move(name), std::move(callSite),
            std::make_shared<Dep>(std::move(parent), std::move(aggregator), std::move(partitioner)),
            std::move(ordering)) {}

  void compute(int p, TaskContext& tc, Sink<Output>& out) override {
    Emitter<Output> emitter(out, this->runtime()->batchSize);
    const Runtime& rt = *this->runtime();
    ShuffleReader<Shipped> reader(rt, dep_->shuffleId(), p, tc);
    if constexpr (requires { typename Agg::ReducesItself; }) {
      dep_->aggregator().reduce(reader, rt, tc.metrics(), emitter);
    } else if constexpr (!std::is_same_v<Agg, NoAggregator>) {
      const Agg& agg = dep_->aggregator();
      ExternalAggregator<K, C, decltype(agg.mergeCombiners)> table(agg.mergeCombiners, rt,
                                                                   tc.metrics());
      reader.readAll([&](auto&& kv) { insert(table, agg, std::forward<decltype(kv)>(kv)); });
      table.drain(
          [&](K&& key, C&& combiner) { emitter.emit(std::move(key), std::move(combiner)); });
    } else if constexpr (!std::is_same_v<Ordering, NoOrdering>) {
      // Declared first: the buckets it pins outlive the sorter that points into them.
      std::vector<std::shared_ptr<const void>> pins;
      ExternalSorter<Output, Ordering> sorter(ordering_, rt, tc.metrics());
      auto add = [&](auto&& kv) {
        if constexpr (std::is_lvalue_reference_v<decltype(kv)>) {
          sorter.addBorrowed(kv);
        } else {
          sorter.add(std::move(kv));
        }
      };
      reader.readAll(add, &pins);
      sorter.drain([&](Output&& kv) { emitter.emit(std::move(kv)); });
    } else {
      reader.readAll([&](auto&& kv) { emitter.emit(std::forward<decltype(kv)>(kv)); });
    }
    emitter.flush();
  }

 private:
  ShuffledRdd(std::string name, std::string callSite, std::shared_ptr<Dep> dep, Ordering ordering)
      : Node<Output>(dep->runtime(), std::move(name), std::move(callSite),
                     dep->numReducePartitions(),
                     {Dependency{DependencyKind::kShuffle, dep->rdd(), dep}}),
        dep_(std::move(dep)),
        ordering_(std::move(ordering)) {
    this->setPartitioner(dep_->partitioner());
  }

  template <class Table, class Record>
  static void insert(Table& table, const Agg& agg, Record&& kv) {
    using Value = typename std::remove_cvref_t<Record>::second_type;
    auto&& value = std::forward<Record>(kv).second;
    const int64_t growth = combinerGrowth<C>(value);
    if constexpr (kMapSideCombine) {
      table.insert(
          std::forward<Record>(kv).first, [&] { return C(std::forward<decltype(value)>(value)); },
          [&](C& into) { agg.mergeCombiners(into, C(std::forward<decltype(value)>(value))); },
          growth);
    } else {
      table.insert(
          std::forward<Record>(kv).first,
          [&] { return agg.create(Value(std::forward<decltype(value)>(value))); },
          [&](C& into) { agg.mergeValue(into, Value(std::forward<decltype(value)>(value))); },
          growth);
    }
  }

  std::shared_ptr<Dep> dep_;
  Ordering ordering_;
};

}  // namespace ember::detail
