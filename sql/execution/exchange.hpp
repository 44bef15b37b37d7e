#pragma once
// Exchange: a shuffle of batches, each row sent to the partition its key
// hashes to, its key's range holds, or the next in turn (Spark's Exchange
// hashpartitioning, rangepartitioning, RoundRobinPartitioning), on the RDD
// engine's spilling shuffle.

#include <functional>
#include <string>

#include "rdd/partitioner.hpp"
#include "rdd/rdd.hpp"
#include "sql/expression/expression.hpp"
#include "sql/types/batch.hpp"

namespace ember::sql {

/// Places a (partition, batch) record in the partition it names: the rows
/// were cut by key hash before the shuffle.
class ExchangePartitioner final : public Partitioner {
 public:
  ExchangePartitioner(std::string scheme, int partitions)
      : scheme_(std::move(scheme)), partitions_(partitions) {}
  int numPartitions() const override { return partitions_; }
  int getPartition(int p) const { return p; }
  bool equals(const Partitioner& other) const override;
  std::string describe() const override;

 private:
  std::string scheme_;
  int partitions_;
};

/// The partition of each row of a batch. Called on a copy per task, so it
/// may count (round robin).
using RowPartitioning = std::function<std::vector<uint32_t>(const Batch&)>;

/// The rows of `in` regrouped into `partitions` partitions as `partitionOf`
/// says; `scheme` names it in the partitioner's description.
Rdd<Batch> exchange(const Rdd<Batch>& in, RowPartitioning partitionOf, int partitions,
                    std::string scheme);

/// The rows of `in` regrouped into `partitions` partitions by the hash of
/// `keys` (resolved on its columns): equal keys meet in one partition, also
/// across two exchanges whose keys have the same types (a join's sides).
Rdd<Batch> hashExchange(const Rdd<Batch>& in, std::vector<ExprPtr> keys, int partitions);

/// The rows of `in` ordered across `partitions` partitions by `orders`
/// (resolved sort orders): every key of partition i sorts before every key
/// of partition i + 1. The bounds come from a sample of the keys, taken by
/// a job run now (Spark's RangePartitioner), weighted by each partition's size.
Rdd<Batch> rangeExchange(const Rdd<Batch>& in, std::vector<ExprPtr> orders, int partitions);

/// The rows of `in` dealt out in turn over `partitions` partitions.
Rdd<Batch> roundRobinExchange(const Rdd<Batch>& in, int partitions);

/// The partition each of `rows` rows goes to, by its values of `keys`
/// hashed from `seed` (another seed, another independent hash).
std::vector<uint32_t> partitionOfRows(const std::vector<ColumnPtr>& keys, size_t rows,
                                      int partitions, uint64_t seed = 42);

}  // namespace ember::sql
