#include "sql/execution/row_gather.hpp"

namespace ember::sql {
namespace {

/// Column `c` of the batches `rows` name, gathered.
ColumnPtr gatherColumn(const std::vector<Batch>& sources, size_t c, const RowRef* rows, size_t n) {
  std::vector<const ColumnVector*> from;
  bool nulls = false;
  for (const Batch& b : sources) {
    from.push_back(&b.column(c));
    nulls = nulls || from.back()->mayHaveNulls();
  }
  const DataType type = from.front()->type();
  auto out = std::make_shared<ColumnVector>(type);
  const Physical p = out->physical();
  if (p == Physical::kString) {
    size_t chars = 0;
    for (size_t i = 0; i < n; ++i) chars += from[rows[i].batch]->stringAt(rows[i].row).size();
    out->reserveChars(chars);
    for (size_t i = 0; i < n; ++i) {
      const ColumnVector& src = *from[rows[i].batch];
      if (src.isNull(rows[i].row)) {
        out->appendNull();
      } else {
        out->appendString(src.stringAt(rows[i].row));
      }
    }
    return out;
  }
  if (p == Physical::kArray) {  // each row's elements, appended (no per-element dispatch)
    for (size_t i = 0; i < n; ++i) out->appendFrom(*from[rows[i].batch], rows[i].row);
    return out;
  }
  out->resize(n);
  if (p != Physical::kNone) {
    dispatchFixed(p, [&](auto tag) {
      using P = decltype(tag);
      P* dst = out->values<P>();
      for (size_t i = 0; i < n; ++i) dst[i] = from[rows[i].batch]->template value<P>(rows[i].row);
    });
  }
  if (nulls || p == Physical::kNone) {
    for (size_t i = 0; i < n; ++i)
      if (p == Physical::kNone || from[rows[i].batch]->isNull(rows[i].row)) out->setNull(i);
  }
  return out;
}

}  // namespace

Batch gatherRows(const std::vector<Batch>& sources, const RowRef* rows, size_t n) {
  std::vector<ColumnPtr> columns;
  const size_t width = sources.empty() ? 0 : sources.front().numColumns();
  for (size_t c = 0; c < width; ++c) columns.push_back(gatherColumn(sources, c, rows, n));
  return Batch(n, std::move(columns));
}

}  // namespace ember::sql
