#include "sql/execution/exchange.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <random>

#include "rdd/detail/map_partitions_rdd.hpp"
#include "scheduler/task_context.hpp"
#include "sql/execution/row_gather.hpp"
#include "sql/execution/sort_keys.hpp"
#include "sql/expression/evaluator.hpp"

namespace ember::sql {
namespace {

uint64_t mix(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  return h;
}

void hashColumn(const ColumnVector& c, std::vector<uint64_t>& h);

/// An array's hash folds its elements' (hashed as a column, at once).
void hashArrays(const ColumnVector& c, std::vector<uint64_t>& h) {
  std::vector<uint64_t> elements(c.elements().size(), 0x5eed);
  hashColumn(c.elements(), elements);
  for (size_t i = 0; i < c.size(); ++i) {
    uint64_t v = 0x9e37;
    if (!c.isNull(i)) {
      v = c.arrayEnd(i) - c.arrayBegin(i);
      for (uint32_t e = c.arrayBegin(i); e < c.arrayEnd(i); ++e) v = mix(v * 31 + elements[e]);
    }
    h[i] = mix(h[i] * 31 + v);
  }
}

/// Folds column `c` into the row hashes: equal values (and nulls) hash alike.
void hashColumn(const ColumnVector& c, std::vector<uint64_t>& h) {
  const size_t n = c.size();
  if (c.physical() == Physical::kArray) return hashArrays(c, h);
  if (c.physical() == Physical::kString) {
    for (size_t i = 0; i < n; ++i) {
      const uint64_t v = c.isNull(i) ? 0x9e37 : std::hash<std::string_view>{}(c.stringAt(i));
      h[i] = mix(h[i] * 31 + v);
    }
    return;
  }
  for (size_t i = 0; i < n; ++i) {
    uint64_t v = 0x9e37;
    if (!c.isNull(i)) {
      if (c.physical() == Physical::kDouble) {
        double d = c.values<double>()[i];
        if (d == 0) d = 0;
        if (std::isnan(d)) d = std::nan("");
        std::memcpy(&v, &d, sizeof v);
      } else {
        const size_t w = widthOf(c.physical());
        unsigned char bytes[16] = {};
        std::memcpy(bytes, c.values<unsigned char>() + i * w, w);
        // The keys of one exchange have one type (analysis casts both
        // sides of a comparison alike), so a value's bytes are its hash input.
        uint64_t lo, hi;
        std::memcpy(&lo, bytes, 8);
        std::memcpy(&hi, bytes + 8, 8);
        v = lo ^ mix(hi);
      }
    }
    h[i] = mix(h[i] * 31 + v);
  }
}

/// A uniform sample of up to `capacity` row keys of a partition
/// (reservoir sampling), emitted with the weight each stands for.
class KeySampleOp {
 public:
  KeySampleOp(std::vector<ExprPtr> orders, size_t capacity, uint64_t seed)
      : orders_(std::move(orders)), capacity_(capacity), random_(seed) {}

  void operator()(std::vector<Batch>& batches, detail::Emitter<Batch>&) {
    for (const Batch& b : batches) {
      keys_.encode(orders_, b);
      for (size_t i = 0; i < b.numRows(); ++i) {
        ++seen_;
        if (sample_.size() < capacity_) {
          sample_.emplace_back(keys_.key(i));
        } else if (const uint64_t j = random_() % seen_; j < capacity_) {
          sample_[j] = keys_.key(i);
        }
      }
    }
  }

  void finish(detail::Emitter<Batch>& out) {
    if (sample_.empty()) return;
    auto keys = std::make_shared<ColumnVector>(DataType::string());
    for (const std::string& k : sample_) keys->appendString(k);
    auto weights = std::make_shared<ColumnVector>(DataType::float64(), sample_.size());
    const double w = static_cast<double>(seen_) / static_cast<double>(sample_.size());
    std::fill_n(weights->values<double>(), sample_.size(), w);
    out.emit(Batch(sample_.size(), {std::move(keys), std::move(weights)}));
  }

