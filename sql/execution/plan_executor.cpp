#include "sql/execution/plan_executor.hpp"

#include <random>

#include "rdd/detail/map_partitions_rdd.hpp"
#include "rdd/detail/parallel_collection_rdd.hpp"
#include "rdd/detail/range_rdd.hpp"
#include "rdd/detail/zipped_partitions_rdd.hpp"
#include "scheduler/task_context.hpp"
#include "sql/execution/batch_sorter.hpp"
#include "sql/execution/batch_source_rdd.hpp"
#include "sql/execution/cache_manager.hpp"
#include "sql/execution/exchange.hpp"
#include "sql/execution/execution_settings.hpp"
#include "sql/execution/generate.hpp"
#include "sql/execution/grace_hash_join.hpp"
#include "sql/execution/join_planner.hpp"
#include "sql/execution/spilling_aggregator.hpp"
#include "sql/execution/window_operator.hpp"
#include "sql/expression/evaluator.hpp"
#include "sql/io/file_source.hpp"
#include "sql/plan/existing_rdd.hpp"
#include "sql/plan/expression_resolver.hpp"
#include "sql/plan/window.hpp"

namespace ember::sql {
namespace {

Rdd<Batch> source(const Execution& ex, const char* name, int partitions, BatchGenerator generate) {
  return Rdd<Batch>(std::make_shared<BatchSourceRdd>(ex.ctx.runtime(), name, name, partitions,
                                                     std::move(generate)));
}

Rdd<Batch> rangeRdd(const LogicalPlan& p, const Execution& ex) {
  const int64_t count = detail::rangeCount(p.start, p.end, p.step);
  const int parts = p.numPartitions;
  return source(ex, "Range", parts,
                [count, parts, start = p.start, step = p.step](
                    int part, std::vector<Batch>& scratch, detail::Sink<Batch>& out) {
                  const int64_t begin = detail::sliceStart(count, part, parts);
                  const int64_t end = detail::sliceStart(count, part + 1, parts);
                  for (int64_t i = begin; i < end; i += static_cast<int64_t>(kBatchRows)) {
                    const auto n = static_cast<size_t>(std::min<int64_t>(end - i, kBatchRows));
                    auto column = std::make_shared<ColumnVector>(DataType::bigint(), n);
                    int64_t* v = column->values<int64_t>();
                    // Unsigned, as RangeRdd: i * step alone may overflow.
                    for (size_t k = 0; k < n; ++k) {
                      v[k] =
                          static_cast<int64_t>(static_cast<uint64_t>(start) +
                                               static_cast<uint64_t>(i + static_cast<int64_t>(k)) *
                                                   static_cast<uint64_t>(step));
                    }
                    scratch.assign(1, Batch(n, {std::move(column)}));
                    out.push(scratch);
                  }
                });
}

Rdd<Batch> localRdd(const LogicalPlan& p, const Execution& ex) {
  return source(ex, "LocalTableScan", p.numPartitions,
                [data = p.local](int part, std::vector<Batch>& scratch, detail::Sink<Batch>& out) {
                  for (const Batch& b : data->partitions[static_cast<size_t>(part)]) {
                    scratch.assign(1, b);
                    out.push(scratch);
                  }
                });
}

/// The first `limit` rows of each partition (the lambda's copy per task
/// counts them).
Rdd<Batch> localLimit(const Rdd<Batch>& in, int64_t limit) {
  return in
      .map([left = limit](const Batch& b) mutable {
        const auto keep = static_cast<size_t>(std::min<int64_t>(left, b.numRows()));
        left -= static_cast<int64_t>(keep);
        if (keep == b.numRows()) return b;
        std::vector<uint32_t> rows(keep);
        for (size_t i = 0; i < keep; ++i) rows[i] = static_cast<uint32_t>(i);
        return b.gather(rows.data(), keep);
      })
      .filter([](const Batch& b) { return b.numRows() > 0; });
}

/// Runs an aggregation over each partition: its batches in, its groups out.
class AggregateOp {
 public:
  AggregateOp(AggregationSpec spec, const detail::Runtime& rt)
      : aggregator_(std::make_unique<SpillingAggregator>(std::move(spec), rt,
                                                         TaskContext::get()->metrics())) {}
  void operator()(std::vector<Batch>& batches, detail::Emitter<Batch>& out) {
    for (const Batch& b : batches) aggregator_->add(b, [&](Batch&& g) { out.emit(std::move(g)); });
  }
  void finish(detail::Emitter<Batch>& out) {
    aggregator_->finish([&](Batch&& g) { out.emit(std::move(g)); });
  }

