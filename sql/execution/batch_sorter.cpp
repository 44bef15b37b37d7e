#include "sql/execution/batch_sorter.hpp"

#include <algorithm>

namespace ember::sql {
/// A spilled run being merged: its current batch, that batch's keys and
/// the row the merge is at.
struct BatchSorter::Run {
  const std::vector<Segment>* segments = nullptr;
  size_t nextSegment = 0;
  std::vector<Batch> frame;
  size_t nextBatch = 0;
  Batch batch;
  SortKeys keys;
  size_t row = 0;
  uint32_t source = 0;  ///< where `batch` is among the merge's sources
};

BatchSorter::BatchSorter(std::vector<ExprPtr> orders, const detail::Runtime& rt,
                         TaskMetrics& metrics, int64_t limit)
    : orders_(std::move(orders)),
      rt_(rt),
      metrics_(metrics),
      limit_(limit),
      reservation_(*rt.memory) {}

void BatchSorter::add(const Batch& b) {
  if (b.numRows() == 0) return;
  const auto index = static_cast<uint32_t>(batches_.size());
  SortKeys& keys = keys_.emplace_back();
  keys.encode(orders_, b);
  const size_t before = entries_.size();
  for (size_t i = 0; i < b.numRows(); ++i) {
    // Past the first cut, a row that does not sort before the last one
    // kept cannot be among the first `limit`.
    if (!cutoff_.empty() && compareKeys(keys.key(i), cutoff_) >= 0) continue;
    entries_.push_back({keys.prefix(i), index, static_cast<uint32_t>(i)});
  }
  if (entries_.size() == before) {
    keys_.pop_back();
    return;
  }
  batches_.push_back(b);
  bytes_ += b.bytes() + keys.bytes() + static_cast<int64_t>(b.numRows() * sizeof(Entry));
  if (limit_ >= 0 && entries_.size() >= 2 * static_cast<size_t>(limit_) + kBatchRows) {
    cutToLimit();
  }
  checkMemory();
}

bool BatchSorter::less(const Entry& a, const Entry& b) const {
  if (a.prefix != b.prefix) return a.prefix < b.prefix;
  const int c = compareKeys(keys_[a.batch].key(a.row), keys_[b.batch].key(b.row));
  if (c != 0) return c < 0;
  return a.batch != b.batch ? a.batch < b.batch : a.row < b.row;
}

void BatchSorter::sortEntries() {
  std::sort(entries_.begin(), entries_.end(),
            [this](const Entry& a, const Entry& b) { return less(a, b); });
}

void BatchSorter::checkMemory() {
  if (bytes_ > reservation_.held() && bytes_ >= kMinSpillBytes && !reservation_.ensure(bytes_))
    spill();
}

void BatchSorter::emitSorted(const std::function<void(Batch&&)>& out, int64_t limit) {
  sortEntries();
  size_t total = entries_.size();
  if (limit >= 0) total = std::min(total, static_cast<size_t>(limit));
  std::vector<RowRef> refs;
  for (size_t at = 0; at < total; at += kBatchRows) {
    const size_t n = std::min(kBatchRows, total - at);
    refs.resize(n);
    for (size_t i = 0; i < n; ++i) refs[i] = {entries_[at + i].batch, entries_[at + i].row};
    out(gatherRows(batches_, refs.data(), n));
  }
}

void BatchSorter::clear() {
  batches_ = {};
  keys_ = {};
  entries_ = {};
  bytes_ = 0;
  reservation_.release();
}

void BatchSorter::cutToLimit() {
  std::vector<Batch> kept;
  emitSorted([&](Batch&& b) { kept.push_back(std::move(b)); }, limit_);
  if (limit_ > 0 && entries_.size() >= static_cast<size_t>(limit_)) {
    const Entry& last = entries_[static_cast<size_t>(limit_) - 1];
    cutoff_.assign(keys_[last.batch].key(last.row));
  }
  clear();
  for (const Batch& b : kept) add(b);
}

void BatchSorter::spill() {
  if (entries_.empty()) return;
  auto file = rt_.spill.newFile("sort");
  FrameWriter<Batch> writer(file, rt_.spill.codec);
  emitSorted([&](Batch&& b) { writer.add(b); }, limit_);
  writer.finish(runs_.emplace_back());
  metrics_.memoryBytesSpilled += bytes_;
  metrics_.diskBytesSpilled += file->bytesWritten();
  clear();
}

void BatchSorter::finish(const std::function<void(Batch&&)>& out) {
  if (runs_.empty()) {
    emitSorted(out, limit_);
  } else {
    spill();
    merge(out);
  }
  clear();
  runs_.clear();
}

namespace {

/// Moves `run` to its next batch; false at its end.
template <class Run>
bool nextBatch(Run& run, const std::vector<ExprPtr>& orders, std::string& scratch) {
  while (run.nextBatch == run.frame.size()) {
    if (run.nextSegment == run.segments->size()) return false;
    readFrame((*run.segments)[run.nextSegment++], run.frame, scratch, "spilled sort run");
    run.nextBatch = 0;
  }
  run.batch = std::move(run.frame[run.nextBatch++]);
  run.keys.encode(orders, run.batch);
  run.row = 0;
  return true;
}

}  // namespace

void BatchSorter::merge(const std::function<void(Batch&&)>& out) {
  std::vector<Run> runs(runs_.size());
  std::vector<Batch> sources;
  std::vector<RowRef> pending;
  std::string scratch;
  std::vector<size_t> heap;
  auto load = [&](Run& r) {
    if (!nextBatch(r, orders_, scratch)) return false;
    r.source = static_cast<uint32_t>(sources.size());
    sources.push_back(r.batch);
    return true;
  };
  for (size_t i = 0; i < runs.size(); ++i) {
    runs[i].segments = &runs_[i];
    if (load(runs[i])) heap.push_back(i);
  }
  // A min-heap of runs by their current key; equal keys: the earlier run.
  auto greater = [&](size_t a, size_t b) {
    const int c = compareKeys(runs[a].keys.key(runs[a].row), runs[b].keys.key(runs[b].row));
    return c != 0 ? c > 0 : a > b;
  };
  auto flush = [&] {
    out(gatherRows(sources, pending.data(), pending.size()));
    pending.clear();
    sources.clear();
    for (size_t i : heap) {
      runs[i].source = static_cast<uint32_t>(sources.size());
      sources.push_back(runs[i].batch);
    }
  };
  std::make_heap(heap.begin(), heap.end(), greater);
  auto left = limit_ < 0 ? INT64_MAX : limit_;
  while (!heap.empty() && left > 0) {
    std::pop_heap(heap.begin(), heap.end(), greater);
    Run& r = runs[heap.back()];
    pending.push_back({r.source, static_cast<uint32_t>(r.row)});
    --left;
    if (++r.row < r.batch.numRows() || load(r)) {
      std::push_heap(heap.begin(), heap.end(), greater);
    } else {
      heap.pop_back();
    }
    if (pending.size() == kBatchRows) flush();
  }
  if (!pending.empty()) flush();
}

}  // namespace ember::sql
