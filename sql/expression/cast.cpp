#include "sql/expression/cast.hpp"

#include <strings.h>
#include <charconv>
#include <cmath>
#include <limits>

#include "sql/expression/decimal.hpp"
#include "sql/types/date_time.hpp"
#include "sql/types/value.hpp"

namespace ember::sql {
namespace {

bool isTemporal(DataType t) { return t.id() == TypeId::kDate || t.id() == TypeId::kTimestamp; }

/// A number held by a fixed-width vector, as the widest type of its kind.
struct Number {
  Int128 integer = 0;  ///< integral value, or unscaled decimal
  double real = 0;
  bool isReal = false;
};

/// Java's (int)/(long) conversion of a double: truncated, saturated, NaN 0.
template <class I>
I saturate(double x) {
  if (std::isnan(x)) return 0;
  if (x >= static_cast<double>(std::numeric_limits<I>::max())) return std::numeric_limits<I>::max();
  if (x <= static_cast<double>(std::numeric_limits<I>::min())) return std::numeric_limits<I>::min();
  return static_cast<I>(x);
}

std::shared_ptr<ColumnVector> allNull(DataType to, size_t n) {
  auto out = std::make_shared<ColumnVector>(to);
  for (size_t i = 0; i < n; ++i) out->appendNull();
  return out;
}

/// Reads row i of a numeric, boolean or temporal vector.
Number numberAt(const ColumnVector& in, size_t i) {
  Number n;
  if (in.physical() == Physical::kDouble) {
    n.real = in.values<double>()[i];
    n.isReal = true;
  } else {
    n.integer = integerAt(in, i);
  }
  return n;
}

/// The scale of a vector's integers: a decimal's, timestamps' microseconds
/// when they become numbers (seconds), else none.
int scaleOf(DataType t) {
  if (t.id() == TypeId::kDecimal) return t.scale();
  if (t.id() == TypeId::kTimestamp) return 6;
  return 0;
}

/// Writes number `n` (of scale `from`) into row i of `out`; false when it
/// does not fit (the row becomes null).
bool storeNumber(const Number& n, int from, ColumnVector& out, size_t i) {
  const DataType to = out.type();
  if (to.id() == TypeId::kDouble) {
    out.values<double>()[i] =
        n.isReal ? n.real : static_cast<double>(n.integer) / static_cast<double>(pow10(from));
    return true;
  }
  if (to.id() == TypeId::kBoolean) {
    out.values<uint8_t>()[i] = n.isReal ? n.real != 0 : n.integer != 0;
    return true;
  }
  const int scale = scaleOf(to);
  std::optional<Int128> v;
  if (n.isReal) {
    if (to.id() == TypeId::kDecimal) {
      v = decimalFromDouble(n.real, to.precision(), scale);
    } else if (to.id() == TypeId::kTimestamp) {
      if (!std::isfinite(n.real)) return false;
      v = saturate<int64_t>(n.real * 1e6);
    } else {
      v = to.id() == TypeId::kInt ? saturate<int32_t>(n.real) : saturate<int64_t>(n.real);
    }
  } else {
    // Integral targets truncate toward zero, as Spark's decimal-to-int does.
    v = scale >= from ? rescale(n.integer, from, scale) : n.integer / pow10(from - scale);
  }
  if (!v) return false;
  switch (out.physical()) {
    case Physical::kInt32:
      out.values<int32_t>()[i] = static_cast<int32_t>(*v);  // wraps, as Java's (int)
      return true;
    case Physical::kInt64:
      if (to.id() == TypeId::kDecimal && !fitsPrecision(*v, to.precision())) return false;
      out.values<int64_t>()[i] = static_cast<int64_t>(*v);
      return true;
    case Physical::kInt128:
      if (!fitsPrecision(*v, to.precision())) return false;
      out.values<Int128>()[i] = *v;
      return true;
    default:
      return false;
  }
}

std::shared_ptr<ColumnVector> numericToNumeric(const ColumnVector& in, DataType to) {
  auto out = std::make_shared<ColumnVector>(to, in.size());
  const int from = scaleOf(in.type());
  for (size_t i = 0; i < in.size(); ++i) {
    if (in.isNull(i)) {
      out->setNull(i);
      continue;
    }
    if (!storeNumber(numberAt(in, i), from, *out, i)) out->setNull(i);
  }
  out->compactValidity();
  return out;
}

std::string formatRow(const ColumnVector& in, size_t i);

/// As Spark casts an array to a string: "[a, null, c]".
std::string arrayText(const ColumnVector& in, size_t i) {
  const ColumnVector& elements = in.elements();
  std::string out = "[";
  for (uint32_t e = in.arrayBegin(i); e < in.arrayEnd(i); ++e) {
    if (e > in.arrayBegin(i)) out += ", ";
    out += elements.isNull(e) ? "null" : formatRow(elements, e);
  }
  return out + "]";
}

std::string formatRow(const ColumnVector& in, size_t i) {
  const DataType t = in.type();
  switch (t.id()) {
    case TypeId::kBoolean:
      return in.values<uint8_t>()[i] ? "true" : "false";
    case TypeId::kInt:
      return std::to_string(in.values<int32_t>()[i]);
    case TypeId::kBigInt:
      return std::to_string(in.values<int64_t>()[i]);
    case TypeId::kDouble:
      return formatDouble(in.values<double>()[i]);
    case TypeId::kDecimal:
      return formatDecimal(t.isWideDecimal() ? in.values<Int128>()[i] : in.values<int64_t>()[i],
                           t.scale());
    case TypeId::kDate:
      return formatDate(in.values<int32_t>()[i]);
    case TypeId::kTimestamp:
      return formatTimestamp(in.values<int64_t>()[i]);
    case TypeId::kArray:
      return arrayText(in, i);
    default:
      return std::string(in.stringAt(i));
  }
}

ColumnPtr toStrings(const ColumnVector& in) {
  auto out = std::make_shared<ColumnVector>(DataType::string());
  for (size_t i = 0; i < in.size(); ++i) {
    if (in.isNull(i)) {
      out->appendNull();
    } else {
      out->appendString(formatRow(in, i));
    }
  }
  return out;
}

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::optional<bool> parseBool(std::string_view s) {
  static constexpr const char* kTrue[] = {"true", "t", "yes", "y", "1"};
  static constexpr const char* kFalse[] = {"false", "f", "no", "n", "0"};
  const std::string t(trimmed(s));
  for (const char* w : kTrue)
    if (strcasecmp(t.c_str(), w) == 0) return true;
  for (const char* w : kFalse)
    if (strcasecmp(t.c_str(), w) == 0) return false;
  return std::nullopt;
}

std::optional<double> parseDouble(std::string_view s) {
  const std::string t(trimmed(s));
  if (t.empty()) return std::nullopt;
  double v = 0;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec == std::errc() && end == t.data() + t.size()) return v;
  if (t == "Infinity" || t == "+Infinity" || t == "inf")
    return std::numeric_limits<double>::infinity();
  if (t == "-Infinity" || t == "-inf") return -std::numeric_limits<double>::infinity();
  if (t == "NaN") return std::numeric_limits<double>::quiet_NaN();
  return std::nullopt;
}

/// Parses row i of a string vector into row i of `out`; false when the
/// text is not a value of out's type.
bool parseInto(std::string_view s, ColumnVector& out, size_t i) {
  const DataType to = out.type();
  switch (to.id()) {
    case TypeId::kBoolean: {
      auto b = parseBool(s);
      if (b) out.values<uint8_t>()[i] = *b;
      return b.has_value();
    }
    case TypeId::kDouble: {
      auto d = parseDouble(s);
      if (d) out.values<double>()[i] = *d;
      return d.has_value();
    }
    case TypeId::kDate: {
      auto d = parseDate(s);
      if (d) out.values<int32_t>()[i] = *d;
      return d.has_value();
    }
    case TypeId::kTimestamp: {
      auto t = parseTimestamp(s);
      if (t) out.values<int64_t>()[i] = *t;
      return t.has_value();
    }
    case TypeId::kDecimal: {
      auto v = parseDecimal(s, to.precision(), to.scale());
      if (!v) return false;
      if (to.isWideDecimal()) {
        out.values<Int128>()[i] = *v;
      } else {
        out.values<int64_t>()[i] = static_cast<int64_t>(*v);
      }
      return true;
    }
    default: {  // INT and BIGINT: "12", " 12 ", and "12.7" truncated, as Spark
      const Int128 lo = to.id() == TypeId::kInt ? std::numeric_limits<int32_t>::min()
                                                : std::numeric_limits<int64_t>::min();
      const Int128 hi = to.id() == TypeId::kInt ? std::numeric_limits<int32_t>::max()
                                                : std::numeric_limits<int64_t>::max();
      auto whole = parseDecimal(s, 38, 6);
      if (!whole) return false;
      const Int128 truncated = *whole / 1'000'000;
      if (truncated < lo || truncated > hi) return false;
      if (to.id() == TypeId::kInt) {
        out.values<int32_t>()[i] = static_cast<int32_t>(truncated);
      } else {
        out.values<int64_t>()[i] = static_cast<int64_t>(truncated);
      }
      return true;
    }
  }
}

ColumnPtr fromStrings(const ColumnVector& in, DataType to) {
  auto out = std::make_shared<ColumnVector>(to, in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    if (in.isNull(i) || !parseInto(in.stringAt(i), *out, i)) out->setNull(i);
  }
  out->compactValidity();
  return out;
}

ColumnPtr temporalToTemporal(const ColumnVector& in, DataType to) {
  auto out = std::make_shared<ColumnVector>(to, in.size());
  const size_t n = in.size();
  if (to.id() == TypeId::kTimestamp) {
    const int32_t* d = in.values<int32_t>();
    int64_t* o = out->values<int64_t>();
    for (size_t i = 0; i < n; ++i) o[i] = int64_t{d[i]} * kMicrosPerDay;
  } else {
    const int64_t* t = in.values<int64_t>();
    int32_t* o = out->values<int32_t>();
    for (size_t i = 0; i < n; ++i) o[i] = dayOfTimestamp(t[i]);
  }
  for (size_t i = 0; i < n; ++i)
    if (in.isNull(i)) out->setNull(i);
  return out;
}

}  // namespace

