#pragma once
// gatherRows: rows picked from several batches, copied into one.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "sql/types/batch.hpp"

namespace ember::sql {

/// Row `row` of batch `batch` of some list of batches.
struct RowRef {
  uint32_t batch;
  uint32_t row;
};

/// The rows `rows[0..n)` of `sources` (batches of the same columns)
/// gathered into one batch, column by column with one type dispatch per
/// column: how a sort's output and an exchange's per-partition batches are
/// cut from their inputs.
Batch gatherRows(const std::vector<Batch>& sources, const RowRef* rows, size_t n);

}  // namespace ember::sql
