#include "sql/execution/spilling_aggregator.hpp"

#include "sql/execution/exchange.hpp"

namespace ember::sql {

SpillingAggregator::SpillingAggregator(AggregationSpec spec, const detail::Runtime& rt,
                                       TaskMetrics& metrics, int depth)
    : spec_(std::move(spec)), rt_(rt), metrics_(metrics), depth_(depth), reservation_(*rt.memory) {
  newTable();
}

void SpillingAggregator::newTable() {
  table_ =
      std::make_unique<HashAggregator>(spec_.mode, spec_.keys, spec_.keyTypes, spec_.functions);
}

void SpillingAggregator::add(const Batch& b, const Output& out) {
  table_->add(b);
  // A global aggregation's final table holds its one group (a partial one
  // may flush: its lists, say); a table past its last split depth keeps
  // growing rather than fail.
  const bool oneGroup = spec_.keyTypes.empty() && spec_.mode == AggregateMode::kFinal;
  if (oneGroup || depth_ >= kMaxDepth) return;
  const int64_t bytes = table_->bytes();
  if (bytes <= reservation_.held() || bytes < kMinSpillBytes || reservation_.ensure(bytes)) return;
  if (spec_.mode == AggregateMode::kPartial) {
    for (Batch& g : table_->finish()) out(std::move(g));
    newTable();
  } else {
    spill();
  }
  reservation_.release();
}

void SpillingAggregator::spill() {
  if (writers_.empty()) {
    // One file for every bucket: their frames interleave, each found by
    // its segment.
    buckets_.resize(kBuckets);
    file_ = rt_.spill.newFile("aggregation");
    for (int i = 0; i < kBuckets; ++i)
      writers_.push_back(std::make_unique<FrameWriter<Batch>>(file_, rt_.spill.codec));
  }
  metrics_.memoryBytesSpilled += table_->bytes();
  for (const Batch& states : table_->finishStates()) {
    std::vector<ColumnPtr> keys(
        states.columns().begin(),
        states.columns().begin() + static_cast<std::ptrdiff_t>(spec_.keyTypes.size()));
    // Another hash than the exchange's (whose rows here all share one
    // value of it), and another at each depth.
    const std::vector<uint32_t> bucket =
        partitionOfRows(keys, states.numRows(), kBuckets, 0x5b11 + static_cast<uint64_t>(depth_));
    std::vector<std::vector<uint32_t>> rows(kBuckets);
    for (size_t i = 0; i < bucket.size(); ++i) rows[bucket[i]].push_back(static_cast<uint32_t>(i));
    for (int k = 0; k < kBuckets; ++k) {
      if (!rows[static_cast<size_t>(k)].empty())
        writers_[static_cast<size_t>(k)]->add(states.gather(rows[static_cast<size_t>(k)].data(),
                                                            rows[static_cast<size_t>(k)].size()));
    }
  }
  spilled_ = true;
  newTable();
}

void SpillingAggregator::aggregateBucket(size_t bucket, const Output& out) {
  AggregationSpec spec = spec_;
  spec.mode = AggregateMode::kFinal;
  spec.keys.clear();
  SpillingAggregator sub(std::move(spec), rt_, metrics_, depth_ + 1);
  std::vector<Batch> frame;
  std::string scratch;
  for (const Segment& s : buckets_[bucket]) {
    readFrame(s, frame, scratch, "spilled aggregation bucket");
    for (const Batch& b : frame) sub.add(b, out);
  }
  buckets_[bucket].clear();
  sub.finish(out);
}

void SpillingAggregator::finish(const Output& out) {
  if (!spilled_) {
    for (Batch& g : table_->finish()) out(std::move(g));
    return;
  }
  spill();
  for (size_t k = 0; k < writers_.size(); ++k) writers_[k]->finish(buckets_[k]);
  metrics_.diskBytesSpilled += file_->bytesWritten();
  writers_.clear();
  file_.reset();  // the buckets' segments hold it until they are read
  for (size_t k = 0; k < buckets_.size(); ++k) aggregateBucket(k, out);
}

}  // namespace ember::sql
