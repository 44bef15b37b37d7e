#pragma once
// ShuffleDependency and ShuffledRdd: the two sides of a hash shuffle.

#include <boost/unordered/unordered_flat_map.hpp>

#include "rdd/detail/aggregator.hpp"
#include "rdd/detail/key_hash.hpp"
#include "rdd/detail/node.hpp"
#include "storage/map_output.hpp"
#include "storage/size_estimator.hpp"

namespace ember::detail {

template <class K, class C>
using CombineTable = boost::unordered_flat_map<K, C, KeyHash<K>, KeyEqual<K>>;

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

  ShuffleDependency(NodePtr<Input> parent, Agg aggregator, Part partitioner)
      : ShuffleDependencyBase(parent->runtime()->nextShuffleId++),
        parent_(std::move(parent)),
        parentBase_(parent_),
        aggregator_(std::move(aggregator)),
        partitioner_(std::move(partitioner)),
        runtime_(parent_->runtime()) {
    runtime_->shuffles.registerShuffle(shuffleId(), parent_->numPartitions());
  }

  ~ShuffleDependency() override { runtime_->shuffles.unregisterShuffle(shuffleId()); }

  const std::shared_ptr<RddNode>& rdd() const override { return parentBase_; }
  int numReducePartitions() const override { return partitioner_.numPartitions(); }
  const Agg& aggregator() const { return aggregator_; }
  const std::shared_ptr<Runtime>& runtime() const { return runtime_; }

  void runMapTask(int mapId, TaskContext& tc) override {
    std::vector<std::vector<Shipped>> buckets(static_cast<size_t>(numReducePartitions()));
    if constexpr (kMapSideCombine) {
      CombineTable<K, C> table;
      auto sink = makeSink<Input>([&](std::vector<Input>& batch) {
        for (Input& kv : batch) {
          auto [it, inserted] = tryEmplaceWith(
              table, std::move(kv.first), [&] { return aggregator_.create(std::move(kv.second)); });
          if (!inserted) aggregator_.mergeValue(it->second, std::move(kv.second));
        }
      });
      parent_->compute(mapId, tc, sink);
      for (auto& [key, combiner] : table) {
        buckets[static_cast<size_t>(partitioner_.getPartition(key))].emplace_back(
            key, std::move(combiner));
      }
    } else {
      auto sink = makeSink<Input>([&](std::vector<Input>& batch) {
        for (Input& kv : batch) {
          buckets[static_cast<size_t>(partitioner_.getPartition(kv.first))].push_back(
              std::move(kv));
        }
      });
      parent_->compute(mapId, tc, sink);
    }
    store(mapId, tc, std::move(buckets));
  }

 private:
  void store(int mapId, TaskContext& tc, std::vector<std::vector<Shipped>> buckets) {
    std::vector<int64_t> bytes;
    for (const auto& bucket : buckets) {
      bytes.push_back(estimateBatchSize(bucket));
      tc.metrics().shuffleWriteRecords += static_cast<int64_t>(bucket.size());
      tc.metrics().shuffleWriteBytes += bytes.back();
    }
    runtime_->shuffles.putMapOutput(
        shuffleId(), mapId,
        std::make_shared<MapOutput<Shipped>>(std::move(buckets), std::move(bytes)));
  }

  NodePtr<Input> parent_;
  std::shared_ptr<RddNode> parentBase_;
  Agg aggregator_;
  Part partitioner_;
  std::shared_ptr<Runtime> runtime_;
};

/// The reduce side: partition p reads bucket p of every map output. Map
/// outputs stay readable for later jobs (that is what lets the scheduler skip
/// a finished stage), so records are copied out of them, never moved.
template <class K, class V, class C, class Agg, class Part, bool kMapSideCombine>
class ShuffledRdd final : public Node<std::pair<K, C>> {
 public:
  using Dep = ShuffleDependency<K, V, C, Agg, Part, kMapSideCombine>;
  using Output = std::pair<K, C>;

  ShuffledRdd(std::string callSite, NodePtr<std::pair<K, V>> parent, Agg aggregator,
              Part partitioner)
      : ShuffledRdd(std::move(callSite),
                    std::make_shared<Dep>(std::move(parent), std::move(aggregator),
                                          std::move(partitioner))) {}

  void compute(int p, TaskContext& tc, Sink<Output>& out) override {
    Emitter<Output> emitter(out, this->runtime()->batchSize);
    auto outputs = this->runtime()->shuffles.mapOutputs(dep_->shuffleId());
    if constexpr (std::is_same_v<Agg, NoAggregator>) {
      forEachShipped(outputs, p, tc, [&](const auto& kv) { emitter.emit(kv); });
    } else {
      CombineTable<K, C> table;
      const Agg& agg = dep_->aggregator();
      forEachShipped(outputs, p, tc, [&](const auto& kv) {
        auto [it, inserted] =
            tryEmplaceWith(table, kv.first, [&] { return startCombiner(agg, kv.second); });
        if (inserted) return;
        if constexpr (kMapSideCombine) {
          agg.mergeCombiners(it->second, C(kv.second));
        } else {
          agg.mergeValue(it->second, V(kv.second));
        }
      });
      for (auto& [key, combiner] : table) emitter.emit(key, std::move(combiner));
    }
    emitter.flush();
  }

 private:
  ShuffledRdd(std::string callSite, std::shared_ptr<Dep> dep)
      : Node<Output>(dep->runtime(), "ShuffledRDD", std::move(callSite), dep->numReducePartitions(),
                     {Dependency{DependencyKind::kShuffle, dep->rdd(), dep}}),
        dep_(std::move(dep)) {}

  template <class Shipped>
  static C startCombiner(const Agg& agg, const Shipped& value) {
    if constexpr (kMapSideCombine) {
      return value;
    } else {
      return agg.create(V(value));
    }
  }

  template <class F>
  static void forEachShipped(const std::vector<std::shared_ptr<const MapOutputBase>>& outputs,
                             int p, TaskContext& tc, F&& f) {
    for (const auto& output : outputs) {
      const auto& bucket = static_cast<const MapOutput<typename Dep::Shipped>&>(*output).bucket(p);
      tc.metrics().shuffleReadRecords += static_cast<int64_t>(bucket.size());
      tc.metrics().shuffleReadBytes += output->bucketBytes(p);
      for (const auto& kv : bucket) f(kv);
    }
  }

  std::shared_ptr<Dep> dep_;
};

}  // namespace ember::detail
