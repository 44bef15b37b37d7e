#pragma once
// The loops of the Window operator over a chunk of whole window
// partitions, sorted: where partitions, peer groups and frames begin and
// end, and the functions computed over them, one typed loop each.

#include <cstdint>
#include <vector>

#include "sql/execution/sort_keys.hpp"
#include "sql/expression/window_frame.hpp"
#include "sql/types/column_vector.hpp"

namespace ember::sql {

/// Per row of a chunk: [partBegin, partEnd) is its window partition,
/// [peerBegin, peerEnd) its peers (equal order keys in that partition).
struct WindowLayout {
  std::vector<uint32_t> partBegin, partEnd, peerBegin, peerEnd;
};

/// The layout of `rows` sorted rows from their encoded partition keys and
/// order keys (nullptr: none, one partition or all rows peers).
WindowLayout layoutOf(const SortKeys* partition, const SortKeys* order, size_t rows);

/// Per row, the frame [lo, hi) of row positions (empty when lo >= hi).
struct FrameBounds {
  std::vector<uint32_t> lo, hi;
};

FrameBounds rowFrame(const WindowLayout& l, const WindowFrame& f);
/// A RANGE frame. `key` is the single order key's values when a bound is
/// a value offset (else unused), sorted `ascending` within each partition.
FrameBounds rangeFrame(const WindowLayout& l, const WindowFrame& f, const ColumnVector* key,
                       bool ascending);

enum class RankKind : uint8_t { kRowNumber, kRank, kDenseRank, kNtile };
/// INT results of a ranking function (`buckets`: ntile's n).
std::shared_ptr<ColumnVector> rankColumn(const WindowLayout& l, RankKind kind, int64_t buckets);
/// DOUBLE results of percent_rank (`cume` false) or cume_dist.
std::shared_ptr<ColumnVector> distributionColumn(const WindowLayout& l, bool cume);

/// Rows `idx` of `src`, where idx < 0 takes row i of `fallback` (null
/// when there is none).
ColumnPtr pickRows(const ColumnVector& src, const std::vector<int64_t>& idx,
                   const ColumnVector* fallback);
/// lag (offset > 0) or lead (offset < 0): the row `offset` before, within the partition.
std::vector<int64_t> offsetRows(const WindowLayout& l, int64_t offset);
/// The frame's n-th row (1-based; first is 1, last is n = 0).
std::vector<int64_t> frameRows(const FrameBounds& f, int64_t n);

enum class FoldKind : uint8_t { kCount, kCountStar, kSum, kAvg, kMin, kMax };
/// An aggregate of each row's frame: count (BIGINT), sum (BIGINT for
/// integers, DOUBLE), avg (DOUBLE), min and max (of any comparable type).
/// `in` is the argument (nullptr for count(*)).
ColumnPtr foldColumn(const WindowLayout& l, const FrameBounds& f, const WindowFrame& frame,
                     FoldKind kind, const ColumnVector* in, DataType result);

}  // namespace ember::sql
