#pragma once
// Partitioner: which partition of a shuffle's output a key goes to.

#include <memory>
#include <string>

namespace ember {

/// The untyped face of a partitioner, which an RDD reports through
/// Rdd::partitioner() once a shuffle has placed its keys. Two RDDs
/// partitioned by equal partitioners hold each key in the same partition
/// index, so operations between them (or a reduceByKey onto the same
/// partitioner) need no further shuffle. Concrete partitioners also have a
/// `getPartition(const K&)`, which is not virtual: the shuffle calls it per
/// record, with its type known.
class Partitioner {
 public:
  virtual ~Partitioner() = default;
  virtual int numPartitions() const = 0;
  /// True when `other` sends every key to the same partition as this one.
  virtual bool equals(const Partitioner& other) const = 0;
  /// "HashPartitioner(4)", for lineage and error messages.
  virtual std::string describe() const = 0;
};

using PartitionerPtr = std::shared_ptr<const Partitioner>;

/// True when both are set and equal.
inline bool samePartitioner(const PartitionerPtr& a, const Partitioner& b) {
  return a && a->equals(b);
}

}  // namespace ember
