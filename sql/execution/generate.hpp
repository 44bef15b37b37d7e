#pragma once
// The Generate operator: explode and explode_outer over a batch's rows.

#include <vector>

#include "sql/expression/expression.hpp"
#include "sql/types/batch.hpp"

namespace ember::sql {

/// The rows a Generate node's `exprs` (its generator, then the columns it
/// passes through) make of `in`: each input row once per element of its
/// array, or, for explode_outer, once with a null element when the array
/// is null or empty. The passed columns are gathered, the elements taken
/// by one gather of the array's element vector; the rows come in batches
/// of about kBatchRows, however long the arrays.
std::vector<Batch> generateRows(const std::vector<ExprPtr>& exprs, const Batch& in);

}  // namespace ember::sql
