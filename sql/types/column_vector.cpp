#include "sql/types/column_vector.hpp"

#include <bit>

namespace ember::sql {
namespace {

size_t words(size_t rows) { return (rows + 63) / 64; }

}  // namespace

ColumnVector::ColumnVector(DataType type) : type_(type), physical_(physicalOf(type)) {
  if (hasOffsets()) offsets_.push_back(0);
  if (physical_ == Physical::kArray) elements_ = std::make_unique<ColumnVector>(type.elementType());
}

void ColumnVector::endArray() {
  offsets_.push_back(static_cast<uint32_t>(elements_->size()));
  if (!validity_.empty()) growValidity(size_ + 1, true);
  ++size_;
}

void ColumnVector::resize(size_t size) {
  data_.resize(size * widthOf(physical_));
  if (!validity_.empty()) growValidity(size, true);
  size_ = size;
}

void ColumnVector::appendString(std::string_view s) {
  chars_.append(s);
  offsets_.push_back(static_cast<uint32_t>(chars_.size()));
  if (!validity_.empty()) growValidity(size_ + 1, true);
  ++size_;
}

uint64_t* ColumnVector::mutableValidity() {
  if (validity_.empty()) validity_.assign(words(size_) + 1, ~uint64_t{0});
  return validity_.data();
}

void ColumnVector::growValidity(size_t size, bool valid) {
  // Bits past size_ stay set, so that growing marks new rows valid.
  if (validity_.size() < words(size) + 1) validity_.resize(words(size) + 1, ~uint64_t{0});
  if (!valid) validity_[(size - 1) >> 6] &= ~(uint64_t{1} << ((size - 1) & 63));
}

size_t ColumnVector::nullCount() const {
  if (validity_.empty()) return 0;
  size_t valid = 0;
  const size_t full = size_ / 64;
  for (size_t w = 0; w < full; ++w) valid += static_cast<size_t>(std::popcount(validity_[w]));
  if (size_t rest = size_ % 64)
    valid += static_cast<size_t>(std::popcount(validity_[full] & ((uint64_t{1} << rest) - 1)));
  return size_ - valid;
}

void ColumnVector::compactValidity() {
  if (!validity_.empty() && nullCount() == 0) validity_.clear();
}

void ColumnVector::appendNull() {
  mutableValidity();
  if (physical_ == Physical::kString) {
    offsets_.push_back(static_cast<uint32_t>(chars_.size()));
  } else if (physical_ == Physical::kArray) {
    offsets_.push_back(static_cast<uint32_t>(elements_->size()));
  } else {
    data_.resize(data_.size() + widthOf(physical_));
  }
  growValidity(size_ + 1, false);
  ++size_;
}

void ColumnVector::appendFrom(const ColumnVector& other, size_t i) {
  if (other.isNull(i)) return appendNull();
  if (physical_ == Physical::kString) return appendString(other.stringAt(i));
  if (physical_ == Physical::kArray) {
    elements_->appendRange(*other.elements_, other.arrayBegin(i),
                           other.arrayEnd(i) - other.arrayBegin(i));
    return endArray();
  }
  const size_t w = widthOf(physical_);
  data_.insert(data_.end(), other.data_.begin() + static_cast<ptrdiff_t>(i * w),
               other.data_.begin() + static_cast<ptrdiff_t>((i + 1) * w));
  if (!validity_.empty()) growValidity(size_ + 1, true);
  ++size_;
}

void ColumnVector::appendRange(const ColumnVector& other, size_t from, size_t count) {
  if (count == 0) return;
  const size_t old = size_;
  if (physical_ == Physical::kString) {
    const uint32_t base = other.offsets_[from];
    const uint32_t shift = static_cast<uint32_t>(chars_.size());
    chars_.append(other.chars_.data() + base, other.offsets_[from + count] - base);
    for (size_t i = 1; i <= count; ++i) offsets_.push_back(other.offsets_[from + i] - base + shift);
  } else if (physical_ == Physical::kArray) {
    const uint32_t base = other.offsets_[from];
    const auto shift = static_cast<uint32_t>(elements_->size());
    elements_->appendRange(*other.elements_, base, other.offsets_[from + count] - base);
    for (size_t i = 1; i <= count; ++i) offsets_.push_back(other.offsets_[from + i] - base + shift);
  } else {
    const size_t w = widthOf(physical_);
    data_.insert(data_.end(), other.data_.begin() + static_cast<ptrdiff_t>(from * w),
                 other.data_.begin() + static_cast<ptrdiff_t>((from + count) * w));
  }
  size_ += count;
  if (validity_.empty() && !other.mayHaveNulls()) return;
  mutableValidity();
  growValidity(size_, true);
  if (!other.mayHaveNulls()) return;
  for (size_t i = 0; i < count; ++i)
    if (other.isNull(from + i)) validity_[(old + i) >> 6] &= ~(uint64_t{1} << ((old + i) & 63));
}

std::shared_ptr<ColumnVector> ColumnVector::gather(const uint32_t* rows, size_t n) const {
  auto out = std::make_shared<ColumnVector>(type_);
  if (physical_ == Physical::kString) {
    size_t bytes = 0;
    for (size_t i = 0; i < n; ++i) bytes += offsets_[rows[i] + 1] - offsets_[rows[i]];
    out->chars_.reserve(bytes);
    out->offsets_.reserve(n + 1);
    for (size_t i = 0; i < n; ++i) {
      out->chars_.append(chars_.data() + offsets_[rows[i]],
                         offsets_[rows[i] + 1] - offsets_[rows[i]]);
      out->offsets_.push_back(static_cast<uint32_t>(out->chars_.size()));
    }
    out->size_ = n;
  } else if (physical_ == Physical::kArray) {
    gatherArrays(rows, n, *out);
  } else if (physical_ != Physical::kNone) {
    out->resize(n);
    dispatchFixed(physical_, [&](auto tag) {
      using P = decltype(tag);
      const P* in = values<P>();
      P* o = out->values<P>();
      for (size_t i = 0; i < n; ++i) o[i] = in[rows[i]];
    });
  } else {
    out->size_ = n;
  }
  if (mayHaveNulls()) {
    uint64_t* v = out->mutableValidity();
    for (size_t i = 0; i < n; ++i)
      if (isNull(rows[i])) v[i >> 6] &= ~(uint64_t{1} << (i & 63));
    out->compactValidity();
  }
  return out;
}

/// One gather of the elements of all the rows, rather than a copy a row.
void ColumnVector::gatherArrays(const uint32_t* rows, size_t n, ColumnVector& out) const {
  std::vector<uint32_t> picked;
  out.offsets_.reserve(n + 1);
  for (size_t i = 0; i < n; ++i) {
    for (uint32_t e = offsets_[rows[i]]; e < offsets_[rows[i] + 1]; ++e) picked.push_back(e);
    out.offsets_.push_back(static_cast<uint32_t>(picked.size()));
  }
  *out.elements_ = std::move(*elements_->gather(picked.data(), picked.size()));
  out.size_ = n;
}

void ColumnVector::writeTo(ByteWriter& w) const {
  w.writeVarint(size_);
  w.writeVarint(validity_.empty() ? 0 : 1);
  if (!validity_.empty()) w.write(validity_.data(), words(size_) * 8);
  if (physical_ == Physical::kString) {
    w.write(offsets_.data(), (size_ + 1) * 4);
    w.writeVarint(chars_.size());
    w.write(chars_.data(), chars_.size());
  } else if (physical_ == Physical::kArray) {
    w.write(offsets_.data(), (size_ + 1) * 4);
    elements_->writeTo(w);
  } else {
    w.write(data_.data(), size_ * widthOf(physical_));
  }
}

void ColumnVector::checkOffsets(const ByteReader& r, size_t limit, const char* what) const {
  if (offsets_[0] != 0) r.fail(std::string("a ") + what);
  for (size_t i = 0; i < size_; ++i) {
    if (offsets_[i] > offsets_[i + 1] || offsets_[i + 1] > limit) r.fail(std::string("a ") + what);
  }
}

void ColumnVector::readFrom(ByteReader& r) {
  const uint64_t rows = r.readVarint();
  if (rows > kMaxBatchRows) r.fail("a column claims " + std::to_string(rows) + " rows");
  const auto size = static_cast<size_t>(rows);
  const bool nulls = r.readVarint() != 0;
  validity_.clear();
  if (nulls) {
    const std::string_view bits = r.readBytes(words(size) * 8);
    validity_.assign(words(size) + 1, ~uint64_t{0});
    std::memcpy(validity_.data(), bits.data(), bits.size());
  }
  size_ = size;
  if (physical_ == Physical::kString) {
    const std::string_view offs = r.readBytes((size + 1) * 4);
    offsets_.resize(size + 1);
    std::memcpy(offsets_.data(), offs.data(), offs.size());
    const size_t bytes = r.readCount(1);
    chars_.assign(r.readBytes(bytes));
    checkOffsets(r, chars_.size(), "string column's offsets point outside its bytes");
  } else if (physical_ == Physical::kArray) {
    const std::string_view offs = r.readBytes((size + 1) * 4);
    offsets_.resize(size + 1);
    std::memcpy(offsets_.data(), offs.data(), offs.size());
    elements_ = std::make_unique<ColumnVector>(type_.elementType());
    elements_->readFrom(r);
    checkOffsets(r, elements_->size(), "array column's offsets point outside its elements");
  } else {
    const std::string_view bytes = r.readBytes(size * widthOf(physical_));
    data_.assign(bytes.begin(), bytes.end());
    if (physical_ == Physical::kBool) {
      for (unsigned char b : data_)
        if (b > 1) r.fail("a boolean column holds a byte that is neither 0 nor 1");
    }
  }
}

Value valueAt(const ColumnVector& c, size_t i) {
  const DataType t = c.type();
  if (c.isNull(i) || t.id() == TypeId::kNull) return Value::null(t);
  switch (c.physical()) {
    case Physical::kBool:
      return Value{t, c.values<uint8_t>()[i] != 0};
    case Physical::kInt32:
      return Value{t, c.values<int32_t>()[i]};
    case Physical::kInt64:
      return Value{t, c.values<int64_t>()[i]};
    case Physical::kInt128:
      return Value{t, c.values<Int128>()[i]};
    case Physical::kDouble:
      return Value{t, c.values<double>()[i]};
    case Physical::kString:
      return Value{t, std::string(c.stringAt(i))};
    case Physical::kArray: {
      Value::List elements;
      elements.reserve(c.arrayEnd(i) - c.arrayBegin(i));
      for (uint32_t e = c.arrayBegin(i); e < c.arrayEnd(i); ++e)
        elements.push_back(valueAt(c.elements(), e));
      return Value{t, std::move(elements)};
    }
    case Physical::kNone:
      break;
  }
  return Value::null(t);
}

Int128 integerAt(const ColumnVector& c, size_t i) {
  switch (c.physical()) {
    case Physical::kBool:
      return c.values<uint8_t>()[i];
    case Physical::kInt32:
      return c.values<int32_t>()[i];
    case Physical::kInt64:
      return c.values<int64_t>()[i];
    case Physical::kInt128:
      return c.values<Int128>()[i];
    default:
      return 0;
  }
}

void appendValue(ColumnVector& c, const Value& v) {
  if (v.isNull()) return c.appendNull();
  if (c.physical() == Physical::kString) return c.appendString(std::get<std::string>(v.v));
  if (c.physical() == Physical::kArray) {
    for (const Value& e : std::get<Value::List>(v.v)) appendValue(c.mutableElements(), e);
    return c.endArray();
  }
  const size_t i = c.size();
  c.resize(i + 1);
  std::visit(
      [&](const auto& x) {
        using X = std::decay_t<decltype(x)>;
        if constexpr (!std::is_same_v<X, std::monostate> && !std::is_same_v<X, std::string> &&
                      !std::is_same_v<X, Value::List>) {
          dispatchFixed(c.physical(), [&](auto tag) {
            using P = decltype(tag);
            c.values<P>()[i] = static_cast<P>(x);
          });
        }
      },
      v.v);
}

}  // namespace ember::sql
