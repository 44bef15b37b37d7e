#pragma once
// The per-partition operations behind Rdd's pair functions.

#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <tuple>
#include <utility>
#include <variant>
#include <vector>

#include "common/error.hpp"
#include "rdd/detail/external_aggregator.hpp"
#include "rdd/detail/narrow_ops.hpp"
#include "rdd/detail/node.hpp"
#include "rdd/detail/shuffled_rdd.hpp"

namespace ember::detail {

/// combineByKey within each partition, for pairs already placed by the
/// target partitioner: the same bounded-memory table as a shuffle's reduce
/// side, without the shuffle.
template <class K, class V, class C, class Agg>
struct AggregateOp {
  using Table = ExternalAggregator<K, C, decltype(Agg::mergeCombiners)>;
  const Agg* agg;
  std::unique_ptr<Table> table;

  AggregateOp(const Agg& a, const Runtime& rt)
      : agg(&a),
        table(std::make_unique<Table>(a.mergeCombiners, rt, TaskContext::get()->metrics())) {}

  void operator()(std::vector<std::pair<K, V>>& batch, Emitter<std::pair<K, C>>&) {
    for (auto& [key, value] : batch) {
      const int64_t growth = combinerGrowth<C>(value);
      table->insert(
          std::move(key), [&] { return agg->create(std::move(value)); },
          [&](C& into) { agg->mergeValue(into, std::move(value)); }, growth);
    }
  }

  void finish(Emitter<std::pair<K, C>>& out) {
    table->drain([&](K&& key, C&& combiner) { out.emit(std::move(key), std::move(combiner)); });
  }
};

/// Adds a value tagged with the index of its RDD to that RDD's group.
template <class Groups, class Tagged>
void addTagged(Groups& groups, Tagged&& tagged) {
  [&]<size_t... I>(std::index_sequence<I...>) {
    ((tagged.index() == I ? std::get<I>(groups).push_back(std::get<I>(std::move(tagged))) : void()),
     ...);
  }
  (std::make_index_sequence<std::variant_size_v<std::remove_cvref_t<Tagged>>>{});
}

template <class Groups>
void appendGroups(Groups& into, Groups&& more) {
  [&]<size_t... I>(std::index_sequence<I...>) {
    auto append = [](auto& to, auto& from) {
      to.insert(to.end(), std::make_move_iterator(from.begin()),
                std::make_move_iterator(from.end()));
    };
    (append(std::get<I>(into), std::get<I>(more)), ...);
  }
  (std::make_index_sequence<std::tuple_size_v<Groups>>{});
}

/// Turns cogrouped (key, (values here, values there)) into join output:
/// every pair of values, and, for an outer side, its values alone when the
/// other side has none (as std::nullopt).
template <bool kLeftOuter, bool kRightOuter>
struct JoinOp {
  template <class In, class Out>
  void operator()(std::vector<In>& batch, Emitter<Out>& out) const {
    for (auto& [key, groups] : batch) {
      auto& [left, right] = groups;
      if constexpr (kLeftOuter) {
        if (right.empty()) {
          for (auto& v : left) out.emit(key, typename Out::second_type(std::move(v), std::nullopt));
        }
      }
      if constexpr (kRightOuter) {
        if (left.empty()) {
          for (auto& w : right)
            out.emit(key, typename Out::second_type(std::nullopt, std::move(w)));
        }
      }
      for (const auto& v : left) {
        for (const auto& w : right) out.emit(key, typename Out::second_type(v, w));
      }
    }
  }
};

/// sampleByKey: each pair kept (or repeated) at its key's fraction.
template <class T, class Fractions>
struct SampleByKeyOp {
  bool withReplacement;
  const Fractions* fractions;
  std::mt19937_64 rng;

  void operator()(std::vector<T>& batch, Emitter<T>& out) {
    std::uniform_real_distribution<double> u(0.0, 1.0);
    for (T& kv : batch) {
      auto it = fractions->find(kv.first);
      if (it == fractions->end())
        throw Error("sampleByKey: a key has no fraction: every key of the RDD needs one");
      if (!withReplacement) {
        if (u(rng) < it->second) out.emit(std::move(kv));
        continue;
      }
      if (it->second <= 0) continue;
      for (int k = std::poisson_distribution<int>(it->second)(rng); k > 0; --k) out.emit(kv);
    }
  }
};

}  // namespace ember::detail
