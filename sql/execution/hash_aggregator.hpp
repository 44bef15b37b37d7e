#pragma once
// HashAggregator: groups the rows of batches by key and folds each group's
// values into the states of its aggregate functions, in flat columnar
// arrays indexed by group.

#include <memory>
#include <string>
#include <vector>

#include "sql/execution/aggregate_function.hpp"
#include "sql/execution/key_index.hpp"
#include "sql/types/batch.hpp"

namespace ember::sql {

/// The two halves of an aggregation, around the exchange: kPartial reads
/// input rows (keys and arguments evaluated from them) and emits
/// [keys..., states...]; kFinal reads those batches, merges equal keys'
/// states and emits [keys..., results...].
enum class AggregateMode : uint8_t { kPartial, kFinal };

class HashAggregator {
 public:
  /// `keys` are resolved on the input (kPartial); in kFinal the keys are
  /// the first keys.size() columns of each batch, of keyTypes.
  HashAggregator(AggregateMode mode, std::vector<ExprPtr> keys, std::vector<DataType> keyTypes,
                 std::vector<AggregateFunction> functions);
  ~HashAggregator();
  HashAggregator(const HashAggregator&) = delete;
  HashAggregator& operator=(const HashAggregator&) = delete;

  void add(const Batch& batch);
  size_t groups() const { return groups_; }
  /// The groups as batches of at most kBatchRows rows. A global
  /// aggregation (no keys) has one group even without input, as in SQL.
  std::vector<Batch> finish();
  /// The groups as a kPartial aggregator emits them, [keys..., states...],
  /// in either mode: what a kFinal one reads back (spilling).
  std::vector<Batch> finishStates();
  /// Bytes the table holds (keys, states and index), for memory budgets.
  int64_t bytes() const;

 private:
  struct State;

  std::vector<Batch> output(bool states);
  /// Group ids of the rows of `keys`, new groups added.
  void groupIds(const std::vector<ColumnPtr>& keys, size_t rows, std::vector<uint32_t>& out);

  AggregateMode mode_;
  std::vector<ExprPtr> keys_;
  std::vector<DataType> keyTypes_;
  std::vector<std::unique_ptr<State>> states_;
  std::vector<std::shared_ptr<ColumnVector>> keyColumns_;  ///< one row per group
  KeyIndex index_;                                         ///< key to group id
  size_t groups_ = 0;
};

}  // namespace ember::sql
