#include "sql/execution/grace_hash_join.hpp"

#include "sql/execution/exchange.hpp"
#include "sql/expression/evaluator.hpp"

namespace ember::sql {

/// Both sides' rows on disk, bucket by bucket, in one file.
struct GraceHashJoin::Buckets {
  std::shared_ptr<SpillFile> file;
  std::vector<std::unique_ptr<FrameWriter<Batch>>> build, probe;
  std::vector<std::vector<Segment>> buildRuns, probeRuns;

  Buckets(const detail::Runtime& rt, int n) : file(rt.spill.newFile("join")) {
    for (int i = 0; i < n; ++i) {
      build.push_back(std::make_unique<FrameWriter<Batch>>(file, rt.spill.codec));
      probe.push_back(std::make_unique<FrameWriter<Batch>>(file, rt.spill.codec));
    }
    buildRuns.resize(static_cast<size_t>(n));
    probeRuns.resize(static_cast<size_t>(n));
  }

  /// Writes b's rows to the buckets their keys hash to.
  static void write(const Batch& b, const std::vector<ExprPtr>& keys, uint64_t seed,
                    std::vector<std::unique_ptr<FrameWriter<Batch>>>& to) {
    std::vector<ColumnPtr> values;
    for (const ExprPtr& k : keys) values.push_back(evaluate(*k, b));
    const auto n = static_cast<int>(to.size());
    const std::vector<uint32_t> bucket = partitionOfRows(values, b.numRows(), n, seed);
    std::vector<std::vector<uint32_t>> rows(to.size());
    for (size_t i = 0; i < bucket.size(); ++i) rows[bucket[i]].push_back(static_cast<uint32_t>(i));
    for (size_t k = 0; k < rows.size(); ++k)
      if (!rows[k].empty()) to[k]->add(b.gather(rows[k].data(), rows[k].size()));
  }
};

GraceHashJoin::GraceHashJoin(std::shared_ptr<const JoinSpec> spec, const detail::Runtime& rt,
                             TaskMetrics& metrics, int depth)
    : spec_(std::move(spec)), rt_(rt), metrics_(metrics), depth_(depth), reservation_(*rt.memory) {}

GraceHashJoin::~GraceHashJoin() = default;

namespace {

/// Bucket hashes differ from the exchange's (whose rows here share one
/// value of it) and from one depth to the next.
uint64_t seedAt(int depth) { return 0x9ace + static_cast<uint64_t>(depth); }

}  // namespace

void GraceHashJoin::addBuild(const Batch& b) {
  if (buckets_) {
    Buckets::write(b, spec_->buildKeys(), seedAt(depth_), buckets_->build);
    return;
  }
  pending_.push_back(b);
  // The rows, and their chain links and index entries.
  bytes_ += b.bytes() + static_cast<int64_t>(b.numRows()) * 32;
  if (depth_ < kMaxDepth && bytes_ > reservation_.held() && bytes_ >= kMinSpillBytes &&
      !reservation_.ensure(bytes_))
    spill();
}

void GraceHashJoin::spill() {
  buckets_ = std::make_unique<Buckets>(rt_, kBuckets);
  for (const Batch& b : pending_)
    Buckets::write(b, spec_->buildKeys(), seedAt(depth_), buckets_->build);
  metrics_.memoryBytesSpilled += bytes_;
  pending_ = {};
  bytes_ = 0;
  reservation_.release();
}

void GraceHashJoin::startProbing() {
  if (prober_ || buckets_) return;
  auto table = std::make_shared<JoinHashTable>(spec_);
  for (const Batch& b : pending_) table->add(b);
  pending_ = {};
  table->build();
  prober_ = std::make_unique<HashJoinProber>(spec_, std::move(table));
}

void GraceHashJoin::addProbe(const Batch& b, const Output& out) {
  startProbing();
  if (buckets_) {
    Buckets::write(b, spec_->probeKeys(), seedAt(depth_), buckets_->probe);
    return;
  }
  prober_->probe(b, produced_);
  for (Batch& r : produced_) out(std::move(r));
  produced_.clear();
}

void GraceHashJoin::finish(const Output& out) {
  startProbing();
  if (!buckets_) {
    prober_->finish(produced_);
    for (Batch& r : produced_) out(std::move(r));
    produced_.clear();
    return;
  }
  for (int k = 0; k < kBuckets; ++k) {
    buckets_->build[static_cast<size_t>(k)]->finish(buckets_->buildRuns[static_cast<size_t>(k)]);
    buckets_->probe[static_cast<size_t>(k)]->finish(buckets_->probeRuns[static_cast<size_t>(k)]);
  }
  metrics_.diskBytesSpilled += buckets_->file->bytesWritten();
  std::vector<Batch> frame;
  std::string scratch;
  for (size_t k = 0; k < static_cast<size_t>(kBuckets); ++k) {
    GraceHashJoin bucket(spec_, rt_, metrics_, depth_ + 1);
    for (const Segment& s : buckets_->buildRuns[k]) {
      readFrame(s, frame, scratch, "spilled join bucket");
      for (const Batch& b : frame) bucket.addBuild(b);
    }
    for (const Segment& s : buckets_->probeRuns[k]) {
      readFrame(s, frame, scratch, "spilled join bucket");
      for (const Batch& b : frame) bucket.addProbe(b, out);
    }
    bucket.finish(out);
    buckets_->buildRuns[k].clear();
    buckets_->probeRuns[k].clear();
  }
  buckets_.reset();
}

}  // namespace ember::sql
