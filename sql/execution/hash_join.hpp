#pragma once
// Hash joins: the build side's rows in one batch, indexed by key; the other
// side's batches probe it, and each run of matches is gathered into output
// batches column by column.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sql/execution/key_index.hpp"
#include "sql/expression/expression.hpp"
#include "sql/plan/join_type.hpp"
#include "sql/types/batch.hpp"

namespace ember::sql {

enum class BuildSide : uint8_t { kLeft, kRight };

/// What a join operator needs, taken from the plan once.
struct JoinSpec {
  JoinType type = JoinType::kInner;
  BuildSide build = BuildSide::kRight;
  /// The equi-join keys, resolved on each side's own columns; pairs have
  /// one type. None: every row pairs with every row (a nested-loop join).
  std::vector<ExprPtr> leftKeys, rightKeys;
  std::vector<bool> nullSafe;  ///< per key: <=>, where null matches null
  ExprPtr residual;            ///< the rest of the condition, on left ++ right columns; or null
  std::vector<DataType> leftTypes, rightTypes;

  const std::vector<ExprPtr>& buildKeys() const {
    return build == BuildSide::kRight ? rightKeys : leftKeys;
  }
  const std::vector<ExprPtr>& probeKeys() const {
    return build == BuildSide::kRight ? leftKeys : rightKeys;
  }
  /// Whether unmatched rows of the probe (streamed) and build sides are kept.
  bool keepsUnmatchedProbe() const {
    return build == BuildSide::kRight ? keepsUnmatchedLeft(type) : keepsUnmatchedRight(type);
  }
  bool keepsUnmatchedBuild() const {
    return build == BuildSide::kRight ? keepsUnmatchedRight(type) : keepsUnmatchedLeft(type);
  }
};

/// The build side: its rows, concatenated, and chains of the rows of each
/// key. Immutable once build() returns, so that the tasks of a process share
/// one broadcast table.
class JoinHashTable {
 public:
  static constexpr uint32_t kEnd = KeyIndex::kMissing;

  explicit JoinHashTable(std::shared_ptr<const JoinSpec> spec);

  void add(const Batch& b);
  /// Indexes the rows added; call once, after the last add().
  void build();

  const Batch& rows() const { return rows_; }
  /// The first build row whose key equals probe row `i`'s (`keys` are the
  /// probe key columns), or kEnd; next() walks the rest, in build order.
  uint32_t head(const std::vector<ColumnPtr>& keys, size_t i, std::string& scratch) const;
  uint32_t next(uint32_t row) const { return next_[row]; }
  /// Asks the memory for probe row `i`'s head ahead of head().
  void prefetch(const std::vector<ColumnPtr>& keys, size_t i) const;
  /// Whether row `i` has a null in a key that is not null-safe: it matches
  /// nothing.
  bool nullKey(const std::vector<ColumnPtr>& keys, size_t i) const;

 private:
  std::shared_ptr<const JoinSpec> spec_;
  std::vector<Batch> pending_;
  Batch rows_;
  std::vector<uint32_t> next_;
  KeyIndex heads_;  ///< each key's first row
};

/// One task's side of a hash join: probes a table with batches of the
/// other side and emits the joined rows; remembers which build rows
/// matched when the join keeps the others.
class HashJoinProber {
 public:
  HashJoinProber(std::shared_ptr<const JoinSpec> spec, std::shared_ptr<const JoinHashTable> table);

  /// Appends the output rows `probe` gives (batches of at most kBatchRows).
  void probe(const Batch& probe, std::vector<Batch>& out);
  /// Appends the build rows no probe row matched, when the join keeps them.
  void finish(std::vector<Batch>& out);

 private:
  struct Run;
  void flush(Run& run, std::vector<Batch>& out);
  /// Rows `rows` of one side, the other side's columns null.
  Batch padded(const Batch& side, const std::vector<uint32_t>& rows, bool sideIsLeft) const;

  std::shared_ptr<const JoinSpec> spec_;
  std::shared_ptr<const JoinHashTable> table_;
  std::vector<uint8_t> buildMatched_;
  std::string scratch_;
};

}  // namespace ember::sql