 private:
  std::unique_ptr<SpillingAggregator> aggregator_;
};

Rdd<Batch> aggregateEach(const Rdd<Batch>& in, const char* name, AggregationSpec spec,
                         const Execution& ex) {
  return Rdd<Batch>(detail::mapPartitionsNode<Batch, Batch>(
      in.node(), name,
      [spec = std::move(spec), rt = ex.ctx.runtime()](int) { return AggregateOp(spec, *rt); }));
}

/// Spark's two HashAggregates around an exchange on the keys: partial
/// states per partition, then equal keys merged where they meet.
Rdd<Batch> aggregateRdd(const LogicalPlan& p, const Execution& ex) {
  const auto split = p.exprs.begin() + static_cast<std::ptrdiff_t>(p.groupCount);
  std::vector<ExprPtr> keys(p.exprs.begin(), split);
  std::vector<DataType> keyTypes;
  for (const ExprPtr& k : keys) keyTypes.push_back(k->type);
  std::vector<AggregateFunction> functions;
  for (auto it = split; it != p.exprs.end(); ++it) {
    const Expr* call = it->get();
    while (call->kind == ExprKind::kAlias) call = call->children[0].get();
    if (call->distinct) throw std::logic_error("ember: a distinct aggregate was not rewritten");
    functions.push_back(aggregateFunctionOf(*call));
  }
  AggregationSpec spec{AggregateMode::kPartial, keys, keyTypes, functions};
  Rdd<Batch> partial = aggregateEach(toRdd(p.child(), ex), "HashAggregate(partial)", spec, ex);
  const int partitions = keys.empty() ? 1 : ex.settings.shufflePartitions;
  // The partial results lead with the keys.
  std::vector<ExprPtr> leading;
  for (size_t i = 0; i < keys.size(); ++i) leading.push_back(boundColumn(p.schema, i));
  spec.mode = AggregateMode::kFinal;
  spec.keys.clear();
  return aggregateEach(hashExchange(partial, std::move(leading), partitions), "HashAggregate",
                       std::move(spec), ex);
}

void emitAll(std::vector<Batch>& batches, detail::Emitter<Batch>& out) {
  for (Batch& b : batches) out.emit(std::move(b));
  batches.clear();
}

/// Probes one table with every batch of a partition: the streamed side of
/// a broadcast hash join.
class ProbeOp {
 public:
  ProbeOp(std::shared_ptr<const JoinSpec> spec, std::shared_ptr<const JoinHashTable> table)
      : prober_(std::move(spec), std::move(table)) {}
  void operator()(std::vector<Batch>& batches, detail::Emitter<Batch>& out) {
    for (const Batch& b : batches) {
      prober_.probe(b, produced_);
      emitAll(produced_, out);
    }
  }
  void finish(detail::Emitter<Batch>& out) {
    prober_.finish(produced_);
    emitAll(produced_, out);
  }