 private:
  std::vector<ExprPtr> orders_;
  size_t capacity_;
  std::mt19937_64 random_;
  SortKeys keys_;
  std::vector<std::string> sample_;
  uint64_t seen_ = 0;
};

/// Spark's RangePartitioner.determineBounds: `partitions - 1` keys cutting
/// the weighted sample into equal weights, each bound greater than the last.
std::vector<std::string> boundsOf(const std::vector<Batch>& samples, int partitions) {
  std::vector<std::pair<std::string_view, double>> candidates;
  double total = 0;
  for (const Batch& b : samples) {
    for (size_t i = 0; i < b.numRows(); ++i) {
      candidates.emplace_back(b.column(0).stringAt(i), b.column(1).values<double>()[i]);
      total += candidates.back().second;
    }
  }
  std::sort(candidates.begin(), candidates.end(),
            [](const auto& a, const auto& b) { return compareKeys(a.first, b.first) < 0; });
  std::vector<std::string> bounds;
  const double step = total / partitions;
  double cumulative = 0, target = step;
  for (const auto& [key, weight] : candidates) {
    if (static_cast<int>(bounds.size()) >= partitions - 1) break;
    cumulative += weight;
    if (cumulative < target) continue;
    if (bounds.empty() || compareKeys(key, bounds.back()) > 0) bounds.emplace_back(key);
    target += step;
  }
  return bounds;
}

/// Deals rows out in turn, starting where the task's partition number says
/// (so that small partitions do not all fill partition 0 first).
class RoundRobin {
 public:
  explicit RoundRobin(int partitions) : partitions_(static_cast<uint32_t>(partitions)) {}
  std::vector<uint32_t> operator()(const Batch& b) {
    if (!started_) {
      const TaskContext* tc = TaskContext::get();
      next_ = tc ? static_cast<uint32_t>(tc->partitionId()) % partitions_ : 0;
      started_ = true;
    }
    std::vector<uint32_t> part(b.numRows());
    for (uint32_t& p : part) {
      p = next_;
      next_ = next_ + 1 == partitions_ ? 0 : next_ + 1;
    }
    return part;
  }

 private:
  uint32_t partitions_;
  uint32_t next_ = 0;
  bool started_ = false;
};

}  // namespace

bool ExchangePartitioner::equals(const Partitioner& other) const {
  auto* o = dynamic_cast<const ExchangePartitioner*>(&other);
  return o && o->scheme_ == scheme_ && o->partitions_ == partitions_;
}

std::string ExchangePartitioner::describe() const {
  return scheme_ + "(" + std::to_string(partitions_) + ")";
}

std::vector<uint32_t> partitionOfRows(const std::vector<ColumnPtr>& keys, size_t rows,
                                      int partitions, uint64_t seed) {
  std::vector<uint64_t> h(rows, seed);
  for (const ColumnPtr& k : keys) hashColumn(*k, h);
  std::vector<uint32_t> part(rows);
  for (size_t i = 0; i < rows; ++i)
    part[i] = static_cast<uint32_t>(h[i] % static_cast<uint64_t>(partitions));
  return part;
}

namespace {

/// Cuts a task's batches into batches per output partition: rows are
/// gathered by partition as they come, and a partition's batch leaves when
/// it is full, or when the rows held for all partitions reach a bound
/// (then every partition's leaves), so that the shuffle moves batches of
/// hundreds to thousands of rows rather than a sliver of every input
/// batch for every partition.
class ExchangeWriteOp {
 public:
  using Record = std::pair<int, Batch>;

  ExchangeWriteOp(RowPartitioning partitionOf, int partitions)
      : partitionOf_(std::move(partitionOf)),
        pending_(static_cast<size_t>(partitions)),
        bound_(std::min<size_t>(std::max<size_t>(16 * kBatchRows, pending_.size() * 1024),
                                size_t{1} << 20)) {}

