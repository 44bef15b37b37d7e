#pragma once
// Exchange: a shuffle of batches, each row sent to the partition its key
// hashes to (Spark's Exchange hashpartitioning), on the RDD engine's
// spilling shuffle.

#include <string>

#include "rdd/partitioner.hpp"
#include "rdd/rdd.hpp"
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
/// their first `keyColumns` columns (equal keys meet in one partition).
Rdd<Batch> hashExchange(const Rdd<Batch>& in, size_t keyColumns, int partitions);

/// The partition each row of `b` goes to, by its first `keyColumns` columns.
std::vector<uint32_t> partitionOfRows(const Batch& b, size_t keyColumns, int partitions);

}  // namespace ember::sql
