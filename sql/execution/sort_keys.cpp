#include "sql/execution/sort_keys.hpp"

#include <bit>
#include <cmath>
#include <limits>

#include "sql/expression/evaluator.hpp"

namespace ember::sql {
namespace {

constexpr unsigned char kValid = 1;

/// Bytes of the value part of one key column for row i.
size_t valueBytes(const ColumnVector& c, size_t i) {
  if (c.physical() != Physical::kString) return widthOf(c.physical());
  if (c.isNull(i)) return 0;
  size_t n = 2;  // the terminator
  for (char ch : c.stringAt(i)) n += ch == '\0' ? 2 : 1;
  return n;
}

template <class U>
void putBigEndian(unsigned char* out, U u) {
  for (size_t k = 0; k < sizeof(U); ++k)
    out[k] = static_cast<unsigned char>(u >> (8 * (sizeof(U) - 1 - k)));
}

/// Writes row i's value of a fixed-width column, order-preserving, at
/// `out`; returns the end of what it wrote.
unsigned char* putFixed(const ColumnVector& c, size_t i, unsigned char* out) {
  switch (c.physical()) {
    case Physical::kBool:
      out[0] = c.values<uint8_t>()[i] ? 1 : 0;
      break;
    case Physical::kInt32:
      putBigEndian(out, static_cast<uint32_t>(c.values<int32_t>()[i]) ^ 0x80000000u);
      break;
    case Physical::kInt64:
      putBigEndian(out, static_cast<uint64_t>(c.values<int64_t>()[i]) ^ (uint64_t{1} << 63));
      break;
    case Physical::kInt128: {
      const auto u = static_cast<UInt128>(c.value<Int128>(i));
      putBigEndian(out, static_cast<uint64_t>(u >> 64) ^ (uint64_t{1} << 63));
      putBigEndian(out + 8, static_cast<uint64_t>(u));
      break;
    }
    case Physical::kDouble: {
      double d = c.values<double>()[i];
      if (d == 0) d = 0;  // -0.0 sorts as 0.0
      if (std::isnan(d)) d = std::numeric_limits<double>::quiet_NaN();
      auto bits = std::bit_cast<uint64_t>(d);
      bits = (bits >> 63) ? ~bits : bits | (uint64_t{1} << 63);
      putBigEndian(out, bits);
      break;
    }
    default:
      break;
  }
  return out + widthOf(c.physical());
}

/// Writes row i's string with 0x00 escaped as 0x00 0xFF and ended by
/// 0x00 0x00, so that a prefix sorts before its extensions.
unsigned char* putString(std::string_view s, unsigned char* out) {
  for (char ch : s) {
    *out++ = static_cast<unsigned char>(ch);
    if (ch == '\0') *out++ = 0xFF;
  }
  *out++ = 0;
  *out++ = 0;
  return out;
}

}  // namespace

void SortKeys::encode(const std::vector<ExprPtr>& orders, const Batch& b) {
  const size_t n = b.numRows();
  std::vector<ColumnPtr> columns;
  columns.reserve(orders.size());
  for (const ExprPtr& o : orders) columns.push_back(evaluate(*o->children[0], b));
  offsets_.assign(n + 1, 0);
  for (const ColumnPtr& c : columns) {
    for (size_t i = 0; i < n; ++i) offsets_[i + 1] += static_cast<uint32_t>(1 + valueBytes(*c, i));
  }
  for (size_t i = 0; i < n; ++i) offsets_[i + 1] += offsets_[i];
  bytes_.assign(offsets_[n], 0);
  std::vector<uint32_t> at(offsets_.begin(), offsets_.end() - 1);
  for (size_t k = 0; k < columns.size(); ++k) {
    const ColumnVector& c = *columns[k];
    const Expr& order = *orders[k];
    const unsigned char nullMark = order.nullsFirst ? 0 : 2;
    const bool strings = c.physical() == Physical::kString;
    for (size_t i = 0; i < n; ++i) {
      unsigned char* out = bytes_.data() + at[i];
      const bool null = c.isNull(i);
      *out++ = null ? nullMark : kValid;
      unsigned char* end = out + widthOf(c.physical());  // a null's value bytes stay 0
      if (!null) end = strings ? putString(c.stringAt(i), out) : putFixed(c, i, out);
      if (!order.ascending && !null)
        for (unsigned char* p = out; p != end; ++p) *p = static_cast<unsigned char>(~*p);
      at[i] = static_cast<uint32_t>(end - bytes_.data());
    }
  }
}

uint64_t SortKeys::prefix(size_t i) const {
  const std::string_view k = key(i);
  uint64_t p = 0;
  const size_t n = std::min<size_t>(k.size(), 8);
  for (size_t j = 0; j < n; ++j) p |= uint64_t{static_cast<unsigned char>(k[j])} << (8 * (7 - j));
  return p;
}

}  // namespace ember::sql