  void operator()(std::vector<Batch>& batches, detail::Emitter<Record>& out) {
    for (const Batch& b : batches) {
      if (b.numRows() == 0) continue;
      if (pending_.size() == 1) {
        out.emit(Record(0, b));
        continue;
      }
      const std::vector<uint32_t> part = partitionOf_(b);
      const auto source = static_cast<uint32_t>(sources_.size());
      sources_.push_back(b);
      for (size_t i = 0; i < part.size(); ++i) {
        std::vector<RowRef>& rows = pending_[part[i]];
        rows.push_back({source, static_cast<uint32_t>(i)});
        if (rows.size() == kBatchRows) emit(part[i], out);
      }
      held_ += b.numRows();
      if (held_ >= bound_) finish(out);
    }
  }

  void finish(detail::Emitter<Record>& out) {
    for (size_t p = 0; p < pending_.size(); ++p)
      if (!pending_[p].empty()) emit(p, out);
    sources_.clear();
    held_ = 0;
  }

 private:
  void emit(size_t p, detail::Emitter<Record>& out) {
    std::vector<RowRef>& rows = pending_[p];
    out.emit(Record(static_cast<int>(p), gatherRows(sources_, rows.data(), rows.size())));
    rows.clear();
  }

  RowPartitioning partitionOf_;
  std::vector<std::vector<RowRef>> pending_;
  std::vector<Batch> sources_;
  size_t bound_;
  size_t held_ = 0;  ///< rows of sources_ (some may have left already)
};

}  // namespace

Rdd<Batch> exchange(const Rdd<Batch>& in, RowPartitioning partitionOf, int partitions,
                    std::string scheme) {
  const Rdd<std::pair<int, Batch>> cut(detail::mapPartitionsNode<std::pair<int, Batch>>(
      in.node(), "Exchange", [partitionOf = std::move(partitionOf), partitions](int) {
        return ExchangeWriteOp(partitionOf, partitions);
      }));
  return cut.partitionBy(ExchangePartitioner(std::move(scheme), partitions)).values();
}

Rdd<Batch> hashExchange(const Rdd<Batch>& in, std::vector<ExprPtr> keys, int partitions) {
  return exchange(
      in,
      [keys = std::move(keys), partitions](const Batch& b) {
        std::vector<ColumnPtr> values;
        for (const ExprPtr& k : keys) values.push_back(evaluate(*k, b));
        return partitionOfRows(values, b.numRows(), partitions);
      },
      partitions, "hashpartitioning");
}

Rdd<Batch> rangeExchange(const Rdd<Batch>& in, std::vector<ExprPtr> orders, int partitions) {
  // Spark's sample size: 20 keys per output partition, at most a million,
  // three times over in each input partition against imbalance.
  const int inputs = std::max(1, in.getNumPartitions());
  const auto perPartition = static_cast<size_t>(
      std::ceil(3.0 * std::min(20.0 * partitions, 1e6) / static_cast<double>(inputs)));
  const Rdd<Batch> samples(detail::mapPartitionsNode<Batch, Batch>(
      in.node(), "RangeSample", [orders, perPartition](int p) {
        return KeySampleOp(orders, perPartition, 0x5eed + static_cast<uint64_t>(p));
      }));
  auto bounds = std::make_shared<const std::vector<std::string>>(
      boundsOf(partitions > 1 ? samples.collect() : std::vector<Batch>{}, partitions));
  return exchange(
      in,
      [orders = std::move(orders), bounds](const Batch& b) {
        SortKeys keys;
        keys.encode(orders, b);
        std::vector<uint32_t> part(b.numRows());
        for (size_t i = 0; i < part.size(); ++i) {
          const auto at = std::lower_bound(bounds->begin(), bounds->end(), keys.key(i),
                                           [](const std::string& bound, std::string_view k) {
                                             return compareKeys(bound, k) < 0;
                                           });
          part[i] = static_cast<uint32_t>(at - bounds->begin());
        }
        return part;
      },
      partitions, "rangepartitioning");
}

Rdd<Batch> roundRobinExchange(const Rdd<Batch>& in, int partitions) {
  return exchange(in, RoundRobin(partitions), partitions, "roundrobinpartitioning");
}

}  // namespace ember::sql
