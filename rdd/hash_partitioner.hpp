#pragma once
// HashPartitioner: sends a key to partition hash(key) mod n.

#include <string>

#include "common/error.hpp"
#include "rdd/detail/key_hash.hpp"
#include "rdd/partitioner.hpp"

namespace ember {

/// As Spark's HashPartitioner: a key's partition is its hash modulo the
/// partition count. Keys need a boost::hash (strings, numbers, std::pair and
/// std::tuple of them have one; for a struct, define hash_value(const T&)).
/// The hash of a given key is the same in every process.
class HashPartitioner final : public Partitioner {
 public:
  explicit HashPartitioner(int numPartitions) : numPartitions_(numPartitions) {
    if (numPartitions <= 0) throw Error("HashPartitioner needs a positive partition count");
  }

  int numPartitions() const override { return numPartitions_; }

  template <class K>
  int getPartition(const K& key) const {
    return static_cast<int>(detail::KeyHash<K>{}(key) % static_cast<size_t>(numPartitions_));
  }

  bool equals(const Partitioner& other) const override {
    const auto* hash = dynamic_cast<const HashPartitioner*>(&other);
    return hash && hash->numPartitions_ == numPartitions_;
  }

  std::string describe() const override {
    return "HashPartitioner(" + std::to_string(numPartitions_) + ")";
  }

  friend bool operator==(const HashPartitioner& a, const HashPartitioner& b) {
    return a.numPartitions_ == b.numPartitions_;
  }

 private:
  int numPartitions_;
};

}  // namespace ember
