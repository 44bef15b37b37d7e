#pragma once
// ParallelCollectionRdd: a vector of the program sliced into partitions.

#include "rdd/detail/node.hpp"
#include "storage/size_estimator.hpp"

namespace ember::detail {

// 128-bit products keep slice bounds exact for any 64-bit length.
__extension__ typedef __int128 Int128;

/// Start of slice `i` of `n` over `length` elements, as Spark slices
/// collections: sizes differ by at most one.
inline int64_t sliceStart(int64_t length, int i, int n) {
  return static_cast<int64_t>(static_cast<Int128>(length) * i / n);
}

/// Slices of a shared vector; computing a slice copies it, because an RDD
/// may be computed again.
template <class T>
class ParallelCollectionRdd final : public Node<T> {
 public:
  ParallelCollectionRdd(std::shared_ptr<Runtime> rt, std::string name, std::string callSite,
                        std::shared_ptr<const std::vector<T>> data, int numSlices)
      : Node<T>(std::move(rt), std::move(name), std::move(callSite), numSlices, {}),
        data_(std::move(data)) {}

  void compute(int p, TaskContext& tc, Sink<T>& out) override {
    const int64_t n = static_cast<int64_t>(data_->size());
    const int64_t begin = sliceStart(n, p, this->numPartitions());
    const int64_t end = sliceStart(n, p + 1, this->numPartitions());
    const int64_t step = static_cast<int64_t>(this->runtime()->batchSize);
    std::vector<T> batch;
    for (int64_t i = begin; i < end; i += step) {
      batch.assign(data_->begin() + i, data_->begin() + std::min(end, i + step));
      tc.metrics().inputRecords += static_cast<int64_t>(batch.size());
      tc.metrics().inputBytes += estimateBatchSize(batch);
      tc.killTaskIfInterrupted();
      out.push(batch);
      batch.clear();
    }
  }

 private:
  std::shared_ptr<const std::vector<T>> data_;
};

}  // namespace ember::detail
