#pragma once
// Exchange: a shuffle of batches, each row sent to the partition its key
// hashes to (Spark's Exchange hashpartitioning), on the RDD engine's
// spilling shuffle.

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
  explicit ExchangePartitioner(int partitions) : partitions_(partitions) {}
  int numPartitions() const override { return partitions_; }
  int getPartition(int p) const { return p; }
  bool equals(const Partitioner& other) const override;
  std::string describe() const override;

 private:
  int partitions_;
};

/// The rows of `in` regrouped into `partitions` partitions by the hash of
/// `keys` (resolved on its columns): equal keys meet in one partition, also
/// across two exchanges whose keys have the same types (a join's sides).
Rdd<Batch> hashExchange(const Rdd<Batch>& in, std::vector<ExprPtr> keys, int partitions);

/// The partition each of `rows` rows goes to, by its values of `keys`.
std::vector<uint32_t> partitionOfRows(const std::vector<ColumnPtr>& keys, size_t rows,
                                      int partitions);

}  // namespace ember::sql
