#include "sql/io/record_builder.hpp"

#include "sql/expression/decimal.hpp"
#include "sql/io/field_parsing.hpp"

namespace ember::sql {

RecordBuilder::RecordBuilder(const StructType& columns, const ReadOptions& options,
                             int corruptColumn)
    : options_(options), corruptColumn_(corruptColumn) {
  for (const StructField& f : columns.fields()) types_.push_back(f.dataType);
  state_.assign(types_.size(), kUnset);
  pending_.resize(types_.size());
  startColumns();
}

void RecordBuilder::startColumns() {
  columns_.clear();
  for (DataType t : types_) {
    auto c = std::make_shared<ColumnVector>(t);
    if (c->physical() != Physical::kString) c->resize(capacity_);
    columns_.push_back(std::move(c));
  }
}

bool RecordBuilder::set(size_t column, std::string_view text) {
  if (columns_[column]->physical() == Physical::kString) {
    pending_[column] = text;
    state_[column] = kValue;
    return true;
  }
  const bool ok = parseFixed(column, text);
  state_[column] = ok ? kValue : kNull;
  return ok;
}

bool RecordBuilder::parseFixed(size_t column, std::string_view text) {
  ColumnVector& c = *columns_[column];
  const size_t row = rows_;
  auto store = [&](auto parsed, auto* slots) {
    if (!parsed) return false;
    slots[row] = *parsed;
    return true;
  };
  const DataType t = types_[column];
  switch (t.id()) {
    case TypeId::kBoolean:
      return store(parseBooleanField(text), c.values<uint8_t>());
    case TypeId::kInt:
      return store(parseIntField(text), c.values<int32_t>());
    case TypeId::kBigInt:
      return store(parseLongField(text), c.values<int64_t>());
    case TypeId::kDouble:
      return store(parseDoubleField(text), c.values<double>());
    case TypeId::kDate:
      return store(parseDateField(text, options_), c.values<int32_t>());
    case TypeId::kTimestamp:
      return store(parseTimestampField(text, options_), c.values<int64_t>());
    case TypeId::kDecimal: {
      const auto v = parseDecimal(text, t.precision(), t.scale());
      if (!v) return false;
      if (t.isWideDecimal()) {
        c.values<Int128>()[row] = *v;
      } else {
        c.values<int64_t>()[row] = static_cast<int64_t>(*v);
      }
      return true;
    }
    default:
      return false;
  }
}

void RecordBuilder::keep(bool malformed, std::string_view raw) {
  if (corruptColumn_ >= 0) {
    const auto k = static_cast<size_t>(corruptColumn_);
    state_[k] = malformed ? kValue : kNull;
    pending_[k] = raw;
  }
  for (size_t i = 0; i < columns_.size(); ++i) {
    ColumnVector& c = *columns_[i];
    const bool value = state_[i] == kValue;
    if (c.physical() == Physical::kString) {
      value ? c.appendString(pending_[i]) : c.appendNull();
    } else if (!value) {
      c.setNull(rows_);
    }
    state_[i] = kUnset;
  }
  ++rows_;
}

void RecordBuilder::drop() { state_.assign(state_.size(), kUnset); }

Batch RecordBuilder::finish() {
  std::vector<ColumnPtr> done;
  for (auto& c : columns_) {
    if (c->physical() != Physical::kString) c->resize(rows_);
    c->compactValidity();
    done.push_back(std::move(c));
  }
  Batch b(rows_, std::move(done));
  rows_ = 0;
  startColumns();
  return b;
}

}  // namespace ember::sql
