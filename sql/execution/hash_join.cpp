#include "sql/execution/hash_join.hpp"

#include <stdexcept>

#include "sql/expression/evaluator.hpp"

namespace ember::sql {
namespace {

std::vector<ColumnPtr> evaluateAll(const std::vector<ExprPtr>& exprs, const Batch& b) {
  std::vector<ColumnPtr> out;
  out.reserve(exprs.size());
  for (const ExprPtr& e : exprs) out.push_back(evaluate(*e, b));
  return out;
}

/// Every column of `b` gathered at `rows`, appended to `out`.
void gatherInto(const Batch& b, const std::vector<uint32_t>& rows, std::vector<ColumnPtr>& out) {
  for (const ColumnPtr& c : b.columns()) out.push_back(c->gather(rows.data(), rows.size()));
}

void nullsInto(const std::vector<DataType>& types, size_t n, std::vector<ColumnPtr>& out) {
  for (const DataType& t : types) out.push_back(constantColumn(Value::null(t), n));
}

std::vector<DataType> typesOf(const std::vector<ExprPtr>& exprs) {
  std::vector<DataType> types;
  for (const ExprPtr& e : exprs) types.push_back(e->type);
  return types;
}

}  // namespace

JoinHashTable::JoinHashTable(std::shared_ptr<const JoinSpec> spec)
    : spec_(std::move(spec)), heads_(typesOf(spec_->buildKeys())) {}

void JoinHashTable::add(const Batch& b) {
  if (b.numRows() > 0) pending_.push_back(b);
}

void JoinHashTable::build() {
  const std::vector<DataType>& types =
      spec_->build == BuildSide::kRight ? spec_->rightTypes : spec_->leftTypes;
  size_t total = 0;
  for (const Batch& b : pending_) total += b.numRows();
  if (total > kMaxBatchRows) {
    throw std::length_error(
        "hash join: a build side of " + std::to_string(total) +
        " rows in one task; raise ember.sql.shuffle.partitions so that each task builds less");
  }
  std::vector<ColumnPtr> columns;
  for (size_t c = 0; c < types.size(); ++c) {
    auto column = std::make_shared<ColumnVector>(types[c]);
    for (const Batch& b : pending_) column->appendRange(b.column(c), 0, b.numRows());
    columns.push_back(std::move(column));
  }
  pending_.clear();
  pending_.shrink_to_fit();
  rows_ = Batch(total, std::move(columns));
  next_.assign(total, kEnd);
  const std::vector<ColumnPtr> keys = evaluateAll(spec_->buildKeys(), rows_);
  // Rows are linked last to first, so that each chain runs in build order.
  for (size_t r = total; r-- > 0;) {
    if (r >= KeyIndex::kPrefetchAhead) heads_.prefetch(keys, r - KeyIndex::kPrefetchAhead);
    if (nullKey(keys, r)) continue;
    uint32_t& head = heads_.slot(keys, r, kEnd);
    next_[r] = head;
    head = static_cast<uint32_t>(r);
  }
}

bool JoinHashTable::nullKey(const std::vector<ColumnPtr>& keys, size_t i) const {
  for (size_t k = 0; k < keys.size(); ++k) {
    if (!spec_->nullSafe[k] && keys[k]->isNull(i)) return true;
  }
  return false;
}

void JoinHashTable::prefetch(const std::vector<ColumnPtr>& keys, size_t i) const {
  heads_.prefetch(keys, i);
}

uint32_t JoinHashTable::head(const std::vector<ColumnPtr>& keys, size_t i,
                             std::string& scratch) const {
  return heads_.find(keys, i, scratch);
}

/// The candidate pairs of one probe batch, cut into runs of kBatchRows.
struct HashJoinProber::Run {
  const Batch& probe;
  std::vector<uint32_t> probeRows, buildRows;
  std::vector<uint8_t> probeMatched;
};

HashJoinProber::HashJoinProber(std::shared_ptr<const JoinSpec> spec,
                               std::shared_ptr<const JoinHashTable> table)
    : spec_(std::move(spec)), table_(std::move(table)) {
  if (spec_->keepsUnmatchedBuild()) buildMatched_.assign(table_->rows().numRows(), 0);
}

void HashJoinProber::probe(const Batch& probe, std::vector<Batch>& out) {
  const std::vector<ColumnPtr> keys = evaluateAll(spec_->probeKeys(), probe);
  const bool semiOrAnti = !keepsRightColumns(spec_->type);
  // Without a residual, a semi or anti join needs to know only whether a
  // key has a row.
  const bool existence = semiOrAnti && !spec_->residual;
  Run run{probe, {}, {}, std::vector<uint8_t>(probe.numRows(), 0)};
  run.probeRows.reserve(kBatchRows);
  run.buildRows.reserve(kBatchRows);
  for (size_t i = 0; i < probe.numRows(); ++i) {
    if (i + KeyIndex::kPrefetchAhead < probe.numRows())
      table_->prefetch(keys, i + KeyIndex::kPrefetchAhead);
    if (table_->nullKey(keys, i)) continue;
    for (uint32_t r = table_->head(keys, i, scratch_); r != JoinHashTable::kEnd;
         r = table_->next(r)) {
      if (existence) {
        run.probeMatched[i] = 1;
        break;
      }
      run.probeRows.push_back(static_cast<uint32_t>(i));
      run.buildRows.push_back(r);
      if (run.probeRows.size() >= kBatchRows) flush(run, out);
    }
  }
  flush(run, out);
  if (!semiOrAnti && !spec_->keepsUnmatchedProbe()) return;
  const uint8_t wanted = spec_->type == JoinType::kLeftSemi ? 1 : 0;
  std::vector<uint32_t> rows;
  for (size_t i = 0; i < probe.numRows(); ++i) {
    if (run.probeMatched[i] == wanted) rows.push_back(static_cast<uint32_t>(i));
  }
  if (rows.empty()) return;
  out.push_back(semiOrAnti ? probe.gather(rows.data(), rows.size())
                           : padded(probe, rows, spec_->build == BuildSide::kRight));
}

void HashJoinProber::flush(Run& run, std::vector<Batch>& out) {
  if (run.probeRows.empty()) return;
  const bool buildRight = spec_->build == BuildSide::kRight;
  std::vector<ColumnPtr> columns;
  gatherInto(buildRight ? run.probe : table_->rows(), buildRight ? run.probeRows : run.buildRows,
             columns);
  gatherInto(buildRight ? table_->rows() : run.probe, buildRight ? run.buildRows : run.probeRows,
             columns);
  Batch joined(run.probeRows.size(), std::move(columns));
  std::vector<uint32_t> kept;
  if (spec_->residual) kept = selectRows(*spec_->residual, joined);
  const size_t n = spec_->residual ? kept.size() : run.probeRows.size();
  for (size_t k = 0; k < n; ++k) {
    const size_t pair = spec_->residual ? kept[k] : k;
    run.probeMatched[run.probeRows[pair]] = 1;
    if (!buildMatched_.empty()) buildMatched_[run.buildRows[pair]] = 1;
  }
  if (keepsRightColumns(spec_->type) && n > 0) {
    out.push_back(spec_->residual && n < joined.numRows() ? joined.gather(kept.data(), n)
                                                          : std::move(joined));
  }
  run.probeRows.clear();
  run.buildRows.clear();
}

Batch HashJoinProber::padded(const Batch& side, const std::vector<uint32_t>& rows,
                             bool sideIsLeft) const {
  std::vector<ColumnPtr> columns;
  if (sideIsLeft) {
    gatherInto(side, rows, columns);
    nullsInto(spec_->rightTypes, rows.size(), columns);
  } else {
    nullsInto(spec_->leftTypes, rows.size(), columns);
    gatherInto(side, rows, columns);
  }
  return Batch(rows.size(), std::move(columns));
}

void HashJoinProber::finish(std::vector<Batch>& out) {
  if (buildMatched_.empty()) return;
  const Batch& rows = table_->rows();
  std::vector<uint32_t> unmatched;
  for (size_t start = 0; start < rows.numRows(); start += kBatchRows) {
    unmatched.clear();
    const size_t end = std::min(rows.numRows(), start + kBatchRows);
    for (size_t r = start; r < end; ++r) {
      if (!buildMatched_[r]) unmatched.push_back(static_cast<uint32_t>(r));
    }
    if (!unmatched.empty())
      out.push_back(padded(rows, unmatched, spec_->build == BuildSide::kLeft));
  }
}

}  // namespace ember::sql