 private:
  HashJoinProber prober_;
  std::vector<Batch> produced_;
};

/// The build side is computed by a job now and held by every process (the
/// job's result reaches each), as Spark's broadcast exchange runs first.
Rdd<Batch> broadcastHashJoin(std::shared_ptr<const JoinSpec> spec, const Rdd<Batch>& left,
                             const Rdd<Batch>& right) {
  const bool buildRight = spec->build == BuildSide::kRight;
  auto table = std::make_shared<JoinHashTable>(spec);
  for (const Batch& b : (buildRight ? right : left).collect()) table->add(b);
  table->build();
  std::shared_ptr<const JoinHashTable> shared = std::move(table);
  return Rdd<Batch>(detail::mapPartitionsNode<Batch, Batch>(
      (buildRight ? left : right).node(), "BroadcastHashJoin",
      [spec, shared](int) { return ProbeOp(spec, shared); }));
}

/// Both sides exchanged by key into the same partitions; each task joins
/// its partitions within its memory (GraceHashJoin).
Rdd<Batch> shuffledHashJoin(std::shared_ptr<const JoinSpec> spec, const Rdd<Batch>& left,
                            const Rdd<Batch>& right, int partitions, const Execution& ex) {
  auto op = [spec, rt = ex.ctx.runtime()](int p, detail::Node<Batch>& l, detail::Node<Batch>& r,
                                          TaskContext& tc, detail::Emitter<Batch>& out) {
    const bool buildRight = spec->build == BuildSide::kRight;
    GraceHashJoin join(spec, *rt, tc.metrics());
    auto emit = [&](Batch&& b) { out.emit(std::move(b)); };
    auto build = detail::makeSink<Batch>([&](std::vector<Batch>& batches) {
      for (const Batch& b : batches) join.addBuild(b);
    });
    (buildRight ? r : l).iterator(p, tc, build);
    auto stream = detail::makeSink<Batch>([&](std::vector<Batch>& batches) {
      for (const Batch& b : batches) join.addProbe(b, emit);
    });
    (buildRight ? l : r).iterator(p, tc, stream);
    join.finish(emit);
  };
  const Rdd<Batch> l = hashExchange(left, spec->leftKeys, partitions);
  const Rdd<Batch> r = hashExchange(right, spec->rightKeys, partitions);
  return Rdd<Batch>(
      std::make_shared<detail::ZippedPartitionsRdd<Batch, Batch, Batch, decltype(op)>>(
          "ShuffledHashJoin", l.node(), r.node(), std::move(op)));
}

Rdd<Batch> joinRdd(const LogicalPlan& p, const Execution& ex) {
  const ExecutionSettings& settings = ex.settings;
  JoinPlan plan = planJoin(p, settings.broadcastThreshold);
  auto spec = std::make_shared<const JoinSpec>(std::move(plan.spec));
  const Rdd<Batch> left = toRdd(*p.children[0], ex);
  const Rdd<Batch> right = toRdd(*p.children[1], ex);
  if (plan.strategy == JoinStrategy::kBroadcastHash) return broadcastHashJoin(spec, left, right);
  // Without keys every row meets in one partition.
  const int partitions = spec->leftKeys.empty() ? 1 : settings.shufflePartitions;
  return shuffledHashJoin(spec, left, right, partitions, ex);
}

/// Sorts each partition, keeping its first `limit` rows when limit >= 0.
class SortOp {
 public:
  SortOp(std::vector<ExprPtr> orders, const detail::Runtime& rt, int64_t limit)
      : sorter_(std::make_unique<BatchSorter>(std::move(orders), rt, TaskContext::get()->metrics(),
                                              limit)) {}
  void operator()(std::vector<Batch>& batches, detail::Emitter<Batch>&) {
    for (const Batch& b : batches) sorter_->add(b);
  }
  void finish(detail::Emitter<Batch>& out) {
    sorter_->finish([&](Batch&& b) { out.emit(std::move(b)); });
  }

 private:
  std::unique_ptr<BatchSorter> sorter_;
};

Rdd<Batch> sortEach(const Rdd<Batch>& in, const char* name, std::vector<ExprPtr> orders,
                    int64_t limit, const Execution& ex) {
  return Rdd<Batch>(detail::mapPartitionsNode<Batch, Batch>(
      in.node(), name, [orders = std::move(orders), rt = ex.ctx.runtime(), limit](int) {
        return SortOp(orders, *rt, limit);
      }));
}

/// orderBy: Spark's range exchange, then a sort of each partition.
Rdd<Batch> sortRdd(const LogicalPlan& p, const Execution& ex) {
  Rdd<Batch> in = toRdd(p.child(), ex);
  if (p.global) in = rangeExchange(in, p.exprs, ex.settings.shufflePartitions);
  return sortEach(in, "Sort", p.exprs, -1, ex);
}

/// Computes a Window node's expressions over each partition's sorted rows.
class WindowOp {
 public:
  WindowOp(const LogicalPlan& window, const detail::Runtime& rt)
      : window_(std::make_unique<WindowOperator>(window, rt)) {}
  void operator()(std::vector<Batch>& batches, detail::Emitter<Batch>& out) {
    for (const Batch& b : batches) window_->add(b, [&](Batch&& w) { out.emit(std::move(w)); });
  }
  void finish(detail::Emitter<Batch>& out) {
    window_->finish([&](Batch&& w) { out.emit(std::move(w)); });
  }

