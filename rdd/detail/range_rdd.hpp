#pragma once
// RangeRdd: the integers start, start+step, ... below end, generated lazily.

#include "rdd/detail/node.hpp"
#include "rdd/detail/parallel_collection_rdd.hpp"

namespace ember::detail {

/// How many of start, start+step, ... lie below end (above, for step < 0).
/// REQUIRES: step != 0.
inline int64_t rangeCount(int64_t start, int64_t end, int64_t step) {
  if ((step > 0 && start >= end) || (step < 0 && start <= end)) return 0;
  const Int128 span = static_cast<Int128>(end) - start;
  return static_cast<int64_t>((span + (step > 0 ? step - 1 : step + 1)) / step);
}

class RangeRdd final : public Node<int64_t> {
 public:
  /// REQUIRES: step != 0.
  RangeRdd(std::shared_ptr<Runtime> rt, std::string callSite, int64_t start, int64_t end,
           int64_t step, int numSlices)
      : Node<int64_t>(std::move(rt), "ParallelCollectionRDD", std::move(callSite), numSlices, {}),
        start_(start),
        step_(step),
        count_(rangeCount(start, end, step)) {}

  void compute(int p, TaskContext& tc, Sink<int64_t>& out) override {
    const int64_t begin = sliceStart(count_, p, numPartitions());
    const int64_t end = sliceStart(count_, p + 1, numPartitions());
    const int64_t batchSize = static_cast<int64_t>(runtime()->batchSize);
    std::vector<int64_t> batch;
    for (int64_t i = begin; i < end; i += batchSize) {
      // In unsigned arithmetic: j * step_ alone may leave int64_t even when the
      // element does not (range(INT64_MIN, INT64_MAX, INT64_MAX)).
      for (int64_t j = i; j < std::min(end, i + batchSize); ++j) {
        batch.push_back(
            static_cast<int64_t>(static_cast<uint64_t>(start_) +
                                 static_cast<uint64_t>(j) * static_cast<uint64_t>(step_)));
      }
      tc.metrics().inputRecords += static_cast<int64_t>(batch.size());
      tc.killTaskIfInterrupted();
      out.push(batch);
      batch.clear();
    }
  }

 private:
  int64_t start_;
  int64_t step_;
  int64_t count_;
};

}  // namespace ember::detail
