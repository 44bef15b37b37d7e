#include "sql/execution/generate.hpp"

#include "sql/expression/evaluator.hpp"
#include "sql/plan/generate.hpp"

namespace ember::sql {
namespace {

constexpr uint32_t kNoElement = UINT32_MAX;

/// The elements picked, in order; kNoElement picks a null.
ColumnPtr pickedElements(const ColumnVector& elements, const std::vector<uint32_t>& picked,
                         bool padded) {
  if (!padded) return elements.gather(picked.data(), picked.size());
  auto out = std::make_shared<ColumnVector>(elements.type());
  for (const uint32_t e : picked)
    e == kNoElement ? out->appendNull() : out->appendFrom(elements, e);
  return out;
}

}  // namespace

std::vector<Batch> generateRows(const std::vector<ExprPtr>& exprs, const Batch& in) {
  const Expr& generator = *exprs[0];
  const bool outer = isOuter(generator);
  const ColumnPtr arrays = evaluate(*generator.children[0], in);
  std::vector<ColumnPtr> passed;
  for (size_t k = 1; k < exprs.size(); ++k) passed.push_back(evaluate(*exprs[k], in));
  std::vector<Batch> out;
  std::vector<uint32_t> rows, picked;
  bool padded = false;
  auto flush = [&] {
    if (rows.empty()) return;
    std::vector<ColumnPtr> columns;
    for (const ColumnPtr& c : passed) columns.push_back(c->gather(rows.data(), rows.size()));
    columns.push_back(pickedElements(arrays->elements(), picked, padded));
    out.emplace_back(rows.size(), std::move(columns));
    rows.clear();
    picked.clear();
    padded = false;
  };
  for (size_t i = 0; i < in.numRows(); ++i) {
    const bool null = arrays->isNull(i);
    const uint32_t begin = null ? 0 : arrays->arrayBegin(i);
    const uint32_t end = null ? 0 : arrays->arrayEnd(i);
    if (begin == end && outer) {
      rows.push_back(static_cast<uint32_t>(i));
      picked.push_back(kNoElement);
      padded = true;
    }
    for (uint32_t e = begin; e < end; ++e) {
      rows.push_back(static_cast<uint32_t>(i));
      picked.push_back(e);
    }
    if (rows.size() >= kBatchRows) flush();
  }
  flush();
  return out;
}

}  // namespace ember::sql
