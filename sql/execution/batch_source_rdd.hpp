#pragma once
// BatchSourceRdd: the leaf RDD of a DataFrame, whose partitions a function
// generates batch by batch (a range, rows the program gave).

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "rdd/detail/node.hpp"
#include "sql/types/batch.hpp"

namespace ember::sql {

/// Pushes partition `p`'s batches to `out`, one at a time.
using BatchGenerator =
    std::function<void(int p, std::vector<Batch>& scratch, detail::Sink<Batch>& out)>;

class BatchSourceRdd final : public detail::Node<Batch> {
 public:
  BatchSourceRdd(std::shared_ptr<detail::Runtime> rt, std::string name, std::string callSite,
                 int numPartitions, BatchGenerator generate)
      : Node<Batch>(std::move(rt), std::move(name), std::move(callSite), numPartitions, {}),
        generate_(std::move(generate)) {}

  void compute(int p, TaskContext& tc, detail::Sink<Batch>& out) override {
    std::vector<Batch> scratch;
    auto counting = detail::makeSink<Batch>([&](std::vector<Batch>& batches) {
      for (const Batch& b : batches) tc.metrics().inputRecords += static_cast<int64_t>(b.numRows());
      tc.killTaskIfInterrupted();
      out.push(batches);
    });
    generate_(p, scratch, counting);
  }

 private:
  BatchGenerator generate_;
};

}  // namespace ember::sql