 private:
  std::unique_ptr<WindowOperator> window_;
};

/// Spark's plan of a Window: a hash exchange by the partition keys (one
/// partition without keys), a sort within each partition by keys and
/// orders, then the window operator.
Rdd<Batch> windowRdd(const PlanPtr& window, const Execution& ex) {
  Rdd<Batch> in = toRdd(window->child(), ex);
  if (!reusesChildPartitioning(*window)) {
    const std::vector<ExprPtr> keys = windowPartitionKeys(*window);
    in = hashExchange(in, keys, keys.empty() ? 1 : ex.settings.shufflePartitions);
  }
  const std::vector<ExprPtr> orders = windowSortOrders(*window);
  if (!orders.empty()) in = sortEach(in, "Sort", orders, -1, ex);
  return Rdd<Batch>(detail::mapPartitionsNode<Batch, Batch>(
      in.node(), "Window",
      [window, rt = ex.ctx.runtime()](int) { return WindowOp(*window, *rt); }));
}

/// Keeps each row with probability `fraction`, or (with replacement)
/// repeats it a Poisson(fraction) number of times, from the task's own
/// random sequence.
class SampleOp {
 public:
  SampleOp(double fraction, bool withReplacement, uint64_t seed)
      : fraction_(fraction), withReplacement_(withReplacement), random_(seed) {}
  void operator()(std::vector<Batch>& batches, detail::Emitter<Batch>& out) {
    for (const Batch& b : batches) {
      rows_.clear();
      if (withReplacement_) {
        repeatRows(b.numRows());
      } else {
        keepRows(b.numRows());
      }
      if (rows_.size() == b.numRows() && !withReplacement_) {
        out.emit(Batch(b));
      } else if (!rows_.empty()) {
        out.emit(b.gather(rows_.data(), rows_.size()));
      }
    }
  }

 private:
  void keepRows(size_t n) {
    // fraction of 2^64, compared with one 64-bit draw a row.
    const double scaled = fraction_ * 18446744073709551616.0;
    const uint64_t threshold =
        scaled >= 18446744073709551615.0 ? UINT64_MAX : static_cast<uint64_t>(scaled);
    for (size_t i = 0; i < n; ++i)
      if (random_() < threshold) rows_.push_back(static_cast<uint32_t>(i));
  }
  void repeatRows(size_t n) {
    if (fraction_ <= 0) return;
    std::poisson_distribution<int> times(fraction_);
    for (size_t i = 0; i < n; ++i)
      for (int k = times(random_); k > 0; --k) rows_.push_back(static_cast<uint32_t>(i));
  }

