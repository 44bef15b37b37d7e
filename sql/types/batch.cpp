#include "sql/types/batch.hpp"

#include <utility>

namespace ember::sql {

Batch Batch::gather(const uint32_t* rows, size_t n) const {
  std::vector<ColumnPtr> columns;
  columns.reserve(columns_.size());
  for (const ColumnPtr& c : columns_) columns.push_back(c->gather(rows, n));
  return Batch(n, std::move(columns));
}

int64_t Batch::bytes() const {
  int64_t total = static_cast<int64_t>(sizeof(*this));
  for (const ColumnPtr& c : columns_) total += c->bytes();
  return total;
}

void Batch::writeTo(ByteWriter& w) const {
  w.writeVarint(rows_);
  w.writeVarint(columns_.size());
  for (const ColumnPtr& c : columns_) {
    writeDataType(w, c->type());
    c->writeTo(w);
  }
}

void Batch::readFrom(ByteReader& r) {
  const uint64_t rows = r.readVarint();
  if (rows > kMaxBatchRows) r.fail("a batch claims " + std::to_string(rows) + " rows");
  rows_ = static_cast<size_t>(rows);
  const size_t n = r.readCount(4);
  columns_.clear();
  columns_.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    auto column = std::make_shared<ColumnVector>(readDataType(r));
    column->readFrom(r);
    if (column->size() != rows_) r.fail("a column's row count differs from its batch's");
    columns_.push_back(std::move(column));
  }
}

BatchBuilder::BatchBuilder(const std::vector<DataType>& types, size_t capacity)
    : types_(types), capacity_(capacity) {
  finish();
}

void BatchBuilder::appendRow(const Batch& batch, size_t row) {
  for (size_t c = 0; c < columns_.size(); ++c) columns_[c]->appendFrom(batch.column(c), row);
  ++rows_;
}

Batch BatchBuilder::finish() {
  std::vector<ColumnPtr> done;
  done.reserve(columns_.size());
  for (auto& c : columns_) {
    c->compactValidity();
    done.push_back(std::move(c));
  }
  const size_t rows = std::exchange(rows_, 0);
  columns_.clear();
  for (DataType t : types_) columns_.push_back(std::make_shared<ColumnVector>(t));
  return Batch(rows, std::move(done));
}

}  // namespace ember::sql