bool canCast(DataType from, DataType to) {
  if (from == to || from.id() == TypeId::kNull) return true;
  // An array becomes its text; no other cast to or from an array is kept.
  if (from.isArray() || to.isArray()) return to.id() == TypeId::kString;
  if (from.id() == TypeId::kString || to.id() == TypeId::kString) return true;
  if (isTemporal(from) && isTemporal(to)) return true;
  const bool fromNumber = from.isNumeric() || from.id() == TypeId::kBoolean;
  const bool toNumber = to.isNumeric() || to.id() == TypeId::kBoolean;
  if (fromNumber && toNumber) return true;
  // Timestamps are seconds to numbers, and back; dates are no number.
  if (from.id() == TypeId::kTimestamp && toNumber) return to.id() != TypeId::kBoolean;
  if (fromNumber && to.id() == TypeId::kTimestamp) return from.id() != TypeId::kBoolean;
  return false;
}

ColumnPtr castColumn(const ColumnPtr& in, DataType to) {
  const DataType from = in->type();
  if (from == to) return in;
  if (from.id() == TypeId::kNull) return allNull(to, in->size());
  if (to.id() == TypeId::kString) return toStrings(*in);
  if (from.id() == TypeId::kString) return fromStrings(*in, to);
  if (isTemporal(from) && isTemporal(to)) return temporalToTemporal(*in, to);
  return numericToNumeric(*in, to);
}

}  // namespace ember::sql