  double fraction_;
  bool withReplacement_;
  std::mt19937_64 random_;
  std::vector<uint32_t> rows_;
};

Rdd<Batch> sampleRdd(const LogicalPlan& p, const Execution& ex) {
  return Rdd<Batch>(detail::mapPartitionsNode<Batch, Batch>(
      toRdd(p.child(), ex).node(), "Sample",
      [fraction = p.fraction, replace = p.withReplacement, seed = p.seed](int part) {
        return SampleOp(fraction, replace, seed + static_cast<uint64_t>(part));
      }));
}

Rdd<Batch> repartitionRdd(const LogicalPlan& p, const Execution& ex) {
  const Rdd<Batch> in = toRdd(p.child(), ex);
  if (!p.shuffle) return in.coalesce(p.numPartitions, false);
  const int n = p.numPartitions > 0 ? p.numPartitions : ex.settings.shufflePartitions;
  if (p.exprs.empty()) return roundRobinExchange(in, n);
  if (p.global) return rangeExchange(in, p.exprs, n);
  return hashExchange(in, p.exprs, n);
}

/// The global sort under a limit, and the projection between them if any:
/// the shape Spark plans as TakeOrderedAndProject.
struct SortUnderLimit {
  const LogicalPlan* sort = nullptr;
  const LogicalPlan* project = nullptr;
};

SortUnderLimit sortUnderLimit(const LogicalPlan& limit) {
  const LogicalPlan* c = &limit.child();
  const LogicalPlan* project = nullptr;
  if (c->kind == PlanKind::kProject) {
    project = c;
    c = &c->child();
  }
  if (c->kind != PlanKind::kSort || !c->global) return {};
  return {c, project};
}

Rdd<Batch> limitRdd(const LogicalPlan& p, const Execution& ex) {
  if (const SortUnderLimit s = sortUnderLimit(p); s.sort) {
    // The first rows of each partition, then of those gathered in one.
    const Rdd<Batch> top =
        sortEach(toRdd(s.sort->child(), ex), "TakeOrdered", s.sort->exprs, p.limit, ex);
    Rdd<Batch> out = sortEach(top.coalesce(1, true), "TakeOrdered", s.sort->exprs, p.limit, ex);
    if (!s.project) return out;
    return out.map([exprs = s.project->exprs](const Batch& b) { return project(exprs, b); });
  }
  // Spark's LocalLimit in every partition, then GlobalLimit on the one
  // partition they are gathered in (in partition order).
  return localLimit(localLimit(toRdd(p.child(), ex), p.limit).coalesce(1, true), p.limit);
}

}  // namespace

bool isTakeOrdered(const LogicalPlan& limit) {
  return limit.kind == PlanKind::kLimit && sortUnderLimit(limit).sort != nullptr;
}

ExecutionSettings settingsOf(const Conf& conf) {
  ExecutionSettings s;
  s.shufflePartitions = static_cast<int>(conf.getInt("ember.sql.shuffle.partitions"));
  s.broadcastThreshold = conf.getBytes("ember.sql.autoBroadcastJoinThreshold");
  return s;
}

Batch project(const std::vector<ExprPtr>& exprs, const Batch& in) {
  std::vector<ColumnPtr> columns;
  columns.reserve(exprs.size());
  for (const ExprPtr& e : exprs) columns.push_back(evaluate(*e, in));
  return Batch(in.numRows(), std::move(columns));
}

Rdd<Batch> toRdd(const LogicalPlan& plan, const Execution& ex) {
  switch (plan.kind) {
    case PlanKind::kRange:
      return rangeRdd(plan, ex);
    case PlanKind::kLocalRelation:
      return localRdd(plan, ex);
    case PlanKind::kScan:
      return scanRdd(plan, ex.ctx);
    case PlanKind::kProject:
      return toRdd(plan.child(), ex).map([exprs = plan.exprs](const Batch& b) {
        return project(exprs, b);
      });
    case PlanKind::kFilter:
      return toRdd(plan.child(), ex)
          .map([condition = plan.exprs[0]](const Batch& b) {
            const std::vector<uint32_t> rows = selectRows(*condition, b);
            return rows.size() == b.numRows() ? b : b.gather(rows.data(), rows.size());
          })
          .filter([](const Batch& b) { return b.numRows() > 0; });
    case PlanKind::kAggregate:
      return aggregateRdd(plan, ex);
    case PlanKind::kJoin:
      return joinRdd(plan, ex);
    case PlanKind::kUnion:
      return toRdd(*plan.children[0], ex).union_(toRdd(*plan.children[1], ex));
    case PlanKind::kLimit:
      return limitRdd(plan, ex);
    case PlanKind::kSort:
      return sortRdd(plan, ex);
    case PlanKind::kSample:
      return sampleRdd(plan, ex);
    case PlanKind::kRepartition:
      return repartitionRdd(plan, ex);
    case PlanKind::kCached:
      return plan.cached->batches(ex);
    case PlanKind::kExistingRdd:
      return plan.existing->batches;
    case PlanKind::kGenerate:
      return toRdd(plan.child(), ex).flatMap([exprs = plan.exprs](const Batch& b) {
        return generateRows(exprs, b);
      });
    case PlanKind::kWindow:
      return windowRdd(std::make_shared<const LogicalPlan>(plan), ex);
  }
  throw std::logic_error("ember: a plan node without an execution");
}

}  // namespace ember::sql
